package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.Dims;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImageFolderTest {
    @TempDir
    Path root;
    Path csv;

    /** Five 2×3 images; labels in noisy_labels_0 include a comma, so those fields are quoted. */
    @BeforeEach
    void makeFolder() throws IOException {
        Files.createDirectories(root.resolve("train"));
        Files.createDirectories(root.resolve("val"));
        png("train/red.png", 0xff0000);
        png("train/green, light.png", 0x00ff00);
        png("train/mixed.png", 0x336699);
        grayPng("val/gray.png", 128);
        ImageIO.write(rgb(0x808080), "jpeg", root.resolve("val/grey.jpg").toFile());
        csv = Files.writeString(root.resolve("noisy.csv"), String.join("\n",
                "path,noisy_labels_0,noisy_labels_1,is_valid",
                "train/red.png,\"n01, tench\",dog,False",
                "\"train/green, light.png\",b_golf,dog,false",
                "train/mixed.png,\"n01, tench\",cat,0",
                "val/gray.png,a_church,cat,True",
                "val/grey.jpg,b_golf,cat,1",
                ""));
    }

    @Test
    void splitsRowsAndSharesTheSortedLabelIndex() {
        CsvImageFolder train = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TRAIN, ColorMode.RGB);
        CsvImageFolder valid = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TEST, ColorMode.RGB);
        assertEquals(3, train.size());
        assertEquals(2, valid.size());
        assertEquals(List.of("a_church", "b_golf", "n01, tench"), train.classNames());
        assertEquals(train.classNames(), valid.classNames());
        assertEquals(root.resolve("train/green, light.png"), train.file(1));
        assertEquals(List.of(2, 1, 2), List.of(train.get(0).label(), train.get(1).label(), train.get(2).label()));
        assertEquals(List.of(0, 1), List.of(valid.get(0).label(), valid.get(1).label()));
        CsvImageFolder other = CsvImageFolder.load(csv, root, "noisy_labels_1", Split.TEST, ColorMode.RGB);
        assertEquals(List.of("cat", "dog"), other.classNames());
        assertEquals(0, other.get(0).label());
    }

    @Test
    void decodesRgbPixelsChannelMajor() {
        CsvImageFolder train = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TRAIN, ColorMode.RGB);
        Example mixed = train.get(2);
        assertEquals(Dims.of(3, 2, 3), mixed.shape());
        float[] expected = new float[18];
        for (int i = 0; i < 6; i++) {
            expected[i] = 0x33 / 255f;
            expected[6 + i] = 0x66 / 255f;
            expected[12 + i] = 0x99 / 255f;
        }
        assertArrayEquals(expected, mixed.pixels());
    }

    @Test
    void convertsBetweenGrayAndRgb() {
        Example grayAsRgb = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TEST, ColorMode.RGB).get(0);
        assertEquals(Dims.of(3, 2, 3), grayAsRgb.shape());
        for (float v : grayAsRgb.pixels()) {
            assertEquals(128 / 255f, v);
        }
        CsvImageFolder gray = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TEST, ColorMode.GRAY);
        assertEquals(Dims.of(1, 2, 3), gray.get(0).shape());
        assertEquals(128 / 255f, gray.get(0).pixels()[5]);
        Example jpeg = gray.get(1);
        assertEquals(Dims.of(1, 2, 3), jpeg.shape());
        assertEquals(128 / 255f, jpeg.pixels()[0], 3 / 255f); // lossy
        Example red = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TRAIN, ColorMode.GRAY).get(0);
        assertEquals(0.299f, red.pixels()[0], 1e-6f);
    }

    @Test
    void namesAMissingColumnAndListsThePresentOnes() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvImageFolder.load(csv, root, "noisy_labels_5", Split.TRAIN, ColorMode.RGB));
        assertTrue(e.getMessage().contains("'noisy_labels_5'")
                && e.getMessage().contains("[path, noisy_labels_0, noisy_labels_1, is_valid]"), e.getMessage());
    }

    @Test
    void namesAMissingImage() throws IOException {
        Files.delete(root.resolve("val/gray.png"));
        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TEST, ColorMode.RGB));
        assertTrue(e.getMessage().contains("val/gray.png") && e.getMessage().contains("missing"), e.getMessage());
        // the other split does not list it, so it still loads
        assertEquals(3, CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TRAIN, ColorMode.RGB).size());
    }

    @Test
    void namesAnUndecodableImage() throws IOException {
        Files.writeString(root.resolve("train/red.png"), "not a png");
        CsvImageFolder train = CsvImageFolder.load(csv, root, "noisy_labels_0", Split.TRAIN, ColorMode.RGB);
        DatasetException e = assertThrows(DatasetException.class, () -> train.get(0));
        assertTrue(e.getMessage().contains("red.png") && e.getMessage().contains("cannot decode"), e.getMessage());
    }

    @Test
    void rejectsABadValidFlagAndARaggedRow() throws IOException {
        Path bad = Files.writeString(root.resolve("bad.csv"), "path,label,is_valid\ntrain/red.png,x,maybe\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvImageFolder.load(bad, root, "label", Split.TRAIN, ColorMode.RGB));
        assertTrue(e.getMessage().contains(bad + ":2") && e.getMessage().contains("maybe"), e.getMessage());
        Path ragged = Files.writeString(root.resolve("ragged.csv"), "path,label,is_valid\ntrain/red.png,x\n");
        e = assertThrows(DatasetException.class,
                () -> CsvImageFolder.load(ragged, root, "label", Split.TRAIN, ColorMode.RGB));
        assertTrue(e.getMessage().contains(ragged + ":2"), e.getMessage());
    }

    private void png(String path, int rgb) throws IOException {
        ImageIO.write(rgb(rgb), "png", root.resolve(path).toFile());
    }

    private void grayPng(String path, int value) throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        ImageIO.write(img, "png", root.resolve(path).toFile());
    }

    private static BufferedImage rgb(int rgb) {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}

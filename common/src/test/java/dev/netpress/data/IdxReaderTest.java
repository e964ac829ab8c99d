package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    /** Two 1×1 images. */
    private static final byte[] TWO_1X1_IMAGES = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 9, 9};

    @TempDir
    Path tmp;

    @Test
    void readsTheBundledSubset() {
        Path dir = FashionMnist.bundledDir();
        IdxFile trainImages = IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"));
        IdxFile trainLabels = IdxReader.read(dir.resolve("train-labels-idx1-ubyte.gz"));
        IdxFile testImages = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"));
        IdxFile testLabels = IdxReader.read(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {10_000, 28, 28}, trainImages.dims());
        assertArrayEquals(new int[] {10_000}, trainLabels.dims());
        assertArrayEquals(new int[] {2_000, 28, 28}, testImages.dims());
        assertArrayEquals(new int[] {2_000}, testLabels.dims());
        assertEquals(784, trainImages.itemSize());
        for (IdxFile labels : List.of(trainLabels, testLabels)) {
            for (int i = 0; i < labels.count(); i++) {
                assertTrue(labels.get(i) < 10, "label " + labels.get(i) + " at " + i);
            }
        }
        // values read off the Debian files with gzip + a hex dump
        assertEquals(List.of(9, 0, 0, 3, 0, 2, 7, 2), List.of(trainLabels.get(0), trainLabels.get(1),
                trainLabels.get(2), trainLabels.get(3), trainLabels.get(4), trainLabels.get(5), trainLabels.get(6),
                trainLabels.get(7)));
        assertEquals(6, trainLabels.get(9_999));
        assertEquals(9, testLabels.get(0));
        assertEquals(0, testLabels.get(1_999));
        assertEquals(237, trainImages.get(14 * 28 + 12));
        assertEquals(217, trainImages.get(14 * 28 + 14));
        assertEquals(143, trainImages.get(9_999 * 784 + 14 * 28 + 14));
        assertEquals(110, testImages.get(14 * 28 + 14));
    }

    @Test
    void bundledSubsetIsThePrefixOfTheDebianFiles() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DEBIAN), "Debian's dataset-fashion-mnist is not installed");
        Path dir = FashionMnist.bundledDir();
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            IdxFile subset = IdxReader.read(dir.resolve(name + ".gz"));
            // the original, read without IdxReader: skip the header by offset arithmetic
            int headerBytes = 4 + 4 * subset.dims().length;
            byte[] original;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(DEBIAN.resolve(name + ".gz")))) {
                in.skipNBytes(headerBytes);
                original = in.readNBytes(subset.count() * subset.itemSize());
            }
            byte[] mine = new byte[original.length];
            for (int i = 0; i < mine.length; i++) {
                mine[i] = (byte) subset.get(i);
            }
            assertArrayEquals(original, mine, name);
        }
    }

    @Test
    void readsRawAndGzippedAlikeWhateverTheName() throws IOException {
        byte[] idx = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, (byte) 255};
        Path raw = write("raw.gz", idx); // misleading name: detection must go by content
        Path gz = tmp.resolve("packed.idx");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(idx);
        }
        for (Path p : List.of(raw, gz)) {
            IdxFile f = IdxReader.read(p);
            assertArrayEquals(new int[] {2, 3}, f.dims());
            assertEquals(2, f.count());
            assertEquals(3, f.itemSize());
            assertEquals(4, f.get(3));
            assertEquals(255, f.get(5));
        }
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path p = write("magic", new byte[] {1, 0, 8, 1, 0, 0, 0, 1, 7});
        assertFails(p, "magic");
    }

    @Test
    void rejectsOtherElementTypes() throws IOException {
        Path p = write("float", new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        assertFails(p, "unsupported IDX element type 0x0d (float)");
    }

    @Test
    void rejectsTruncatedHeaderAndData() throws IOException {
        assertFails(write("empty", new byte[0]), "truncated");
        assertFails(write("dims", new byte[] {0, 0, 8, 3, 0, 0, 0, 1}), "truncated IDX header");
        assertFails(write("data", new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3}), "promises 5 bytes");
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 100});
            byte[] data = new byte[100];
            Arrays.fill(data, (byte) 7);
            out.write(data);
        }
        byte[] gz = bytes.toByteArray();
        assertFails(write("cut.gz", Arrays.copyOf(gz, gz.length - 12)), "truncated");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        assertFails(write("long", new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 1, 2}), "longer than its header");
    }

    @Test
    void rejectsImageLabelCountMismatch() throws IOException {
        IdxFile images = IdxReader.read(write("img", TWO_1X1_IMAGES));
        IdxFile labels = IdxReader.read(write("lbl", new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 2}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> new IdxDataset(images, labels, FashionMnist.CLASS_NAMES));
        assertTrue(e.getMessage().contains("count mismatch") && e.getMessage().contains("img")
                && e.getMessage().contains("lbl"), e.getMessage());
    }

    @Test
    void rejectsLabelsOutOfRange() throws IOException {
        IdxFile images = IdxReader.read(write("img", TWO_1X1_IMAGES));
        IdxFile labels = IdxReader.read(write("lbl", new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 3, 10}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> new IdxDataset(images, labels, FashionMnist.CLASS_NAMES));
        assertTrue(e.getMessage().contains("label 10 at index 1") && e.getMessage().contains("lbl"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static void assertFails(Path file, String expected) {
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "message should name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}

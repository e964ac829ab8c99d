package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.Dims;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @Test
    void bundledSplitsHaveTheDocumentedSizesAndScaledPixels() {
        IdxDataset train = FashionMnist.bundled(Split.TRAIN);
        IdxDataset test = FashionMnist.bundled(Split.TEST);
        assertEquals(10_000, train.size());
        assertEquals(2_000, test.size());
        assertEquals(10, train.numClasses());
        assertEquals("Ankle boot", train.classNames().get(9));
        Example first = train.get(0);
        assertEquals(Dims.of(1, 28, 28), first.shape());
        assertEquals(9, first.label());
        assertEquals(217 / 255f, first.pixels()[14 * 28 + 14]);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : first.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void classCountsMatchTheReadme() {
        assertArrayEquals(new int[] {942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000},
                classCounts(FashionMnist.bundled(Split.TRAIN)));
        assertArrayEquals(new int[] {200, 203, 214, 190, 219, 195, 197, 200, 194, 188},
                classCounts(FashionMnist.bundled(Split.TEST)));
    }

    private static int[] classCounts(ImageDataset d) {
        int[] counts = new int[d.numClasses()];
        for (int i = 0; i < d.size(); i++) {
            counts[d.get(i).label()]++;
        }
        return counts;
    }

    @Test
    void dataDirPropertyOverridesTheSearch(@TempDir Path empty) {
        Path data = FashionMnist.bundledDir().getParent();
        String before = System.getProperty(FashionMnist.DATA_DIR_PROPERTY);
        try {
            System.setProperty(FashionMnist.DATA_DIR_PROPERTY, data.toString());
            assertEquals(data.resolve("fashion-mnist"), FashionMnist.bundledDir());
            System.setProperty(FashionMnist.DATA_DIR_PROPERTY, empty.toString());
            DatasetException e = assertThrows(DatasetException.class, FashionMnist::bundledDir);
            assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(FashionMnist.DATA_DIR_PROPERTY);
            } else {
                System.setProperty(FashionMnist.DATA_DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void missingFilesAreNamed(@TempDir Path empty) {
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(empty, Split.TEST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void loadsTheFullDatasetByPath() {
        Assumptions.assumeTrue(Files.isDirectory(IdxReaderTest.DEBIAN), "Debian's dataset-fashion-mnist is absent");
        IdxDataset train = FashionMnist.load(IdxReaderTest.DEBIAN, Split.TRAIN);
        IdxDataset test = FashionMnist.load(IdxReaderTest.DEBIAN, Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        IdxDataset bundled = FashionMnist.bundled(Split.TRAIN);
        for (int i : new int[] {0, 1, 4_321, 9_999}) {
            assertEquals(bundled.get(i).label(), train.get(i).label());
            assertArrayEquals(bundled.get(i).pixels(), train.get(i).pixels());
        }
    }
}

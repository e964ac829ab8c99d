package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netpress.tensor.Dims;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of {@code --dataset} and the transforms each kind implies, plus the {@code --limit} wrapper. */
class DatasetSpecTest {
    @TempDir
    Path dir;

    @Test
    void parsesTheThreeForms() throws Exception {
        DatasetSpec bundled = DatasetSpec.parse("fashion-mnist");
        assertNull(assertInstanceOf(DatasetSpec.FashionMnistSpec.class, bundled).dir());
        assertEquals("fashion-mnist", bundled.text());
        assertEquals(1, bundled.channels());

        DatasetSpec full = DatasetSpec.parse("fashion-mnist:" + dir);
        assertEquals(dir, assertInstanceOf(DatasetSpec.FashionMnistSpec.class, full).dir());
        assertEquals("fashion-mnist:" + dir, full.text());

        Path csv = Files.writeString(dir.resolve("noisy.csv"), "path,noisy_labels_0,is_valid\n");
        DatasetSpec spec = DatasetSpec.parse("csv:" + csv + ":" + dir + ":noisy_labels_0");
        DatasetSpec.CsvSpec c = assertInstanceOf(DatasetSpec.CsvSpec.class, spec);
        assertEquals(new DatasetSpec.CsvSpec(csv, dir, "noisy_labels_0"), c);
        assertEquals(3, c.channels());
        assertEquals("csv:" + csv + ":" + dir + ":noisy_labels_0", c.text());
    }

    @Test
    void rejectsMalformedSpecs() {
        for (String bad : new String[] {"", "mnist", "fashion-mnist:", "fashion-mnist:a:b", "csv", "csv:a:b",
            "csv:a:b:", "csv:a:b:c:d"}) {
            assertThrows(IllegalArgumentException.class, () -> DatasetSpec.parse(bad), bad);
        }
    }

    @Test
    void fashionMnistIsPaddedToEvenLargerSizesAndResizedOtherwise() {
        DatasetSpec spec = DatasetSpec.parse("fashion-mnist");
        Example e = new Example(new float[28 * 28], Dims.of(1, 28, 28), 3);
        for (int size : new int[] {28, 32, 33, 16}) {
            Example t = spec.testTransform(size).apply(e, new SplittableRandom(1));
            assertEquals(Dims.of(1, size, size), t.shape(), "size " + size);
        }
    }

    @Test
    void limitKeepsTheFirstExamples() {
        ImageDataset bundled = DatasetSpec.parse("fashion-mnist").load(Split.TEST);
        ImageDataset first = bundled.first(5);
        assertEquals(5, first.size());
        assertEquals(bundled.get(4).label(), first.get(4).label());
        assertEquals(bundled.classNames(), first.classNames());
        assertThrows(IndexOutOfBoundsException.class, () -> first.get(5));
        assertEquals(bundled.size(), bundled.first(Integer.MAX_VALUE).size());
        assertThrows(IllegalArgumentException.class, () -> bundled.first(0));
    }
}

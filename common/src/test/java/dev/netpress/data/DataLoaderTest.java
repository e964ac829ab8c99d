package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.Dims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Example i is a 1×1×2 image (i, −i) labelled i, so batches show which indices they hold. */
    private static ImageDataset indices(int n) {
        return new ImageDataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Example get(int i) {
                return new Example(new float[] {i, -i}, Dims.of(1, 1, 2), i);
            }

            @Override
            public List<String> classNames() {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add("c" + i);
                }
                return names;
            }
        };
    }

    /** Adds a uniform random number to every pixel: a transform whose output shows its random draws. */
    private static final Transform JITTER = (e, random) -> {
        float[] p = e.pixels().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) random.nextDouble();
        }
        return e.withPixels(p, e.channels(), e.height(), e.width());
    };

    private static List<Batch> all(DataLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        loader.epoch(epoch).forEach(out::add);
        return out;
    }

    private static int[] labels(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.labels())).toArray();
    }

    @Test
    void inOrderKeepsTheLastPartialBatch() {
        DataLoader loader = DataLoader.builder(indices(10), 4).build();
        assertEquals(3, loader.batchesPerEpoch());
        List<Batch> batches = all(loader, 0);
        assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, labels(batches));
        Batch last = batches.get(2);
        assertArrayEquals(new long[] {2, 1, 1, 2}, last.shape());
        assertArrayEquals(new float[] {8, -8, 9, -9}, last.x());
    }

    @Test
    void dropLastLeavesOutThePartialBatch() {
        DataLoader loader = DataLoader.builder(indices(10), 4).dropLast(true).build();
        assertEquals(2, loader.batchesPerEpoch());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, labels(all(loader, 0)));
        assertEquals(0, DataLoader.builder(indices(3), 4).dropLast(true).build().batchesPerEpoch());
        assertEquals(2, DataLoader.builder(indices(8), 4).dropLast(false).build().batchesPerEpoch());
    }

    @Test
    void shuffledEpochsVisitEveryIndexOnceInSeedDeterminedOrders() {
        DataLoader loader = DataLoader.builder(indices(37), 5).shuffle(true).seed(11).build();
        int[] epoch0 = labels(all(loader, 0));
        int[] epoch1 = labels(all(loader, 1));
        for (int[] order : List.of(epoch0, epoch1)) {
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, 37).toArray(), sorted);
        }
        assertFalse(Arrays.equals(epoch0, epoch1));
        assertArrayEquals(epoch0, loader.order(0));
        DataLoader same = DataLoader.builder(indices(37), 5).shuffle(true).seed(11).build();
        assertArrayEquals(epoch1, labels(all(same, 1)));
        DataLoader other = DataLoader.builder(indices(37), 5).shuffle(true).seed(12).build();
        assertFalse(Arrays.equals(epoch0, labels(all(other, 0))));
    }

    @Test
    void prefetchingGivesTheSameBatchesAsBuildingInline() {
        DataLoader.Builder b = DataLoader.builder(indices(23), 4).shuffle(true).seed(5).transform(JITTER);
        List<Batch> inline = all(b.prefetch(false).build(), 3);
        try (DataLoader prefetching = b.prefetch(true).build()) {
            List<Batch> ahead = all(prefetching, 3);
            assertEquals(inline.size(), ahead.size());
            for (int i = 0; i < inline.size(); i++) {
                assertArrayEquals(inline.get(i).labels(), ahead.get(i).labels());
                assertArrayEquals(inline.get(i).x(), ahead.get(i).x());
            }
            // the transform's draws depend on the epoch
            assertFalse(Arrays.equals(ahead.get(0).x(), all(prefetching, 4).get(0).x()));
        }
    }

    @Test
    void iteratorEndsAfterTheLastBatch() {
        Iterator<Batch> it = DataLoader.builder(indices(3), 2).build().epoch(0).iterator();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void failuresInTheWorkerReachTheConsumer() {
        ImageDataset base = indices(6);
        ImageDataset broken = new ImageDataset() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Example get(int i) {
                if (i == 4) {
                    throw new DatasetException("image 4 is broken");
                }
                return base.get(i);
            }

            @Override
            public List<String> classNames() {
                return base.classNames();
            }
        };
        try (DataLoader loader = DataLoader.builder(broken, 2).prefetch(true).build()) {
            Iterator<Batch> it = loader.epoch(0).iterator();
            it.next();
            it.next();
            DatasetException e = assertThrows(DatasetException.class, it::next);
            assertEquals("image 4 is broken", e.getMessage());
        }
    }

    @Test
    void rejectsExamplesOfDifferentShapesInOneBatch() {
        Transform growOdd = (e, random) -> e.label() % 2 == 0 ? e : new Pad(1).apply(e, random);
        DataLoader loader = DataLoader.builder(indices(4), 2).transform(growOdd).build();
        DatasetException e = assertThrows(DatasetException.class, () -> loader.epoch(0).iterator().next());
        assertTrue(e.getMessage().contains("example 1"), e.getMessage());
    }
}

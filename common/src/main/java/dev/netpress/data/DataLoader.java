package dev.netpress.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

/**
 * Cuts a dataset into batches, epoch by epoch, applying a transform to each example.
 *
 * <p>Everything random is a function of (seed, epoch, dataset index): the visiting order of an epoch and the
 * generator each example's transform draws from. So a given seed reproduces the same batches whatever the batch
 * preparation thread does, and different epochs visit the examples in different orders.
 *
 * <p>With {@link Builder#prefetch}, one background thread prepares up to two batches ahead of the consumer (the
 * training loop itself runs natively, and the machine may have only two cores); {@link #close} stops it.
 */
public final class DataLoader implements AutoCloseable {
    private static final int AHEAD = 2;

    private final ImageDataset dataset;
    private final int batchSize;
    private final Transform transform;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final ExecutorService worker;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.transform = b.transform;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.worker = b.prefetch ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netpress-data-loader");
            t.setDaemon(true); // a loader left open must not keep the JVM alive
            return t;
        }) : null;
    }

    /** Starts a loader that visits {@code dataset} in order, untransformed, keeping the last partial batch. */
    public static Builder builder(ImageDataset dataset, int batchSize) {
        return new Builder(dataset, batchSize);
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final ImageDataset dataset;
        private final int batchSize;
        private Transform transform = Transforms.compose();
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private boolean prefetch;

        private Builder(ImageDataset dataset, int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size " + batchSize);
            }
            this.dataset = dataset;
            this.batchSize = batchSize;
        }

        public Builder transform(Transform t) {
            this.transform = t;
            return this;
        }

        /** Visits the examples in a fresh random order each epoch. */
        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /** Seeds the shuffle and the transforms' randomness (default 0). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Leaves out the last batch of an epoch when it would be smaller than the batch size. */
        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /** Prepares batches on a background thread; the loader must then be closed. */
        public Builder prefetch(boolean on) {
            this.prefetch = on;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The dataset indices in the order epoch {@code epoch} visits them. */
    public int[] order(int epoch) {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(mix(seed, epoch));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The batches of one epoch; each iteration starts a fresh pass. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Pass(epoch);
    }

    /**
     * Stops the background thread, if any: batches not yet handed out are discarded and epochs still being
     * iterated fail.
     */
    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    private final class Pass implements Iterator<Batch> {
        private final int epoch;
        private final int[] order;
        private final int count = batchesPerEpoch();
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private int handedOut;
        private int submitted;

        Pass(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
        }

        @Override
        public boolean hasNext() {
            return handedOut < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has " + count + " batches");
            }
            int b = handedOut++;
            if (worker == null) {
                return build(epoch, order, b);
            }
            topUp();
            Future<Batch> head = ahead.poll();
            topUp(); // start on the following batch while the caller works on this one
            return await(head);
        }

        private void topUp() {
            while (submitted < count && ahead.size() < AHEAD) {
                int b = submitted++;
                ahead.add(worker.submit(() -> build(epoch, order, b)));
            }
        }
    }

    private static Batch await(Future<Batch> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("batch preparation failed", e.getCause());
        }
    }

    private Batch build(int epoch, int[] order, int b) {
        int start = b * batchSize;
        int n = Math.min(batchSize, order.length - start);
        long epochSeed = mix(seed, epoch);
        int[] labels = new int[n];
        float[] x = null;
        Example first = null;
        for (int k = 0; k < n; k++) {
            int index = order[start + k];
            RandomGenerator random = new SplittableRandom(mix(epochSeed, index));
            Example e = transform.apply(dataset.get(index), random);
            if (first == null) {
                first = e;
                x = new float[Math.multiplyExact(n, e.pixels().length)];
            } else if (!e.shape().equals(first.shape())) {
                throw new DatasetException("example " + index + " has shape " + e.shape() + " after transforms, "
                        + "others in its batch " + first.shape() + "; resize or crop to one size before batching");
            }
            System.arraycopy(e.pixels(), 0, x, k * e.pixels().length, e.pixels().length);
            labels[k] = e.label();
        }
        return new Batch(x, first.shape().withBatch(n), labels);
    }

    /** Hashes two values into a seed (SplitMix64's finaliser), so nearby inputs give unrelated streams. */
    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.netpress.measure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import java.util.Random;

/**
 * Times inference of a model: median and 95th percentile over repeated forward passes after a
 * warm-up, in eval mode without autograd, on a fixed random input.
 *
 * <p>Batch 1 runs on one intra-op thread, as a latency-bound server gives each request a core. With
 * libtorch's two OpenMP threads on two shared cores every op ends in a barrier that stalls whenever
 * another thread of the process (a Kafka client, another stage) holds a core: the same 0.26M-parameter
 * model measured 0.62 ms in one run and 2.0 ms in the next, with p95 up to 4 ms; on one thread it
 * measured 0.62 ms with p95 0.69 ms. Larger batches keep the engine's threads, where the work per op
 * pays for them.
 */
public final class Latency {
    private Latency() {}

    /** Timings in milliseconds of one forward pass at a batch size. */
    public record Timing(int batch, double medianMs, double p95Ms, int runs) {
        /** Images per second at the median time. */
        public double throughput() {
            return batch * 1000.0 / medianMs;
        }
    }

    public static Timing measure(GraphBlock block, ParameterStore ps, NDManager manager, int batch, int warmup, int runs) {
        if (batch < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("batch and runs must be positive, warm-up not negative");
        }
        long[] shape = block.graph().inputs().get(0).shape().withBatch(batch);
        float[] x = new float[Math.toIntExact(new Shape(shape).size())];
        Random r = new Random(0);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        double[] ms = new double[runs];
        int threads = JniUtils.getNumThreads();
        if (batch == 1) {
            JniUtils.setNumThreads(1);
        }
        try (NoGrad g = NoGrad.enter()) {
            for (int i = 0; i < warmup + runs; i++) {
                // ops attach their results to their input's manager: one manager per run frees them all
                try (NDManager step = manager.newSubManager()) {
                    NDArray in = step.create(x, new Shape(shape));
                    long t0 = System.nanoTime();
                    block.forward(ps, new NDList(in), false).head().toFloatArray();
                    if (i >= warmup) {
                        ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        } finally {
            JniUtils.setNumThreads(threads);
        }
        double[] sorted = Stats.sorted(ms);
        return new Timing(batch, Stats.percentile(sorted, 0.5), Stats.percentile(sorted, 0.95), runs);
    }
}

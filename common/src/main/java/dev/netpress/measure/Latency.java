package dev.netpress.measure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import java.util.Random;

/**
 * Times inference of a model: median and 95th percentile over repeated forward passes after a
 * warm-up, in eval mode without autograd, on a fixed random input.
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
        }
        double[] sorted = Stats.sorted(ms);
        return new Timing(batch, Stats.percentile(sorted, 0.5), Stats.percentile(sorted, 0.95), runs);
    }
}

package dev.netpress.graph.deps;

import dev.netpress.tensor.Tensor;
import java.util.Map;

/** Scores each channel of one member slice, from the sliced tensor's values. */
@FunctionalInterface
public interface SliceMetric {
    /** One score for each of the first {@code channels} channels of {@code slice} in {@code tensor}. */
    double[] score(ChannelSlice slice, Tensor tensor, int channels);

    /** The L1 norm of each channel's elements (for a batch norm's weight: |gamma|). */
    static SliceMetric l1() {
        return (slice, tensor, channels) -> {
            float[][] v = slice.values(tensor, channels);
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) {
                for (float x : v[c]) {
                    out[c] += Math.abs(x);
                }
            }
            return out;
        };
    }

    /** The L2 norm of each channel's elements. */
    static SliceMetric l2() {
        return (slice, tensor, channels) -> {
            float[][] v = slice.values(tensor, channels);
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) {
                double sq = 0;
                for (float x : v[c]) {
                    sq += (double) x * x;
                }
                out[c] = Math.sqrt(sq);
            }
            return out;
        };
    }

    /**
     * First-order Taylor importance: |Σ w·∂L/∂w| over each channel's elements, the loss change
     * predicted for zeroing them (Molchanov et al., CVPR 2019). {@code gradients} holds the loss
     * gradient of every trainable tensor by stored name; a slice of a tensor without one fails.
     */
    static SliceMetric taylor(Map<String, Tensor> gradients) {
        return (slice, tensor, channels) -> {
            Tensor grad = gradients.get(slice.tensorName());
            if (grad == null) {
                throw new IllegalArgumentException("no gradient for " + slice.tensorName());
            }
            float[][] w = slice.values(tensor, channels);
            float[][] g = slice.values(grad, channels);
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int i = 0; i < w[c].length; i++) {
                    s += (double) w[c][i] * g[c][i];
                }
                out[c] = Math.abs(s);
            }
            return out;
        };
    }
}

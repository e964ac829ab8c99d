package dev.netpress.data;

import java.util.Arrays;

/**
 * A batch of examples: {@code x} holds N images back to back in NCHW order, {@code shape} is {N, C, H, W} and
 * {@code labels} has N entries. The arrays are shared, not copied.
 */
public record Batch(float[] x, long[] shape, int[] labels) {
    public Batch {
        if (shape.length != 4 || shape[0] != labels.length
                || shape[0] * shape[1] * shape[2] * shape[3] != x.length) {
            throw new IllegalArgumentException("batch of " + x.length + " values and " + labels.length
                    + " labels does not match shape " + Arrays.toString(shape));
        }
    }

    /** Number of examples, N. */
    public int size() {
        return labels.length;
    }
}

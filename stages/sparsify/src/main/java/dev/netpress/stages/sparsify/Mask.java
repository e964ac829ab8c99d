package dev.netpress.stages.sparsify;

import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.Objects;

/**
 * Ones and zeros to multiply a tensor by. Its shape has, on each axis, the tensor's size or 1
 * (broadcast): a filter mask of a conv weight {@code [O, I, KH, KW]} is {@code [O, 1, 1, 1]}.
 *
 * @param shape the mask's shape
 * @param values row-major ones and zeros, shared and never changed
 */
public record Mask(Dims shape, float[] values) {
    public Mask {
        Objects.requireNonNull(shape, "shape");
        if (values.length != shape.numel()) {
            throw new IllegalArgumentException("mask " + shape + " needs " + shape.numel() + " values, got " + values.length);
        }
    }

    /** The mask spread over a tensor of shape {@code full}, row-major. */
    public float[] expand(Dims full) {
        if (full.equals(shape)) {
            return values;
        }
        checkBroadcasts(full);
        int[] index = Granularity.broadcastIndex(full, shape);
        float[] out = new float[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[index[i]];
        }
        return out;
    }

    /** {@code t} times this mask. */
    public Tensor applyTo(Tensor t) {
        float[] v = t.toFloats();
        float[] m = expand(t.shape());
        for (int i = 0; i < v.length; i++) {
            v[i] *= m[i];
        }
        return Tensor.ofFloats(t.shape(), v);
    }

    /** Zeros in the mask (not in the tensor it covers). */
    public long zeros() {
        long z = 0;
        for (float v : values) {
            if (v == 0f) {
                z++;
            }
        }
        return z;
    }

    private void checkBroadcasts(Dims full) {
        boolean ok = full.rank() == shape.rank();
        for (int a = 0; ok && a < full.rank(); a++) {
            ok = shape.get(a) == 1 || shape.get(a) == full.get(a);
        }
        if (!ok) {
            throw new IllegalArgumentException("mask " + shape + " does not broadcast to " + full);
        }
    }
}

package dev.netpress.tensor;

import java.util.Arrays;

/** An immutable tensor shape. In graph shape inference the batch dimension is left out. */
public final class Dims {
    private final int[] dims;

    private Dims(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Dims of(int... dims) {
        return new Dims(dims.clone());
    }

    public static Dims of(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension too large: " + dims[i]);
            }
            d[i] = (int) dims[i];
        }
        return new Dims(d);
    }

    public int rank() {
        return dims.length;
    }

    public int get(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public long numel() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public int[] toArray() {
        return dims.clone();
    }

    public long[] toLongArray() {
        return Arrays.stream(dims).asLongStream().toArray();
    }

    /** This shape with {@code batch} prepended. */
    public long[] withBatch(long batch) {
        long[] out = new long[dims.length + 1];
        out[0] = batch;
        for (int i = 0; i < dims.length; i++) {
            out[i + 1] = dims[i];
        }
        return out;
    }

    /** This shape with one axis replaced. */
    public Dims with(int axis, int value) {
        int[] d = dims.clone();
        d[axis < 0 ? d.length + axis : axis] = value;
        return new Dims(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dims other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}

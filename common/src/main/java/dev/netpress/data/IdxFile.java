package dev.netpress.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The contents of one unsigned-byte IDX file: a shape whose first dimension counts the items (images or labels),
 * and the items' bytes in row-major order.
 */
public final class IdxFile {
    private final Path source;
    private final int[] dims;
    private final byte[] data;

    IdxFile(Path source, int[] dims, byte[] data) {
        this.source = source;
        this.dims = dims;
        this.data = data;
    }

    /** The file this was read from, for error messages. */
    public Path source() {
        return source;
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Values per item: the product of the dimensions after the first. */
    public int itemSize() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** The value at a flat row-major index, in [0, 255]. */
    public int get(int flatIndex) {
        return data[flatIndex] & 0xff;
    }

    /** The raw bytes, shared rather than copied; callers in this package must not write to them. */
    byte[] data() {
        return data;
    }

    @Override
    public String toString() {
        return source + " " + Arrays.toString(dims);
    }
}

package dev.netpress.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, named-elsewhere block of numbers: element type, shape and little-endian bytes.
 *
 * <p>Tensors are shared freely between graph versions because nothing can change them; a
 * technique that edits weights builds new tensors. The bytes may be a slice of a memory-mapped
 * artifact, so loading a model does not copy its weights onto the Java heap.
 */
public final class Tensor {
    private final DType dtype;
    private final Dims shape;
    private final ByteBuffer data;

    private Tensor(DType dtype, Dims shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /** Wraps raw little-endian bytes; their length must equal numel × element size. */
    public static Tensor of(DType dtype, Dims shape, ByteBuffer bytes) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        long expected = shape.numel() * dtype.bytes();
        if (bytes.remaining() != expected) {
            throw new IllegalArgumentException("tensor of " + dtype + shape + " needs " + expected
                    + " bytes, got " + bytes.remaining());
        }
        return new Tensor(dtype, shape, bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN));
    }

    public static Tensor ofFloats(Dims shape, float... values) {
        if (values.length != shape.numel()) {
            throw new IllegalArgumentException("shape " + shape + " holds " + shape.numel()
                    + " values, got " + values.length);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.F32, shape, b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    public static Tensor zeros(Dims shape) {
        return ofFloats(shape, new float[Math.toIntExact(shape.numel())]);
    }

    public static Tensor filled(Dims shape, float value) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        Arrays.fill(v, value);
        return ofFloats(shape, v);
    }

    public DType dtype() {
        return dtype;
    }

    public Dims shape() {
        return shape;
    }

    public long numel() {
        return shape.numel();
    }

    public long byteSize() {
        return data.capacity();
    }

    /** A read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer bytes() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values as floats (a copy), converting from the stored type. */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = bytes();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.f16ToFloat(b.getShort(i * 2)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.bf16ToFloat(b.getShort(i * 2)); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
        }
        return out;
    }

    /**
     * This tensor converted to another element type. Floating-point targets round to nearest
     * even; integer targets round half away from zero and saturate.
     */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        float[] v = toFloats();
        int n = v.length;
        ByteBuffer b = ByteBuffer.allocate(n * target.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            float x = v[i];
            switch (target) {
                case F32 -> b.putFloat(x);
                case F64 -> b.putDouble(x);
                case F16 -> b.putShort(HalfFloats.floatToF16(x));
                case BF16 -> b.putShort(HalfFloats.floatToBf16(x));
                case I64 -> b.putLong(Math.round((double) x));
                case I32 -> b.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round((double) x))));
                case I16 -> b.putShort((short) clampRound(x, Short.MIN_VALUE, Short.MAX_VALUE));
                case I8 -> b.put((byte) clampRound(x, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case U8 -> b.put((byte) clampRound(x, 0, 255));
                case BOOL -> b.put((byte) (x != 0 ? 1 : 0));
            }
        }
        b.flip();
        return of(target, shape, b);
    }

    private static long clampRound(float x, long lo, long hi) {
        return Math.max(lo, Math.min(hi, Math.round((double) x)));
    }

    /** This tensor's bytes under another shape of the same element count. */
    public Tensor reshape(Dims newShape) {
        if (newShape.numel() != numel()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return new Tensor(dtype, newShape, data);
    }

    public long countNonZero() {
        long nz = 0;
        for (float v : toFloats()) {
            if (v != 0f) {
                nz++;
            }
        }
        return nz;
    }

    /** True when both hold the same type, shape and bytes. */
    public boolean contentEquals(Tensor other) {
        return other != null && dtype == other.dtype && shape.equals(other.shape) && bytes().equals(other.bytes());
    }

    @Override
    public String toString() {
        return "Tensor" + dtype + shape;
    }
}

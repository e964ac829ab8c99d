package dev.netpress.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void halfPrecisionRoundTripsExactlyRepresentableValues() {
        float[] v = {0f, -0f, 1f, -2.5f, 65504f, 6.103515625e-05f, 5.960464477539063e-08f, 0.333251953125f};
        Tensor t = Tensor.ofFloats(Dims.of(v.length), v).to(DType.F16);
        assertEquals(v.length * 2, t.byteSize());
        assertArrayEquals(v, t.toFloats());
    }

    @Test
    void halfPrecisionRoundsToNearestEvenAndOverflowsToInfinity() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1.0)
        float[] v = {1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 70000f, Float.NaN};
        float[] back = Tensor.ofFloats(Dims.of(4), v).to(DType.F16).toFloats();
        assertEquals(1f, back[0]);
        assertEquals(1f + 2 * 0x1p-10f, back[1]);
        assertEquals(Float.POSITIVE_INFINITY, back[2]);
        assertTrue(Float.isNaN(back[3]));
    }

    @Test
    void bfloat16KeepsTheExponentRange() {
        float[] v = {1e30f, -3.0f, 0.15625f};
        float[] back = Tensor.ofFloats(Dims.of(3), v).to(DType.BF16).toFloats();
        assertEquals(1e30f, back[0], 1e30f * 1e-2f);
        assertEquals(-3.0f, back[1]);
        assertEquals(0.15625f, back[2]);
    }

    @Test
    void int8SaturatesAndRounds() {
        float[] back = Tensor.ofFloats(Dims.of(4), 300f, -300f, 1.5f, -1.4f).to(DType.I8).toFloats();
        assertArrayEquals(new float[] {127f, -128f, 2f, -1f}, back);
    }

    @Test
    void rejectsBytesThatDoNotMatchTheShape() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(DType.F32, Dims.of(2, 2), ByteBuffer.allocate(12)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(Dims.of(3), 1f, 2f));
    }

    @Test
    void countsNonZeros() {
        assertEquals(2, Tensor.ofFloats(Dims.of(2, 2), 0f, 1f, -0f, 3f).countNonZero());
    }
}

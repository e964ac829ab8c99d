package dev.netpress.graph.deps;

import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/** Cuts or zeroes tensors along one axis by copying bytes, so other elements stay bit-identical in any type. */
final class TensorSlicing {
    private TensorSlicing() {}

    /** {@code t} with only the indices {@code keep} (ascending) along {@code axis}. */
    static Tensor keep(Tensor t, int axis, int[] keep) {
        Dims d = t.shape();
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d.get(i);
        }
        int axisLen = d.get(axis);
        int run = Math.toIntExact(d.numel() / outer / axisLen * t.dtype().bytes());
        ByteBuffer src = t.bytes();
        ByteBuffer dst = ByteBuffer.allocate(outer * keep.length * run).order(ByteOrder.LITTLE_ENDIAN);
        for (int o = 0; o < outer; o++) {
            for (int k : keep) {
                dst.put(src.slice((o * axisLen + k) * run, run));
            }
        }
        return Tensor.of(t.dtype(), d.with(axis, keep.length), dst.flip());
    }

    /** {@code t} with every element at the given indices along {@code axis} set to zero (all-zero bytes). */
    static Tensor zero(Tensor t, int axis, BitSet indices) {
        Dims d = t.shape();
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d.get(i);
        }
        int axisLen = d.get(axis);
        int run = Math.toIntExact(d.numel() / outer / axisLen * t.dtype().bytes());
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        b.put(t.bytes());
        byte[] zeros = new byte[run];
        for (int o = 0; o < outer; o++) {
            for (int k = indices.nextSetBit(0); k >= 0; k = indices.nextSetBit(k + 1)) {
                b.put((o * axisLen + k) * run, zeros);
            }
        }
        return Tensor.of(t.dtype(), d, b.flip());
    }
}

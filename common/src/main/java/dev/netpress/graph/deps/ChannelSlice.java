package dev.netpress.graph.deps;

import dev.netpress.graph.Op;
import dev.netpress.graph.ParamSlot;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.Objects;

/**
 * The part of one parameter tensor tied to a channel group: channel {@code c} of the group owns
 * the {@code multiplicity} consecutive indices starting at {@code offset + c * multiplicity} along
 * {@code axis} of the tensor {@code <node>.<role>}.
 *
 * <p>The multiplicity is 1 for conv and batch-norm channels; it is {@code H*W} for the columns of a
 * linear layer that reads a flattened {@code [C, H, W]} tensor, where channel {@code c} spans
 * columns {@code c*H*W ... (c+1)*H*W - 1}.
 *
 * @param node the node holding the tensor
 * @param op that node's op
 * @param role the tensor's parameter role (weight, bias, running_mean, ...)
 * @param axis the tensor axis the channel indexes
 * @param offset where the group's first channel starts along the axis
 * @param multiplicity how many consecutive indices one channel spans
 * @param side whether the tensor computes the channel or reads it
 */
public record ChannelSlice(String node, Op op, String role, int axis, int offset, int multiplicity, Side side) {

    /** How a slice relates to the channel it holds. */
    public enum Side {
        /**
         * The slice computes the channel: a producer's weight rows and bias, a batch norm's
         * parameters and statistics, a depthwise conv's filters and bias. When every trainable
         * output slice of a channel is zero, the channel carries zeros.
         */
        OUTPUT,
        /** The slice reads the channel: a consumer's input columns. */
        INPUT
    }

    public ChannelSlice {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(side, "side");
        if (axis < 0 || offset < 0 || multiplicity < 1) {
            throw new IllegalArgumentException("bad slice of " + node + "." + role + ": axis " + axis + ", offset "
                    + offset + ", multiplicity " + multiplicity);
        }
    }

    /** The stored name of the sliced tensor, {@code <node>.<role>}. */
    public String tensorName() {
        return node + "." + role;
    }

    /** Whether the sliced tensor is a trainable parameter rather than a buffer (batch-norm statistics). */
    public boolean trainable() {
        return op.slot(role).map(ParamSlot::trainable).orElse(false);
    }

    public boolean isOutput() {
        return side == Side.OUTPUT;
    }

    /** The first index along {@link #axis} that belongs to channel {@code c}. */
    public int start(int channel) {
        return offset + channel * multiplicity;
    }

    /**
     * The elements of {@code tensor} that belong to each of the group's first {@code channels}
     * channels: row {@code c} holds channel {@code c}'s elements in the tensor's row-major order
     * (every index of the other axes, and the channel's indices along {@link #axis}).
     */
    public float[][] values(Tensor tensor, int channels) {
        Dims d = tensor.shape();
        int axisLen = d.get(axis);
        if (start(channels) > axisLen) {
            throw new IllegalArgumentException(tensorName() + " has " + axisLen + " indices along axis " + axis
                    + " but " + channels + " channels of this slice need " + start(channels));
        }
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d.get(i);
        }
        int inner = Math.toIntExact(d.numel() / outer / axisLen);
        int run = multiplicity * inner;
        float[] all = tensor.toFloats();
        float[][] out = new float[channels][outer * run];
        for (int c = 0; c < channels; c++) {
            for (int o = 0; o < outer; o++) {
                System.arraycopy(all, (o * axisLen + start(c)) * inner, out[c], o * run, run);
            }
        }
        return out;
    }
}

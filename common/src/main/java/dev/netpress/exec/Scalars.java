package dev.netpress.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic with a constant that is safe to differentiate through.
 *
 * <p>DJL's {@code x.mul(2f)} (and div, pow, clip …) wraps the number in a tensor over a Java
 * direct buffer, uses it and closes it at once. Autograd keeps that tensor for the backward pass
 * (mul, div, pow and clamp need their operand to compute the gradient) but not the buffer: once
 * the garbage collector frees it, the backward pass reads freed memory — a silently wrong
 * gradient, now and then a NaN. Training that only happened to run between collections was
 * right; one under GC pressure (a pipeline JVM) was not. The constants here are allocated by
 * libtorch, which keeps them alive as long as autograd holds them.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code x · c}. */
    public static NDArray mul(NDArray x, double c) {
        return withConstant(x, c, NDArray::mul);
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        return withConstant(x, c, NDArray::div);
    }

    /** {@code x + c}. */
    public static NDArray add(NDArray x, double c) {
        return withConstant(x, c, NDArray::add);
    }

    /** {@code x − c}. */
    public static NDArray sub(NDArray x, double c) {
        return withConstant(x, c, NDArray::sub);
    }

    /** {@code x ^ c}. */
    public static NDArray pow(NDArray x, double c) {
        return withConstant(x, c, NDArray::pow);
    }

    /** {@code min(max(x, lo), hi)}. */
    public static NDArray clamp(NDArray x, double lo, double hi) {
        try (NDArray low = constant(x, lo); NDArray high = constant(x, hi); NDArray floor = x.maximum(low)) {
            return floor.minimum(high);
        }
    }

    private static NDArray withConstant(NDArray x, double c, BinaryOperator<NDArray> op) {
        try (NDArray k = constant(x, c)) {
            return op.apply(x, k);
        }
    }

    /** A 0-d tensor of {@code x}'s type, owned by libtorch (closing our handle leaves autograd's reference). */
    private static NDArray constant(NDArray x, double c) {
        return x.getManager().full(new Shape(), (float) c, x.getDataType());
    }
}

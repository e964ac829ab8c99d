package dev.netpress.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Node;

/**
 * One libtorch call per op. Parameters arrive in the order of the op's {@code slots()}, null
 * where an optional one is absent.
 */
final class Kernels {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    private Kernels() {}

    static PtNDArray apply(Node n, PtNDArray[] x, PtNDArray[] p, boolean training) {
        Attrs a = n.attrs();
        return switch (n.op()) {
            case CONV2D -> JniUtils.convolution(x[0], p[0], p[1], shape(a.getPair("stride", ONE)),
                    shape(a.getPair("padding", ZERO)), shape(a.getPair("dilation", ONE)), a.getInt("groups", 1));
            // p = weight, bias, running_mean, running_var. DJL's JNI binding takes the running
            // statistics first (its parameter names say otherwise); momentum is PyTorch's.
            case BATCHNORM -> JniUtils.batchNorm(x[0], p[2], p[3], p[0], p[1], training,
                    a.getDouble("momentum", 0.1), a.getDouble("eps", 1e-5));
            case LINEAR -> JniUtils.linear(x[0], p[0], p[1]);
            case RELU -> JniUtils.relu(x[0]);
            case RELU6 -> relu6(x[0]);
            case MAXPOOL -> {
                int[] k = a.getPair("kernel", ONE);
                yield JniUtils.maxPool(x[0], shape(k), shape(a.getPair("stride", k)), shape(a.getPair("padding", ZERO)),
                        a.getBool("ceil_mode", false));
            }
            case AVGPOOL -> {
                int[] k = a.getPair("kernel", ONE);
                yield JniUtils.avgPool(x[0], shape(k), shape(a.getPair("stride", k)), shape(a.getPair("padding", ZERO)),
                        a.getBool("ceil_mode", false), a.getBool("count_include_pad", true));
            }
            case ADAPTIVE_AVGPOOL -> JniUtils.adaptiveAvgPool(x[0], shape(a.getPair("output_size", ONE)));
            case GLOBAL_AVGPOOL -> JniUtils.adaptiveAvgPool(x[0], new Shape(1, 1));
            case FLATTEN -> (PtNDArray) x[0].reshape(x[0].getShape().get(0), -1);
            // in eval mode dropout is the identity; skip the native call
            case DROPOUT -> training ? JniUtils.dropout(x[0], a.getDouble("p", 0.5), true) : x[0];
            case ADD -> {
                NDArray sum = x[0].add(x[1]);
                for (int i = 2; i < x.length; i++) {
                    sum = sum.addi(x[i]);
                }
                yield (PtNDArray) sum;
            }
            case CONCAT -> x.length == 1 ? x[0] : (PtNDArray) NDArrays.concat(new NDList(x), a.getInt("axis", 0) + 1);
            case IDENTITY -> x[0];
        };
    }

    /** min(max(x, 0), 6), with bounds autograd can keep (see {@link Scalars}). */
    private static PtNDArray relu6(PtNDArray x) {
        return (PtNDArray) Scalars.clamp(x, 0, 6);
    }

    private static Shape shape(int[] pair) {
        return new Shape(pair[0], pair[1]);
    }
}

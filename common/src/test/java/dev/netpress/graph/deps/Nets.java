package dev.netpress.graph.deps;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small hand-built layers with seeded random weights, and a forward pass on the engine. */
final class Nets {
    private final Random random = new Random(11);

    Node conv(String name, String in, int inC, int outC, int groups) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", gaussian(Dims.of(outC, inC / groups, 3, 3)));
        p.put("bias", gaussian(Dims.of(outC)));
        return new Node(name, Op.CONV2D, List.of(in), Attrs.of("padding", 1, "groups", groups), p);
    }

    Node conv(String name, String in, int inC, int outC) {
        return conv(name, in, inC, outC, 1);
    }

    /** Batch norm with non-trivial statistics, so a wrong slice shows in the outputs. */
    Node batchNorm(String name, String in, int c) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", gaussian(Dims.of(c)));
        p.put("bias", gaussian(Dims.of(c)));
        p.put("running_mean", gaussian(Dims.of(c)));
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = 0.5f + random.nextFloat();
        }
        p.put("running_var", Tensor.ofFloats(Dims.of(c), var));
        return new Node(name, Op.BATCHNORM, List.of(in), Attrs.NONE, p);
    }

    Node linear(String name, String in, int inF, int outF) {
        return new Node(name, Op.LINEAR, List.of(in), Attrs.NONE,
                Map.of("weight", gaussian(Dims.of(outF, inF)), "bias", gaussian(Dims.of(outF))));
    }

    Tensor gaussian(Dims shape) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats(shape, v);
    }

    float[] input(Graph g, int batch) {
        return gaussian(Dims.of(batch * g.inputs().get(0).shape().numel())).toFloats();
    }

    /** The first output of {@code g} in eval mode. */
    static float[] run(Graph g, float[] x, int batch) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            Shape shape = new Shape(g.inputs().get(0).shape().withBatch(batch));
            return block.forward(new ParameterStore(m, false), new NDList(m.create(x, shape)), false).head().toFloatArray();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("outputs differ in length: " + a.length + " and " + b.length);
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}

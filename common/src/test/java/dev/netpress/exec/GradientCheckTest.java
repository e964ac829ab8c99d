package dev.netpress.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
import org.junit.jupiter.api.Test;

/** Autograd through the graph executor agrees with central finite differences. */
class GradientCheckTest {
    private final Random random = new Random(7);

    @Test
    void gradientsMatchFiniteDifferences() {
        Graph g = tinyGraph();
        float[] x = gaussian(2 * 2 * 6 * 6);
        float[] probe = gaussian(2 * 3); // loss = sum(output * probe), a generic linear functional

        Map<String, float[]> analytic = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBlock block = GraphBlock.create(g, m);
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = block.forward(ps, new NDList(m.create(x, new Shape(2, 2, 6, 6))), true).head();
                gc.backward(out.mul(m.create(probe, new Shape(2, 3))).sum());
            }
            block.parametersByTensorName().forEach((name, p) -> {
                if (p.requiresGradient()) {
                    analytic.put(name, p.getArray().getGradient().toFloatArray());
                }
            });
        }
        assertTrue(analytic.keySet().containsAll(List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias")));

        double eps = 1e-4; // one input of bn.bias[0] lies within 3e-3 of a ReLU6 kink: larger steps straddle it
        int checked = 0;
        for (Map.Entry<String, float[]> e : analytic.entrySet()) {
            String node = e.getKey().substring(0, e.getKey().indexOf('.'));
            String role = e.getKey().substring(e.getKey().indexOf('.') + 1);
            float[] base = g.node(node).param(role).toFloats();
            for (int i = 0; i < base.length; i += Math.max(1, base.length / 6)) {
                double plus = loss(perturb(g, node, role, base, i, eps), x, probe);
                double minus = loss(perturb(g, node, role, base, i, -eps), x, probe);
                double numeric = (plus - minus) / (2 * eps);
                double a = e.getValue()[i];
                assertTrue(Math.abs(numeric - a) <= 2e-2 * Math.max(1, Math.abs(a)),
                        e.getKey() + "[" + i + "]: autograd " + a + " vs finite difference " + numeric);
                checked++;
            }
        }
        assertTrue(checked >= 27, "checked " + checked);
    }

    /** conv(2→4, 3×3, stride 2) → batchnorm (train mode) → relu6 → avgpool → flatten → linear(→3) with a residual-free path. */
    private Graph tinyGraph() {
        Map<String, Tensor> bn = new LinkedHashMap<>();
        bn.put("weight", Tensor.ofFloats(Dims.of(4), 1.2f, 0.8f, 1.0f, 1.5f));
        bn.put("bias", Tensor.ofFloats(Dims.of(4), 0.1f, -0.2f, 0.3f, 0f));
        bn.put("running_mean", Tensor.zeros(Dims.of(4)));
        bn.put("running_var", Tensor.filled(Dims.of(4), 1f));
        return Graph.builder().input("x", Dims.of(2, 6, 6))
                .add(new Node("conv", Op.CONV2D, List.of("x"), Attrs.of("stride", 2, "padding", 1),
                        Map.of("weight", Tensor.ofFloats(Dims.of(4, 2, 3, 3), gaussian(72)),
                                "bias", Tensor.ofFloats(Dims.of(4), gaussian(4)))))
                .add(new Node("bn", Op.BATCHNORM, List.of("conv"), Attrs.NONE, bn))
                .add(Node.of("act", Op.RELU6, List.of("bn")))
                .add(new Node("pool", Op.AVGPOOL, List.of("act"), Attrs.of("kernel", 3), Map.of()))
                .add(Node.of("flat", Op.FLATTEN, List.of("pool")))
                .add(new Node("fc", Op.LINEAR, List.of("flat"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(3, 4), gaussian(12)), "bias", Tensor.ofFloats(Dims.of(3), gaussian(3)))))
                .output("fc").build();
    }

    private static Graph perturb(Graph g, String node, String role, float[] base, int i, double eps) {
        float[] v = base.clone();
        v[i] += (float) eps;
        return g.mapNodes(n -> n.name().equals(node) ? n.withParam(role, Tensor.ofFloats(n.param(role).shape(), v)) : n);
    }

    private static double loss(Graph g, float[] x, float[] probe) {
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBlock block = GraphBlock.create(g, m);
            float[] out = block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 2, 6, 6))), true)
                    .head().toFloatArray();
            double s = 0;
            for (int i = 0; i < out.length; i++) {
                s += (double) out[i] * probe[i];
            }
            return s;
        }
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}

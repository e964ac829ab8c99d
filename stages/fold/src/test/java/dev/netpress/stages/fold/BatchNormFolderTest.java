package dev.netpress.stages.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchNormFolderTest {
    private static final ZooConfig SMALL = ZooConfig.builder().optWidth(0.25).optImageSize(32).optNumClasses(10)
            .optSmallInputStem(true).optVggPoolSize(1).optClassifierHidden(64).optSeed(4).build();

    @ParameterizedTest
    @ValueSource(strings = {"vgg16_bn", "resnet18", "mobilenet_v2"})
    void foldingIsLosslessOnZooModels(String name) {
        Graph g = withTrainedLookingStatistics(Zoo.build(name, SMALL));
        long bns = g.nodes().stream().filter(n -> n.op() == Op.BATCHNORM).count();
        FoldResult r = BatchNormFolder.fold(g, FoldOptions.defaults());

        assertEquals(bns, r.folded().size(), r.describe());
        assertTrue(r.unfolded().isEmpty(), r.describe());
        assertEquals(0, r.graph().nodes().stream().filter(n -> n.op() == Op.BATCHNORM).count());
        // each BN loses γ and β; a conv that had no bias gains one
        long expected = g.parameterCount();
        for (FoldResult.Folded f : r.folded()) {
            int c = g.node(f.batchNorm()).param("weight").shape().get(0);
            expected -= 2L * c;
            if (g.node(f.into()).param("bias") == null) {
                expected += c;
            }
        }
        assertEquals(expected, r.graph().parameterCount());
        assertEquals(g.macs(), r.graph().macs());

        float[] x = gaussian(new Random(5), 3 * 3 * 32 * 32);
        assertClose(run(g, x, 3), run(r.graph(), x, 3), 1e-4f);
    }

    @Test
    void linearFollowedByBatchNorm1dFolds() {
        Random r = new Random(2);
        Graph g = Graph.builder().input("x", Dims.of(6))
                .add(new Node("fc", Op.LINEAR, List.of("x"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(4, 6), gaussian(r, 24)))))
                .add(bn("bn", "fc", 4, r))
                .add(Node.of("relu", Op.RELU, List.of("bn")))
                .output("relu").build();
        FoldResult f = BatchNormFolder.fold(g, FoldOptions.defaults());
        assertEquals(List.of(new FoldResult.Folded("bn", "fc")), f.folded());
        assertEquals(List.of("fc"), f.graph().node("relu").inputs());
        float[] x = gaussian(r, 5 * 6);
        assertClose(run(g, x, 5), run(f.graph(), x, 5), 1e-5f);
    }

    @Test
    void unfoldablePatternsAreLeftAndListed() {
        Random r = new Random(3);
        Graph g = Graph.builder().input("x", Dims.of(2, 4, 4))
                .add(bn("bn_in", "x", 2, r))
                .add(conv("c1", "bn_in", r))
                .add(Node.of("act", Op.RELU, List.of("c1")))
                .add(bn("bn_after_relu", "act", 3, r))
                .add(conv2("c2", "bn_after_relu", r))
                .add(bn("bn_shared", "c2", 3, r))
                .add(Node.of("sum", Op.ADD, List.of("c2", "bn_shared")))
                .output("sum").build();
        FoldResult f = BatchNormFolder.fold(g, FoldOptions.defaults());
        assertTrue(f.folded().isEmpty());
        assertSame(g, f.graph());
        Map<String, String> reasons = new LinkedHashMap<>();
        f.unfolded().forEach(u -> reasons.put(u.batchNorm(), u.reason()));
        assertTrue(reasons.get("bn_in").contains("graph input"), reasons.toString());
        assertTrue(reasons.get("bn_after_relu").contains("follows relu"), reasons.toString());
        assertTrue(reasons.get("bn_shared").contains("other readers"), reasons.toString());
        assertTrue(f.describe().startsWith("folded 0 batch norm(s); left 3"), f.describe());
    }

    @Test
    void aGraphWithoutBatchNormIsANoOpWithAClearMessage() {
        Graph g = Zoo.build("vgg11", SMALL);
        FoldResult f = BatchNormFolder.fold(g, FoldOptions.defaults());
        assertSame(g, f.graph());
        assertEquals("no batch norm in the graph: nothing to fold", f.describe());
        assertThrows(IllegalArgumentException.class, () -> new FoldOptions(false, false));
    }

    /** Random γ, β, running mean and variance, so folding has something to fold. */
    private static Graph withTrainedLookingStatistics(Graph g) {
        Random r = new Random(11);
        return g.mapNodes(n -> n.op() != Op.BATCHNORM ? n : bn(n.name(), n.inputs().get(0), n.param("weight").numel() > 0
                ? n.param("weight").shape().get(0) : 0, r));
    }

    private static Node bn(String name, String input, int c, Random r) {
        float[] gamma = new float[c], beta = new float[c], mean = new float[c], var = new float[c];
        for (int i = 0; i < c; i++) {
            gamma[i] = 0.5f + r.nextFloat();
            beta[i] = (float) r.nextGaussian() * 0.3f;
            mean[i] = (float) r.nextGaussian() * 0.2f;
            var[i] = 0.5f + r.nextFloat();
        }
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.ofFloats(Dims.of(c), gamma));
        p.put("bias", Tensor.ofFloats(Dims.of(c), beta));
        p.put("running_mean", Tensor.ofFloats(Dims.of(c), mean));
        p.put("running_var", Tensor.ofFloats(Dims.of(c), var));
        return new Node(name, Op.BATCHNORM, List.of(input), Attrs.of("eps", 1e-5), p);
    }

    private static Node conv(String name, String in, Random r) {
        return new Node(name, Op.CONV2D, List.of(in), Attrs.of("padding", 1),
                Map.of("weight", Tensor.ofFloats(Dims.of(3, 2, 3, 3), gaussian(r, 54))));
    }

    private static Node conv2(String name, String in, Random r) {
        return new Node(name, Op.CONV2D, List.of(in), Attrs.of("padding", 1),
                Map.of("weight", Tensor.ofFloats(Dims.of(3, 3, 3, 3), gaussian(r, 81))));
    }

    private static float[] run(Graph g, float[] x, int batch) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            Shape s = new Shape(g.inputs().get(0).shape().withBatch(batch));
            return block.forward(new ParameterStore(m, false), new NDList(m.create(x, s)), false).head().toFloatArray();
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static void assertClose(float[] a, float[] b, float tol) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1f, Math.abs(a[i])));
        }
        assertTrue(worst <= tol, "max relative difference " + worst);
    }
}

package dev.netpress.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each op on the PyTorch engine against the plain-Java reference. */
class GraphBlockOpsTest {
    private final Random random = new Random(42);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void handBuiltGraphGivesHandComputedNumbers() {
        // conv 2×2 kernel [[1,0],[0,1]] + 0.5 on [[1,2],[3,4]] = 1 + 4 + 0.5 = 5.5; relu; linear [2, -1] + [0, 1]
        Graph g = Graph.builder().input("x", Dims.of(1, 2, 2))
                .add(new Node("conv", Op.CONV2D, List.of("x"), Attrs.NONE, Map.of(
                        "weight", Tensor.ofFloats(Dims.of(1, 1, 2, 2), 1, 0, 0, 1), "bias", Tensor.ofFloats(Dims.of(1), 0.5f))))
                .add(Node.of("relu", Op.RELU, List.of("conv")))
                .add(Node.of("flat", Op.FLATTEN, List.of("relu")))
                .add(new Node("fc", Op.LINEAR, List.of("flat"), Attrs.NONE, Map.of(
                        "weight", Tensor.ofFloats(Dims.of(2, 1), 2, -1), "bias", Tensor.ofFloats(Dims.of(2), 0, 1))))
                .output("fc").build();
        float[] out = run(g, new float[] {1, 2, 3, 4}, 1, false);
        assertArrayEquals(new float[] {11f, -4.5f}, out);
    }

    @ParameterizedTest(name = "conv c={0} out={1} k={2} stride={3} pad={4} dil={5} groups={6}")
    @CsvSource({"3, 4, 3, 1, 1, 1, 1", "4, 6, 3, 2, 1, 1, 2", "4, 4, 3, 1, 2, 2, 4", "2, 3, 1, 1, 0, 1, 1",
        "6, 6, 5, 2, 2, 1, 6", "3, 2, 2, 3, 0, 2, 1"})
    void conv2dMatchesReference(int c, int outC, int k, int stride, int pad, int dil, int groups) {
        int n = 2, h = 9, w = 8;
        float[] x = rand(n * c * h * w);
        float[] wt = rand(outC * (c / groups) * k * k);
        float[] bias = rand(outC);
        Graph g = single(Dims.of(c, h, w), new Node("conv", Op.CONV2D, List.of("x"),
                Attrs.of("stride", stride, "padding", new int[] {pad, pad}, "dilation", dil, "groups", groups),
                Map.of("weight", Tensor.ofFloats(Dims.of(outC, c / groups, k, k), wt), "bias", Tensor.ofFloats(Dims.of(outC), bias))));
        float[] expected = Reference.conv2d(x, n, c, h, w, wt, bias, outC, k, k, stride, stride, pad, pad, dil, dil, groups);
        assertClose(expected, run(g, x, n, false), 1e-4f);
        assertEquals(Dims.of(outC, (h + 2 * pad - dil * (k - 1) - 1) / stride + 1, (w + 2 * pad - dil * (k - 1) - 1) / stride + 1),
                g.shapeOf("conv"));
    }

    @ParameterizedTest(name = "{0} k={1} s={2} p={3}")
    @CsvSource({"maxpool, 2, 2, 0", "maxpool, 3, 2, 1", "avgpool, 2, 2, 0", "avgpool, 3, 1, 1", "avgpool, 3, 2, 1"})
    void poolingMatchesReference(String op, int k, int s, int p) {
        int n = 2, c = 3, h = 7, w = 6;
        float[] x = rand(n * c * h * w);
        Graph g = single(Dims.of(c, h, w), new Node("pool", Op.fromWireName(op).orElseThrow(), List.of("x"),
                Attrs.of("kernel", k, "stride", s, "padding", p), Map.of()));
        float[] expected = Reference.pool(x, n, c, h, w, k, s, p, op.equals("maxpool"), true);
        assertClose(expected, run(g, x, n, false), 1e-5f);
    }

    @Test
    void adaptiveAndGlobalAveragePoolingMatchReference() {
        int n = 2, c = 3, h = 7, w = 5;
        float[] x = rand(n * c * h * w);
        Graph adaptive = single(Dims.of(c, h, w), new Node("ap", Op.ADAPTIVE_AVGPOOL, List.of("x"),
                Attrs.of("output_size", new int[] {3, 2}), Map.of()));
        assertClose(Reference.adaptiveAvg(x, n, c, h, w, 3, 2), run(adaptive, x, n, false), 1e-5f);
        Graph global = single(Dims.of(c, h, w), Node.of("gp", Op.GLOBAL_AVGPOOL, List.of("x")));
        assertClose(Reference.adaptiveAvg(x, n, c, h, w, 1, 1), run(global, x, n, false), 1e-5f);
        assertEquals(Dims.of(c, 1, 1), global.shapeOf("gp"));
    }

    @Test
    void batchNormMatchesReferenceInEvalAndTrainModeAndUpdatesRunningStats() {
        int n = 4, c = 3, h = 2, w = 3;
        float[] x = rand(n * c * h * w);
        float[] gamma = rand(c), beta = rand(c), mean = rand(c);
        float[] var = {0.5f, 1.5f, 2f};
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.ofFloats(Dims.of(c), gamma));
        p.put("bias", Tensor.ofFloats(Dims.of(c), beta));
        p.put("running_mean", Tensor.ofFloats(Dims.of(c), mean));
        p.put("running_var", Tensor.ofFloats(Dims.of(c), var));
        Graph g = single(Dims.of(c, h, w), new Node("bn", Op.BATCHNORM, List.of("x"), Attrs.of("eps", 1e-5, "momentum", 0.1), p));
        assertClose(Reference.batchNorm(x, n, c, h * w, gamma, beta, mean, var, 1e-5, false), run(g, x, n, false), 1e-5f);

        GraphBlock block = GraphBlock.create(g, manager);
        NDArray out = block.forward(new ParameterStore(manager, false), new NDList(input(x, n, g)), true).head();
        assertClose(Reference.batchNorm(x, n, c, h * w, gamma, beta, mean, var, 1e-5, true), out.toFloatArray(), 1e-4f);
        // running stats move 10% towards the batch's mean and unbiased variance, as in PyTorch
        float[] runMean = block.toGraph().node("bn").param("running_mean").toFloats();
        float[] runVar = block.toGraph().node("bn").param("running_var").toFloats();
        int s = h * w;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    sum += x[(b * c + ch) * s + i];
                }
            }
            double mu = sum / (n * s);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    sq += Math.pow(x[(b * c + ch) * s + i] - mu, 2);
                }
            }
            assertEquals(0.9 * mean[ch] + 0.1 * mu, runMean[ch], 1e-5);
            assertEquals(0.9 * var[ch] + 0.1 * sq / (n * s - 1), runVar[ch], 1e-5);
        }
    }

    @Test
    void batchNorm1dAfterLinear() {
        int n = 5, f = 4;
        float[] x = rand(n * f);
        float[] gamma = rand(f), beta = rand(f), mean = rand(f);
        float[] var = {1f, 2f, 0.5f, 3f};
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.ofFloats(Dims.of(f), gamma));
        p.put("bias", Tensor.ofFloats(Dims.of(f), beta));
        p.put("running_mean", Tensor.ofFloats(Dims.of(f), mean));
        p.put("running_var", Tensor.ofFloats(Dims.of(f), var));
        Graph g = single(Dims.of(f), new Node("bn", Op.BATCHNORM, List.of("x"), Attrs.NONE, p));
        assertClose(Reference.batchNorm(x, n, f, 1, gamma, beta, mean, var, 1e-5, false), run(g, x, n, false), 1e-5f);
    }

    @Test
    void linearReluRelu6AddConcatFlattenDropoutIdentity() {
        int n = 3, f = 5, o = 4;
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (random.nextFloat() - 0.5f) * 20; // wide range so relu6 clips
        }
        float[] w = rand(o * f), b = rand(o);
        Graph g = Graph.builder().input("x", Dims.of(f))
                .add(new Node("fc", Op.LINEAR, List.of("x"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(o, f), w), "bias", Tensor.ofFloats(Dims.of(o), b))))
                .add(Node.of("r", Op.RELU, List.of("x")))
                .add(Node.of("r6", Op.RELU6, List.of("x")))
                .add(Node.of("sum", Op.ADD, List.of("r", "r6", "x")))
                .add(new Node("drop", Op.DROPOUT, List.of("sum"), Attrs.of("p", 0.5), Map.of()))
                .add(Node.of("id", Op.IDENTITY, List.of("drop")))
                .add(Node.of("cat", Op.CONCAT, List.of("fc", "id")))
                .output("cat").build();
        float[] out = run(g, x, n, false);
        float[] fc = Reference.linear(x, n, f, w, b, o);
        assertEquals(n * (o + f), out.length);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < o; j++) {
                assertEquals(fc[s * o + j], out[s * (o + f) + j], 1e-5);
            }
            for (int j = 0; j < f; j++) {
                float v = x[s * f + j];
                assertEquals(Math.max(v, 0) + Math.min(Math.max(v, 0), 6) + v, out[s * (o + f) + o + j], 1e-5);
            }
        }
    }

    @Test
    void dropoutZeroesAndRescalesOnlyInTraining() {
        Graph g = single(Dims.of(1000), new Node("d", Op.DROPOUT, List.of("x"), Attrs.of("p", 0.5), Map.of()));
        float[] ones = new float[2000];
        java.util.Arrays.fill(ones, 1f);
        GraphBlock block = GraphBlock.create(g, manager);
        float[] train = block.forward(new ParameterStore(manager, false), new NDList(input(ones, 2, g)), true).head().toFloatArray();
        long zeros = 0;
        for (float v : train) {
            assertTrue(v == 0f || v == 2f, "dropout keeps survivors scaled by 1/(1-p)");
            zeros += v == 0f ? 1 : 0;
        }
        assertTrue(zeros > 800 && zeros < 1200, "about half dropped: " + zeros);
        assertArrayEquals(ones, run(g, ones, 2, false));
    }

    @Test
    void activationsAreReturnedByNodeName() {
        Graph g = Graph.builder().input("x", Dims.of(3))
                .add(Node.of("r", Op.RELU, List.of("x")))
                .add(Node.of("r6", Op.RELU6, List.of("r")))
                .output("r6").build();
        GraphBlock block = GraphBlock.create(g, manager);
        NDArray x = manager.create(new float[] {-1, 3, 9}, new Shape(1, 3));
        NDList out = block.forwardWithActivations(new ParameterStore(manager, false), new NDList(x), false, List.of("r"));
        assertArrayEquals(new float[] {0, 3, 6}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {0, 3, 9}, out.get(1).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.forwardWithActivations(new ParameterStore(manager, false), new NDList(x), false, List.of("nope")));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void wrongInputShapeIsAClearError() {
        Graph g = single(Dims.of(3), Node.of("r", Op.RELU, List.of("x")));
        GraphBlock block = GraphBlock.create(g, manager);
        NDArray x = manager.create(new float[4], new Shape(1, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.forward(new ParameterStore(manager, false), new NDList(x), false));
        assertTrue(e.getMessage().contains("[batch, 3]"), e.getMessage());
    }

    private Graph single(Dims in, Node node) {
        return Graph.builder().input("x", in).add(node).output(node.name()).build();
    }

    private float[] run(Graph g, float[] x, int n, boolean training) {
        GraphBlock block = GraphBlock.create(g, manager);
        return block.forward(new ParameterStore(manager, false), new NDList(input(x, n, g)), training).head().toFloatArray();
    }

    private NDArray input(float[] x, int n, Graph g) {
        return manager.create(x, new Shape(g.inputs().get(0).shape().withBatch(n)));
    }

    private float[] rand(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            float scale = Math.max(1f, Math.abs(expected[i]));
            if (Math.abs(expected[i] - actual[i]) > tol * scale) {
                throw new AssertionError("at " + i + ": expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}

package dev.netpress.stages.factorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.data.Batch;
import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinearFactorizerTest {
    private static final ZooConfig SMALL = ZooConfig.builder().optWidth(0.25).optImageSize(32).optNumClasses(10)
            .optSmallInputStem(true).build();

    @Test
    void vggClassifierIsFactorizedAndItsOutputsMoveWithinTheErrorBound() {
        Graph g = Zoo.build("vgg16_bn", ZooConfig.fashionMnist());
        // 60%, not 50%: at 50% the square 512×512 classifier.3 keeps rank 256 and would not shrink
        FactorizeResult r = LinearFactorizer.factorize(g, FactorizeOptions.percentRemoved(0.6));

        assertEquals(List.of("classifier.0", "classifier.3"), r.factorized().stream().map(f -> f.layer()).toList(), r.describe());
        assertEquals(List.of("classifier.6"), r.skipped().stream().map(s -> s.layer()).toList());
        assertTrue(r.skipped().get(0).reason().contains("classifier"), r.describe());
        Graph f = r.graph();
        assertEquals(List.of("classifier.0.1"), f.node("classifier.1").inputs());
        assertEquals(List.of("classifier.0.0"), f.node("classifier.0.1").inputs());
        assertEquals(g.node("classifier.0").inputs(), f.node("classifier.0.0").inputs());
        assertEquals(Dims.of(51, 128), f.node("classifier.0.0").param("weight").shape());
        assertEquals(Dims.of(512, 205), f.node("classifier.3.1").param("weight").shape());
        assertSame(g.node("classifier.3").param("bias"), f.node("classifier.3.1").param("bias"));
        assertEquals(null, f.node("classifier.3.0").param("bias"));

        // parameter counts: the report's, the graph's and the two new layers' agree
        assertEquals(g.parameterCount() - r.parametersSaved(), f.parameterCount());
        for (FactorizeResult.Factorized x : r.factorized()) {
            long before = g.node(x.layer()).params().values().stream().mapToLong(Tensor::numel).sum();
            long after = f.node(x.layer() + ".0").params().values().stream().mapToLong(Tensor::numel).sum()
                    + f.node(x.layer() + ".1").params().values().stream().mapToLong(Tensor::numel).sum();
            assertEquals(before, x.parametersBefore());
            assertEquals(after, x.parametersAfter());
            assertEquals((long) x.rank() * (x.in() + x.out()) + x.out(), after);
        }

        assertOutputsWithinBound(g, r);
    }

    @Test
    void theFactorizedVggStillTrains() {
        Graph f = LinearFactorizer.factorize(Zoo.build("vgg16_bn", ZooConfig.fashionMnist()),
                FactorizeOptions.percentRemoved(0.6)).graph();
        try (DataLoader train = images(128, true); Learner learner = Learner.builder(f, train).build()) {
            List<EpochResult> h = learner.fit(2, 1e-3);
            assertTrue(h.stream().allMatch(e -> Double.isFinite(e.trainLoss())), h.toString());
            assertTrue(h.get(1).trainLoss() < h.get(0).trainLoss(), h.toString());
        }
    }

    @Test
    void atFiftyPercentASquareLayerBreaksEvenAndIsLeft() {
        Graph g = Zoo.build("vgg16_bn", ZooConfig.fashionMnist());
        FactorizeResult r = LinearFactorizer.factorize(g, FactorizeOptions.percentRemoved(0.5));
        assertEquals(List.of("classifier.0"), r.factorized().stream().map(f -> f.layer()).toList());
        assertEquals(64, r.factorized().get(0).rank());
        Map<String, String> reasons = reasons(r);
        assertEquals("rank 256 would not shrink it: 262,656 parameters either way", reasons.get("classifier.3"));
        assertTrue(r.describe().startsWith("factorized 1 linear layer(s) (50% of singular values removed), saving "),
                r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2"})
    void aModelWhoseOnlyLinearIsTheClassifierIsLeftAlone(String model) {
        Graph g = Zoo.build(model, SMALL);
        FactorizeResult r = LinearFactorizer.factorize(g, FactorizeOptions.percentRemoved(0.5));
        assertSame(g, r.graph());
        assertTrue(r.factorized().isEmpty());
        assertEquals(1, r.skipped().size());
        assertTrue(g.outputs().contains(r.skipped().get(0).layer()));
        assertTrue(r.describe().startsWith("nothing factorized (50% of singular values removed): left 1: "), r.describe());
        assertTrue(r.describe().contains("the classifier: its output is a graph output"), r.describe());
    }

    @Test
    void aLayerThatWouldGrowIsLeftWithItsReason() {
        Graph g = classifierOnly(new Random(5));
        FactorizeOptions named = FactorizeOptions.percentRemoved(0.04).withLayers(List.of("fc"));
        FactorizeResult r = LinearFactorizer.factorize(g, named);
        assertSame(g, r.graph());
        assertEquals(List.of(new FactorizeResult.Skipped("fc", "rank 10 would grow it from 5,130 to 5,230 parameters")),
                r.skipped());

        // 10% of 10 singular values leaves 9, and 9·(10 + 512) < 10·512: that one does shrink
        FactorizeResult nine = LinearFactorizer.factorize(g, FactorizeOptions.percentRemoved(0.1).withLayers(List.of("fc"))
                .withRandomized(0, 10, 2));
        FactorizeResult.Factorized f = nine.factorized().get(0);
        assertEquals(9, f.rank());
        assertTrue(f.randomized());
        assertEquals(5130 - 9 * 522 - 10, f.parametersBefore() - f.parametersAfter());
        assertEquals(List.of("fc.1"), nine.graph().outputs());

        FactorizeResult energy = LinearFactorizer.factorize(g, FactorizeOptions.energy(0.999).withLayers(List.of("fc")));
        assertTrue(energy.factorized().isEmpty());
        assertEquals("keeping 99.9% of the energy needs rank 10, which would grow it from 5,130 to 5,230 parameters",
                energy.skipped().get(0).reason());
    }

    @Test
    void namingAnythingButALinearLayerIsAClearError() {
        Graph g = Zoo.build("vgg16_bn", ZooConfig.fashionMnist());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearFactorizer.factorize(g,
                FactorizeOptions.percentRemoved(0.5).withLayers(List.of("classifier.0", "features.0"))));
        assertEquals("factorize: 'features.0' is a conv2d node, not a linear layer; only linear layers can be factorized",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearFactorizer.factorize(g,
                FactorizeOptions.percentRemoved(0.5).withLayers(List.of("classifier.9"))));
        assertEquals("factorize: no node named 'classifier.9'", e.getMessage());
    }

    @Test
    void theEnergyRuleKeepsAtLeastTheAskedEnergy() {
        Random rnd = new Random(6);
        float[] w = TruncatedSvdTest.decaying(rnd, 300, 256);
        Graph g = Graph.builder().input("x", Dims.of(256))
                .add(new Node("hidden", Op.LINEAR, List.of("x"), Attrs.NONE, Map.of("weight", Tensor.ofFloats(Dims.of(300, 256), w))))
                .add(Node.of("act", Op.RELU, List.of("hidden")))
                .add(new Node("out", Op.LINEAR, List.of("act"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(10, 300), TruncatedSvdTest.gaussian(rnd, 3000)))))
                .output("out").build();
        double[] sigma = TruncatedSvdTest.singularValues(w, 300, 256);
        double[] squares = Arrays.stream(sigma).map(x -> x * x).toArray();
        int expected = RankTarget.energyRank(squares, Arrays.stream(squares).sum(), 0.9);
        for (long above : new long[] {Long.MAX_VALUE, 0}) {
            FactorizeResult r = LinearFactorizer.factorize(g, FactorizeOptions.energy(0.9).withRandomized(above, 10, 2));
            FactorizeResult.Factorized f = r.factorized().get(0);
            assertEquals("hidden", f.layer());
            // Ritz values never exceed the true σ², so a randomized rank may only come out a little higher
            assertTrue(f.rank() >= expected && f.rank() <= expected + (above == 0 ? 2 : 0), expected + ": " + r.describe());
            assertTrue(f.relativeError() <= Math.sqrt(0.1), r.describe());
            assertEquals(List.of("hidden.1"), r.graph().node("act").inputs());
        }
    }

    @Test
    void optionsAreCheckedBeforeAnyWork() {
        assertMessage("factorize needs exactly one of percentRemoved or energyThreshold, got both",
                () -> new FactorizeOptions(0.5, 0.9, List.of(), 0, 10, 2, 0));
        assertMessage("factorize needs exactly one of percentRemoved or energyThreshold, got neither",
                () -> new FactorizeOptions(null, null, List.of(), 0, 10, 2, 0));
        assertMessage("percentRemoved must be in (0, 1), got 1.0", () -> FactorizeOptions.percentRemoved(1));
        assertMessage("percentRemoved must be in (0, 1), got NaN", () -> FactorizeOptions.percentRemoved(Double.NaN));
        assertMessage("energyThreshold must be in (0, 1), got 0.0", () -> FactorizeOptions.energy(0));
        assertMessage("layer 'fc' is listed twice", () -> FactorizeOptions.energy(0.9).withLayers(List.of("fc", "fc")));
        assertMessage("oversampling must not be negative, got -1", () -> FactorizeOptions.energy(0.9).withRandomized(0, -1, 2));
        assertMessage("powerIterations must not be negative, got -2", () -> FactorizeOptions.energy(0.9).withRandomized(0, 5, -2));
        assertMessage("randomizedAbove must not be negative, got -3", () -> FactorizeOptions.energy(0.9).withRandomized(-3, 5, 2));
        assertEquals("90% of the energy kept", FactorizeOptions.energy(0.9).ruleDescription());
    }

    /**
     * A bound per sample: with x the classifier's input, h = relu(W₀x + b₀) and E = W − W_k, relu
     * being 1-Lipschitz and dropout the identity in eval mode, the logits move by at most
     * ‖W₆‖₂·(‖W₃‖₂·‖E₀‖₂·‖x‖ + ‖E₃‖₂·‖h‖), with ‖E‖₂ ≤ ‖E‖_F = error·‖W‖_F (the reported error)
     * and ‖W₃ − E₃‖₂ ≤ ‖W₃‖₂ for a truncated SVD. It is safe but loose (the logits move by about
     * 0.3% of it), so the batch's relative change is also held to the first-order estimate
     * error₀ + error₃ (about 0.11 against 1.06 here).
     */
    private static void assertOutputsWithinBound(Graph g, FactorizeResult r) {
        Map<String, Double> error = new HashMap<>();
        r.factorized().forEach(f -> error.put(f.layer(), f.relativeError()));
        double e0 = error.get("classifier.0") * frobenius(g, "classifier.0"); // ‖E₀‖_F
        double e3 = error.get("classifier.3") * frobenius(g, "classifier.3");
        double w3 = spectral(g, "classifier.3");
        double w6 = spectral(g, "classifier.6");
        Batch b;
        try (DataLoader loader = images(16, false)) {
            b = loader.epoch(0).iterator().next();
        }
        List<float[]> before = run(g, b, List.of("flatten", "classifier.1"));
        float[] after = run(r.graph(), b, List.of()).get(0);
        int n = b.size();
        int classes = after.length / n;
        int features = before.get(1).length / n;
        int hidden = before.get(2).length / n;
        double movedSquares = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double x = norm(before.get(1), i * features, features);
            double h = norm(before.get(2), i * hidden, hidden);
            double bound = w6 * (w3 * e0 * x + e3 * h);
            double moved = 0;
            for (int c = 0; c < classes; c++) {
                double d = before.get(0)[i * classes + c] - after[i * classes + c];
                moved += d * d;
                squares += (double) before.get(0)[i * classes + c] * before.get(0)[i * classes + c];
            }
            movedSquares += moved;
            moved = Math.sqrt(moved);
            assertTrue(moved <= bound, "sample " + i + ": logits moved " + moved + ", bound " + bound);
        }
        double relative = Math.sqrt(movedSquares / squares);
        double errorSum = error.get("classifier.0") + error.get("classifier.3");
        assertTrue(relative > 0 && relative <= errorSum, "logits moved by " + relative + " of their norm, errors sum to "
                + errorSum);
    }

    private static List<float[]> run(Graph g, Batch b, List<String> taps) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            NDList out = block.forwardWithActivations(new ParameterStore(m, false),
                    new NDList(m.create(b.x(), new Shape(b.shape()))), false, taps);
            List<float[]> values = new ArrayList<>();
            out.forEach(a -> values.add(a.toFloatArray()));
            return values;
        }
    }

    private static DataLoader images(int n, boolean shuffle) {
        return DataLoader.builder(FashionMnist.bundled(Split.TRAIN).first(n), 32).transform(new Pad(2)).shuffle(shuffle)
                .seed(3).build();
    }

    private static double frobenius(Graph g, String layer) {
        float[] w = g.node(layer).param("weight").toFloats();
        return norm(w, 0, w.length);
    }

    private static double spectral(Graph g, String layer) {
        Tensor w = g.node(layer).param("weight");
        return TruncatedSvdTest.singularValues(w.toFloats(), w.shape().get(0), w.shape().get(1))[0];
    }

    private static double norm(float[] v, int from, int length) {
        double s = 0;
        for (int i = from; i < from + length; i++) {
            s += (double) v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    /** x [512] → fc [10, 512] with bias: a classifier with 10 classes. */
    private static Graph classifierOnly(Random r) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.ofFloats(Dims.of(10, 512), TruncatedSvdTest.gaussian(r, 5120)));
        p.put("bias", Tensor.zeros(Dims.of(10)));
        return Graph.builder().input("x", Dims.of(512))
                .add(new Node("fc", Op.LINEAR, List.of("x"), Attrs.NONE, p)).output("fc").build();
    }

    private static Map<String, String> reasons(FactorizeResult r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.skipped().forEach(s -> m.put(s.layer(), s.reason()));
        return m;
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable e) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}

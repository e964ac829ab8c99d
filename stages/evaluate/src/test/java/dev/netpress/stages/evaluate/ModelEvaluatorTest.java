package dev.netpress.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.data.DataLoader;
import dev.netpress.data.Example;
import dev.netpress.data.ImageDataset;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.measure.Metric;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModelEvaluatorTest {
    /** Six 1×1×2 "images"; a linear layer that scores class k as w_k·x; labels chosen by hand. */
    private static final float[][] PIXELS = {{1, 0}, {0, 1}, {1, 1}, {2, -1}, {-1, 2}, {0.5f, 0.2f}};
    private static final int[] LABELS = {0, 1, 2, 0, 5, 3};

    /** Class scores for x = (a, b): [a, b, a+b-0.5, 0.1, -a, 0.2b, 0]; argmax per image below. */
    private static Graph linearModel() {
        float[] w = {1, 0, 0, 1, 1, 1, 0, 0, -1, 0, 0, 0.2f, 0, 0};
        float[] b = {0, 0, -0.5f, 0.1f, 0, 0, 0};
        return Graph.builder().input("x", Dims.of(1, 1, 2))
                .add(Node.of("flat", Op.FLATTEN, List.of("x")))
                .add(new Node("fc", Op.LINEAR, List.of("flat"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(7, 2), w), "bias", Tensor.ofFloats(Dims.of(7), b))))
                .output("fc").build();
    }

    private static DataLoader handful() {
        ImageDataset ds = new ImageDataset() {
            @Override public int size() { return PIXELS.length; }
            @Override public Example get(int i) { return new Example(PIXELS[i], Dims.of(1, 1, 2), LABELS[i]); }
            @Override public List<String> classNames() { return IntStream.range(0, 7).mapToObj(String::valueOf).toList(); }
        };
        return DataLoader.builder(ds, 4).build();
    }

    @Test
    void accuracyTop5AndCountsMatchHandComputation() {
        // scores: (1,0)→[1,0,.5,.1,-1,0,0] argmax 0 ✓; (0,1)→[0,1,.5,.1,0,.2,0] argmax 1 ✓;
        // (1,1)→[1,1,1.5,.1,-1,.2,0] argmax 2 ✓; (2,-1)→[2,-1,.5,.1,-2,-.2,0] argmax 0 ✓;
        // (-1,2)→[-1,2,.5,.1,1,.4,0] argmax 1 ✗ (label 5 ranks 4th: top-5 ✓);
        // (.5,.2)→[.5,.2,.2,.1,-.5,.04,0] argmax 0 ✗ (label 3 ranks 5th of 7: top-5 ✓)
        try (DataLoader data = handful()) {
            EvaluationReport r = ModelEvaluator.evaluate(linearModel(), 1234, data, null, Map.of(), Map.of(),
                    new EvaluateOptions(1, 5, 1, null));
            Map<String, Double> m = r.metrics();
            assertEquals(4.0 / 6, m.get(Metric.ACCURACY.key()), 1e-9);
            assertEquals(1.0, m.get(Metric.TOP5.key()), 1e-9);
            assertEquals(14 + 7, m.get(Metric.PARAMS.key()));
            assertEquals(6 + 2, m.get(Metric.NONZERO_PARAMS.key())); // 6 non-zero weights + 2 non-zero biases, counted by hand
            assertEquals(14, m.get(Metric.MACS.key())); // 2 inputs × 7 outputs
            assertEquals(1234, m.get(Metric.BYTES.key()));
            assertTrue(m.get(Metric.LATENCY_MS_B1.key()) > 0);
            assertTrue(m.get(Metric.LATENCY_P95_MS_B1.key()) >= m.get(Metric.LATENCY_MS_B1.key()));
            assertTrue(m.get(Metric.THROUGHPUT_B64.key()) > 0);
            assertNull(r.vsFirst());
            assertNull(r.decision());
        }
    }

    @Test
    void comparisonsAndGateUseTheLineagesFirstModel() {
        Map<String, Double> model = Map.of("accuracy", 0.89, "latency_ms_b1", 2.0, "params", 100.0, "bytes", 400.0);
        Map<String, Double> first = Map.of("accuracy", 0.893, "latency_ms_b1", 5.0, "params", 350.0, "bytes", 1400.0);
        Comparison c = Comparison.of(model, first);
        assertEquals(0.3, c.accuracyDrop(), 1e-9);
        assertEquals(2.5, c.speedup(), 1e-9);
        assertEquals(3.5, c.paramCompression(), 1e-9);
        assertEquals(3.5, c.byteCompression(), 1e-9);

        Gate.Decision ok = new Gate(0.5, 2.0).decide(c);
        assertTrue(ok.accepted());
        assertEquals(List.of("accuracy drop 0.30 points within the allowed 0.50", "speed-up 2.50x meets the required 2.00x"),
                ok.reasons());
        Gate.Decision slow = new Gate(0.5, 3.0).decide(c);
        assertFalse(slow.accepted());
        assertTrue(slow.reasons().get(1).contains("falls short of"));
        assertFalse(new Gate(0.2, null).decide(c).accepted());
        assertThrows(IllegalArgumentException.class, () -> new Gate(-1, null));
        assertThrows(IllegalArgumentException.class, () -> new Gate(0.5, null).decide(null));
    }

    @Test
    void theFirstModelIsTimedInTheSameRunAndTheGateDecides() {
        Graph big = linearModel();
        try (DataLoader data = handful()) {
            EvaluationReport r = ModelEvaluator.evaluate(linearModel(), -1, data, big, Map.of("accuracy", 4.0 / 6),
                    Map.of("accuracy", 0.5), new EvaluateOptions(1, 5, 2, new Gate(0.0, null)));
            assertEquals(0.0, r.vsFirst().accuracyDrop(), 1e-9);
            assertTrue(r.vsFirst().speedup() > 0);
            assertEquals(1.0, r.vsFirst().paramCompression(), 1e-9);
            assertEquals(-100 * (4.0 / 6 - 0.5), r.vsParent().accuracyDrop(), 1e-9);
            assertTrue(r.decision().accepted(), r.decision().reasons().toString());
            assertFalse(r.metrics().containsKey(Metric.BYTES.key()));
        }
    }
}

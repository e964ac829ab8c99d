package dev.netpress.stages.sparsify;

import static dev.netpress.stages.sparsify.TestGraphs.batchNorm;
import static dev.netpress.stages.sparsify.TestGraphs.conv;
import static dev.netpress.stages.sparsify.TestGraphs.convBnLinear;
import static dev.netpress.stages.sparsify.TestGraphs.distinct;
import static dev.netpress.stages.sparsify.TestGraphs.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparsifierTest {
    private static Sparsifier sparsifier(String granularity, String context, String layerType) {
        return SparsifyOptions.builder().optGranularity(granularity).optContext(context).optLayerType(layerType)
                .build().sparsifier();
    }

    private static float[] weight(Graph g, String node) {
        return g.node(node).param("weight").toFloats();
    }

    /** Zero flags per group: each group must be all zero or all non-zero. */
    private static boolean[] zeroGroups(float[] w, Granularity g, Dims shape) {
        int[] group = g.groupIndex(shape);
        int n = g.groupCount(shape);
        int[] zeros = new int[n];
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0f) {
                zeros[group[i]]++;
            }
        }
        boolean[] out = new boolean[n];
        for (int k = 0; k < n; k++) {
            assertTrue(zeros[k] == 0 || zeros[k] == g.groupSize(shape), "group " + k + " is partly zero");
            out[k] = zeros[k] > 0;
        }
        return out;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            c += v ? 1 : 0;
        }
        return c;
    }

    @Test
    void filterAtHalfZeroesExactlyTheWeakerHalfOfTheFiltersWithTheirBiasAndBatchNorm() {
        Dims shape = Dims.of(16, 4, 3, 3);
        // filter o has mean |w| growing with o, in a shuffled filter order
        int[] strength = {9, 3, 14, 0, 7, 12, 5, 1, 15, 10, 2, 8, 13, 4, 11, 6};
        Tensor w = tensor(shape, i -> (i % 3 == 0 ? -1 : 1) * (1 + strength[i / 36]) * (1 + (i % 36) / 100.0));
        Graph g = sparsifier("filter", "local", "conv2d").sparsify(convBnLinear(w, distinct(Dims.of(3, 256), 1)), 50);

        float[] out = weight(g, "conv");
        float[] bias = g.node("conv").param("bias").toFloats();
        float[] gamma = g.node("bn").param("weight").toFloats();
        float[] beta = g.node("bn").param("bias").toFloats();
        int dead = 0;
        for (int o = 0; o < 16; o++) {
            boolean weak = strength[o] < 8;
            for (int i = 0; i < 36; i++) {
                assertEquals(weak, out[o * 36 + i] == 0f, "filter " + o);
            }
            assertEquals(weak ? 0f : 0.5f, bias[o]);
            assertEquals(weak ? 0f : 1.5f, gamma[o]);
            assertEquals(weak ? 0f : 0.25f, beta[o]);
            dead += weak ? 1 : 0;
        }
        assertEquals(8, dead);
        assertArrayEquals(new float[16], g.node("bn").param("running_mean").toFloats(), "buffers are not masked");
        assertArrayEquals(weight(convBnLinear(w, distinct(Dims.of(3, 256), 1)), "fc"), weight(g, "fc"),
                "linear layers are left alone with layer type conv2d");
    }

    @Test
    void everyGranularityRemovesExactlyItsShareOfWholeGroupsInBothContexts() {
        Dims convShape = Dims.of(8, 4, 3, 3);
        Dims fcShape = Dims.of(3, 128);
        Graph g = convBnLinear(distinct(convShape, 2), distinct(fcShape, 3));
        for (String context : List.of("local", "global")) {
            for (LayerKind kind : LayerKind.values()) {
                String node = kind == LayerKind.CONV2D ? "conv" : "fc";
                Dims shape = kind == LayerKind.CONV2D ? convShape : fcShape;
                String type = kind == LayerKind.CONV2D ? "conv2d" : "linear";
                for (String name : Registry.names().get("granularity (" + type + ")")) {
                    if (name.equals("group") && kind == LayerKind.LINEAR) {
                        continue; // fc's units are the graph's output, an unprunable group (see ChannelGroupSparsifyTest)
                    }
                    Granularity gran = Registry.granularity(name, kind);
                    Graph out = sparsifier(name, context, type).sparsify(g, 50);
                    int groups = gran.groupCount(shape);
                    int expected = Math.min(Math.round(groups * 0.5f), groups - 1); // a layer is never emptied
                    boolean[] zero = zeroGroups(weight(out, node), gran, shape);
                    assertEquals(expected, count(zero), context + " " + type + " " + name);
                    Mask mask = sparsifier(name, context, type).masks(g, Map.of(node, 50.0)).byTensor().get(node + ".weight");
                    assertEquals(gran.maskShape(shape), mask.shape(), name + " broadcasts");
                }
            }
        }
    }

    @Test
    void sharedGranularitiesGiveEveryFilterTheSameMask() {
        Dims shape = Dims.of(6, 4, 3, 3);
        Graph g = convBnLinear(distinct(shape, 4), distinct(Dims.of(3, 96), 5));
        for (String name : List.of("shared_weight", "shared_channel", "shared_column", "shared_row",
                "shared_vertical_slice", "shared_horizontal_slice", "shared_kernel")) {
            float[] w = weight(sparsifier(name, "local", "conv2d").sparsify(g, 50), "conv");
            for (int o = 1; o < 6; o++) {
                for (int i = 0; i < 36; i++) {
                    assertEquals(w[i] == 0f, w[o * 36 + i] == 0f, name + " filter " + o);
                }
            }
            assertTrue(count(zeroGroups(w, Registry.granularity(name, LayerKind.CONV2D), shape)) > 0, name);
        }
    }

    @Test
    void kernelGranularityZeroesWholeKernels() {
        Dims shape = Dims.of(4, 6, 3, 3);
        Graph g = sparsifier("kernel", "local", "conv2d").sparsify(convBnLinear(distinct(shape, 6), distinct(Dims.of(3, 64), 7)), 25);
        float[] w = weight(g, "conv");
        int zeroKernels = 0;
        for (int k = 0; k < 24; k++) {
            int z = 0;
            for (int e = 0; e < 9; e++) {
                z += w[k * 9 + e] == 0f ? 1 : 0;
            }
            assertTrue(z == 0 || z == 9, "kernel " + k + " has " + z + " zeros");
            zeroKernels += z == 9 ? 1 : 0;
        }
        assertEquals(6, zeroKernels);
    }

    /** Two convs in a row whose filter o has all weights of magnitude (o+1)/10, the second scaled by 0.55. */
    private static Graph twoConvs() {
        Tensor a = tensor(Dims.of(8, 4, 3, 3), i -> (i % 2 == 0 ? 1 : -1) * (i / 36 + 1) / 10.0);
        Tensor b = tensor(Dims.of(8, 8, 3, 3), i -> (i % 2 == 0 ? 1 : -1) * 0.55 * (i / 72 + 1) / 10.0);
        return Graph.builder().input("input", Dims.of(4, 4, 4))
                .add(conv("a", "input", a, false))
                .add(conv("b", "a", b, false))
                .output("b").build();
    }

    private static int deadFilters(Graph g, String node) {
        return count(zeroGroups(weight(g, node), Registry.granularity("filter", LayerKind.CONV2D),
                g.node(node).param("weight").shape()));
    }

    @Test
    void globalContextDrawsOneThresholdSoLowerScoringLayersLoseMore() {
        Graph g = twoConvs();
        Graph local = sparsifier("filter", "local", "conv2d").sparsify(g, 50);
        assertEquals(4, deadFilters(local, "a"));
        assertEquals(4, deadFilters(local, "b"));

        // pool of 16 filter scores: a = 0.1 … 0.8, b = 0.055 … 0.44; the 8 lowest are 3 of a and 5 of b
        Graph global = sparsifier("filter", "global", "conv2d").sparsify(g, 50);
        assertEquals(3, deadFilters(global, "a"));
        assertEquals(5, deadFilters(global, "b"));
        float maxRemoved = 0;
        float minKept = Float.MAX_VALUE;
        for (String node : List.of("a", "b")) {
            float[] before = weight(g, node);
            float[] after = weight(global, node);
            int per = before.length / 8;
            for (int o = 0; o < 8; o++) {
                float score = Math.abs(before[o * per]);
                if (after[o * per] == 0f) {
                    maxRemoved = Math.max(maxRemoved, score);
                } else {
                    minKept = Math.min(minKept, score);
                }
            }
        }
        assertTrue(maxRemoved < minKept, "one threshold: removed ≤ " + maxRemoved + " < kept ≥ " + minKept);

        // normalized by each layer's maximum the two layers score alike, and lose alike
        Graph normalized = SparsifyOptions.builder().optGranularity("filter").optContext("global").optNormalizer("max")
                .build().sparsifier().sparsify(g, 50);
        assertEquals(4, deadFilters(normalized, "a"));
        assertEquals(4, deadFilters(normalized, "b"));
    }

    @Test
    void keptGroupsRoundUpToAMultiple() {
        Dims shape = Dims.of(10, 2, 3, 3);
        Graph g = convBnLinear(distinct(shape, 8), distinct(Dims.of(3, 160), 9));
        Sparsifier rounded = SparsifyOptions.builder().optGranularity("filter").optRoundTo(4).build().sparsifier();
        // 50% of 10 filters keeps 5, rounded up to 8
        assertEquals(2, deadFilters(rounded.sparsify(g, 50), "conv"));
        // 95% keeps 1 (rounded from 0.5), rounded up to 4
        assertEquals(6, deadFilters(rounded.sparsify(g, 95), "conv"));
        Sparsifier weights = SparsifyOptions.builder().optRoundTo(16).build().sparsifier();
        long kept = weights.sparsify(g, 50).node("conv").param("weight").countNonZero();
        assertEquals(96, kept, "90 kept weights round up to 96");
    }

    @Test
    void twoOfFourKeepsTheTwoLargestOfEveryFourAlongTheInputAxis() {
        Tensor convW = distinct(Dims.of(4, 8, 3, 3), 10);
        Tensor fcW = distinct(Dims.of(3, 64), 11);
        Graph g = convBnLinear(convW, fcW);
        Graph out = SparsifyOptions.builder().optNm(NmPattern.parse("2:4")).optLayerType("both").build().sparsifier()
                .sparsify(g, 50);
        float[] c = weight(out, "conv");
        float[] c0 = convW.toFloats();
        for (int o = 0; o < 4; o++) {
            for (int run = 0; run < 2; run++) {
                for (int p = 0; p < 9; p++) {
                    List<Float> kept = new ArrayList<>();
                    List<Float> all = new ArrayList<>();
                    for (int j = 0; j < 4; j++) {
                        int e = (o * 8 + run * 4 + j) * 9 + p;
                        all.add(Math.abs(c0[e]));
                        if (c[e] != 0f) {
                            kept.add(Math.abs(c[e]));
                        }
                    }
                    all.sort(null);
                    kept.sort(null);
                    assertEquals(all.subList(2, 4), kept, "run " + o + "/" + run + "/" + p);
                }
            }
        }
        float[] f = weight(out, "fc");
        for (int k = 0; k < f.length; k += 4) {
            int z = 0;
            for (int j = 0; j < 4; j++) {
                z += f[k + j] == 0f ? 1 : 0;
            }
            assertEquals(2, z, "fc run at " + k);
        }
        assertEquals(50.0, SparsityReport.of(out, List.of(layer(out, "conv"), layer(out, "fc"))).overall(), 1e-9);
    }

    @Test
    void aLayerWhoseInputAxisDoesNotFitTheNmPatternStaysDense() {
        Graph g = convBnLinear(distinct(Dims.of(4, 3, 3, 3), 12), distinct(Dims.of(3, 64), 13));
        Graph out = SparsifyOptions.builder().optNm(new NmPattern(2, 4)).build().sparsifier().sparsify(g, 50);
        assertEquals(108, out.node("conv").param("weight").countNonZero());
    }

    @Test
    void neverEmptiesALayer() {
        Graph g = convBnLinear(distinct(Dims.of(4, 2, 3, 3), 14), distinct(Dims.of(3, 64), 15));
        assertEquals(3, deadFilters(sparsifier("filter", "local", "conv2d").sparsify(g, 99.9), "conv"));
        assertEquals(1, sparsifier("weight", "local", "conv2d").sparsify(g, 99.9).node("conv").param("weight").countNonZero());
        assertEquals(1, sparsifier("layer", "global", "conv2d").sparsify(g, 99.9).node("conv").param("weight").countNonZero() / 72);
        // global 90% of 16 filters would take all 8 of b and 6 of a; one of b stays
        Graph two = sparsifier("filter", "global", "conv2d").sparsify(twoConvs(), 90);
        assertEquals(7, deadFilters(two, "b"));
        assertEquals(6, deadFilters(two, "a"));
    }

    @Test
    void batchNormIsFoundThroughTheGraphNotTheNodeOrder() {
        Tensor strongFirst = tensor(Dims.of(4, 2, 3, 3), i -> i < 36 ? 1 : 0.1);   // filters 2, 3 weak
        Tensor strongLast = tensor(Dims.of(4, 2, 3, 3), i -> i < 36 ? 0.1 : 1);    // filters 0, 1 weak
        // in node order bnA follows convB: pairing a conv with the next node would mismatch them
        Graph g = Graph.builder().input("input", Dims.of(2, 4, 4))
                .add(conv("convA", "input", strongFirst, true))
                .add(conv("convB", "input", strongLast, true))
                .add(batchNorm("bnB", "convB", 4))
                .add(batchNorm("bnA", "convA", 4))
                .add(Node.of("sum", Op.ADD, List.of("bnA", "bnB")))
                .output("sum").build();
        assertEquals(List.of("convA", "convB", "bnA", "bnB", "sum"), g.nodes().stream().map(Node::name).toList());
        Graph out = sparsifier("filter", "local", "conv2d").sparsify(g, 50);
        assertArrayEquals(new float[] {1.5f, 1.5f, 0, 0}, out.node("bnA").param("weight").toFloats());
        assertArrayEquals(new float[] {0, 0, 1.5f, 1.5f}, out.node("bnB").param("weight").toFloats());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0}, out.node("convA").param("bias").toFloats());
    }

    @Test
    void perLayerSparsityInTheLocalContext() {
        Graph g = twoConvs();
        Graph out = sparsifier("filter", "local", "conv2d").sparsify(g, Map.of("a", 25.0, "b", 75.0));
        assertEquals(2, deadFilters(out, "a"));
        assertEquals(6, deadFilters(out, "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sparsifier("filter", "global", "conv2d").sparsify(g, Map.of("a", 25.0, "b", 75.0)));
        assertEquals("the global context takes one sparsity for all layers", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sparsifier("filter", "local", "conv2d").sparsify(g, Map.of("a", 25.0)));
        assertEquals("sparsity of layer 'b' must be in [0, 100), got null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sparsifier("filter", "local", "conv2d").sparsify(g, 100));
        assertTrue(e.getMessage().contains("[0, 100)"), e.getMessage());
    }

    @Test
    void reportCountsZerosAndDeadUnits() {
        Graph g = sparsifier("filter", "local", "conv2d").sparsify(twoConvs(), 50);
        SparsityReport r = SparsityReport.of(g, PrunableLayer.find(g, java.util.Set.of(LayerKind.CONV2D)));
        assertEquals(List.of("a", "b"), r.layers().stream().map(SparsityReport.Layer::name).toList());
        assertEquals(new SparsityReport.Layer("a", 288, 144, 8, 4), r.layers().get(0));
        assertEquals(50.0, r.overall(), 1e-9);
        assertTrue(r.format().contains("4/8"), r.format());
        assertNotEquals(0, g.nonZeroParameterCount());
    }

    private static PrunableLayer layer(Graph g, String name) {
        return PrunableLayer.find(g, java.util.Set.of(LayerKind.values())).stream()
                .filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }
}

package dev.netpress.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Structured mode: a share of every group's channels goes, by importance. */
class StructuredPruneTest {
    private static List<PruneReport.GroupChange> pruned(PruneReport r) {
        return r.groups().stream().filter(g -> g.after() < g.before()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg16_bn", "resnet18", "mobilenet_v2"})
    void removesAShareOfEveryGroupInMultiplesOfRoundTo(String model) {
        Graph g = Models.zoo(model);
        PruneResult r = Prune.apply(g, PruneOptions.builder().structured(0.3).roundTo(4).build());
        Graph p = r.graph();
        float[] out = Models.run(p, Models.input(6));
        assertEquals(Models.BATCH * 10, out.length);
        assertEquals(Dims.of(10), p.shapeOf(p.outputs().get(0)));
        assertTrue(r.report().parametersAfter() < r.report().parametersBefore());
        assertTrue(r.report().macsAfter() < r.report().macsBefore());
        assertEquals(p.macs(), r.report().macsAfter());
        assertTrue(pruned(r.report()).size() >= 10, "most groups shrink: " + r.report().groups());
        for (PruneReport.GroupChange c : r.report().groups()) {
            if (c.after() < c.before()) {
                assertEquals(0, c.after() % 4, c.toString());
                assertTrue(c.after() >= 4 && c.after() >= c.before() - (int) Math.floor(0.3 * c.before() + 1e-9), c.toString());
            }
        }
    }

    /**
     * The first batch norm gets half its scales near zero: global pruning removes exactly those
     * eight channels there, more than the 30% it removes overall; local removes 30% everywhere.
     */
    @Test
    void globalContextSpreadsTheRemovalUnevenly() {
        float[] gamma = new float[16];
        for (int c = 0; c < 16; c++) {
            gamma[c] = c % 2 == 0 ? 0.01f : 1f;
        }
        Graph g = Models.withTrainedLookingBatchNorms(Models.zoo("vgg16_bn"), 7).mapNodes(n -> n.name().equals("features.1")
                ? n.withParam("weight", Tensor.ofFloats(Dims.of(16), gamma)) : n);
        PruneOptions.Builder b = PruneOptions.builder().structured(0.3).importance("bn_scale");
        PruneReport local = Prune.apply(g, b.build()).report();
        PruneReport global = Prune.apply(g, b.context("global").build()).report();

        List<PruneReport.GroupChange> ranked = local.groups().stream().filter(c -> c.note().isEmpty()).toList();
        for (PruneReport.GroupChange c : ranked) {
            assertEquals(Math.floor(0.3 * c.before()), c.before() - c.after(), c.toString());
        }
        PruneReport.GroupChange first = global.groups().stream().filter(c -> c.name().equals("features.0")).findFirst()
                .orElseThrow();
        assertEquals(8, first.after(), first.toString());
        double[] shares = global.groups().stream().filter(c -> c.note().isEmpty())
                .mapToDouble(c -> 1 - (double) c.after() / c.before()).toArray();
        assertTrue(Arrays.stream(shares).max().orElseThrow() - Arrays.stream(shares).min().orElseThrow() > 0.2,
                Arrays.toString(shares));
        int before = ranked.stream().mapToInt(PruneReport.GroupChange::before).sum();
        int after = global.groups().stream().filter(c -> c.note().isEmpty()).mapToInt(PruneReport.GroupChange::after).sum();
        assertEquals(0.3, 1 - (double) after / before, 0.01);
        // the classifier's hidden linears have no batch norm: bn_scale leaves them whole and says so
        assertTrue(global.groups().stream().anyMatch(c -> c.name().equals("classifier.0") && c.after() == c.before()
                && c.note().contains("bn_scale")));
    }

    @Test
    void maxRatioCapsEveryGroup() {
        Graph g = Models.zoo("resnet18");
        PruneReport r = Prune.apply(g, PruneOptions.builder().structured(0.8).context("global").importance("l1")
                .maxRatio(0.5).build()).report();
        for (PruneReport.GroupChange c : r.groups()) {
            assertTrue(c.after() >= c.before() - c.before() / 2, c.toString());
        }
        assertTrue(pruned(r).size() > 0);
    }

    @Test
    void taylorRanksByGradientsOnTheSuppliedData() {
        Graph g = Models.zoo("resnet18");
        try (DataLoader data = Models.data(4)) {
            PruneOptions o = PruneOptions.builder().structured(0.3).importance("taylor").taylorBatches(2).build();
            PruneResult r = Prune.apply(g, o, data);
            assertTrue(r.report().parametersAfter() < r.report().parametersBefore());
            assertEquals(Models.BATCH * 10, Models.run(r.graph(), Models.input(8)).length);
            PruneResult l1 = Prune.apply(g, PruneOptions.builder().structured(0.3).importance("l1").build());
            assertNotEquals(l1.graph().tensors().get("conv1.weight").bytes(), r.graph().tensors().get("conv1.weight").bytes(),
                    "taylor and l1 keep different channels");
        }
    }

    @Test
    void randomImportanceIsSeeded() {
        Graph g = Models.zoo("mobilenet_v2");
        PruneOptions.Builder b = PruneOptions.builder().structured(0.5).importance("random");
        float[] x = Models.input(9);
        float[] a = Models.run(Prune.apply(g, b.seed(1).build()).graph(), x);
        assertArrayEquals(a, Models.run(Prune.apply(g, b.seed(1).build()).graph(), x));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Models.run(Prune.apply(g, b.seed(2).build()).graph(), x)));
    }
}

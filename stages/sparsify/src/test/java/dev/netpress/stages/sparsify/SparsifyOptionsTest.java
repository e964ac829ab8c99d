package dev.netpress.stages.sparsify;

import static dev.netpress.stages.sparsify.TestGraphs.loader;
import static dev.netpress.stages.sparsify.TestGraphs.tinyVgg;
import static dev.netpress.stages.sparsify.TestGraphs.validation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SparsifyOptionsTest {
    private static String rejected(UnaryOperator<SparsifyOptions.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(SparsifyOptions.builder()).build())
                .getMessage();
    }

    @Test
    void defaultsAreValidAndRoundTrip() {
        SparsifyOptions o = SparsifyOptions.builder().build();
        assertEquals(50, o.sparsity());
        assertEquals("weight", o.granularity());
        assertEquals("local", o.context());
        assertEquals("large_final", o.criteria());
        assertEquals(o, o.toBuilder().build());
    }

    @Test
    void badOptionsAreRejectedWithClearMessages() {
        assertEquals("sparsity must be a percentage in [0, 100), got 100.0", rejected(b -> b.optSparsity(100)));
        assertEquals("sparsity must be a percentage in [0, 100), got -1.0", rejected(b -> b.optSparsity(-1)));
        assertEquals("unknown granularity 'filter' for linear layers; valid: weight, column, row, layer, group",
                rejected(b -> b.optGranularity("filter").optLayerType("both")));
        assertTrue(rejected(b -> b.optGranularity("rows")).startsWith("unknown granularity 'rows' for conv2d layers; "
                + "valid: weight, shared_weight, channel, column, row, kernel, filter, "));
        assertEquals("a per-layer sparsity map needs a per-layer context such as local; context 'global' draws one "
                + "threshold for all layers", rejected(b -> b.optContext("global").optLayerSparsity(Map.of("features.0", 30.0))));
        assertEquals("sparsity of layer 'features.0' must be a percentage in [0, 100), got 120.0",
                rejected(b -> b.optLayerSparsity(Map.of("features.0", 120.0))));
        assertEquals("rewind_epoch 1 is after the schedule start (epoch 0.50 = start 0.25 × 2 epochs): the weights to "
                + "rewind to must be saved before the first pruning step",
                rejected(b -> b.optLth(true).optStart(0.25).optEpochs(2).optRewindEpoch(1)));
        assertEquals("rewind_epoch 3 is not within the 3 epochs of training",
                rejected(b -> b.optResetEnd(true).optStart(0.9).optEpochs(3).optRewindEpoch(3)));
        assertTrue(rejected(b -> b.optNm(NmPattern.parse("2:4")).optGranularity("kernel")).startsWith("N:M sparsity 2:4"));
        assertTrue(rejected(b -> b.optNm(NmPattern.parse("2:4")).optContext("global")).contains("context (local)"));
        assertEquals("N:M pattern must look like 2:4, got '2-4'", assertThrows(IllegalArgumentException.class,
                () -> NmPattern.parse("2-4")).getMessage());
        assertTrue(rejected(b -> b.optCriteria("magnitude")).startsWith("unknown criteria 'magnitude'; valid: random"));
        assertEquals("unknown context 'layerwise'; valid: local, global", rejected(b -> b.optContext("layerwise")));
        assertEquals("unknown layer type 'conv'; valid: conv2d, linear, both", rejected(b -> b.optLayerType("conv")));
        assertTrue(rejected(b -> b.optSchedule("gradual")).startsWith("unknown schedule 'gradual'"));
        assertEquals("schedule end must be in (start, 1] = (0.5, 1], got 0.5", rejected(b -> b.optStart(0.5).optEnd(0.5)));
        assertEquals("round_to must be at least 1, got 0", rejected(b -> b.optRoundTo(0)));
        assertEquals("steps must be at least 1, got 0", rejected(b -> b.optSteps(0)));
        assertEquals("epochs must be at least 1, got 0", rejected(b -> b.optEpochs(0)));
        assertEquals("learning rate must be positive, got 0.0", rejected(b -> b.optLr(0)));
    }

    @Test
    void optionsAreCheckedAgainstTheGraphBeforeAnyTraining() {
        Graph g = tinyVgg();
        List<String> log = new ArrayList<>();
        SparsifyOptions o = SparsifyOptions.builder().optLayerSparsity(Map.of("features.1", 30.0)).build();
        try (DataLoader train = loader(16, 16, false)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sparsify.apply(g, train, null, o, log::add, t -> {}));
            assertTrue(e.getMessage().startsWith("layer 'features.1' of the sparsity map is not a conv2d layer of the "
                    + "model; they are features.0, features.4, "), e.getMessage());
        }
        assertEquals(List.of(), log, "nothing ran");
        Graph convOnly = Graph.builder().input("input", g.inputs().get(0).shape()).add(g.node("features.0"))
                .output("features.0").build();
        assertEquals("the model has no linear layer to sparsify", assertThrows(IllegalArgumentException.class,
                () -> SparsifyOptions.builder().optLayerType("linear").build().validateFor(convOnly)).getMessage());
    }

    @Test
    void sparsifyFineTunesToTheTargetAndReports() {
        SparsifyOptions o = SparsifyOptions.builder().optSparsity(40).optGranularity("row").optLayerType("linear")
                .optSchedule("agp").optEpochs(1).optLr(1e-3).build();
        List<String> log = new ArrayList<>();
        SparsifyResult r;
        try (DataLoader train = loader(32, 16, true); DataLoader valid = validation(64)) {
            r = Sparsify.apply(tinyVgg(), train, valid, o, log::add, t -> {});
        }
        assertEquals(3, r.sparsity().layers().size());
        for (SparsityReport.Layer l : r.sparsity().layers()) {
            assertEquals(Math.round(l.units() * 0.4), l.deadUnits(), l.name());
        }
        assertEquals(r.sparsity(), SparsityReport.of(r.graph(), o.sparsifier().layers(r.graph())));
        assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1, "accuracy " + r.accuracy());
        assertEquals(1, r.history().size());
        assertEquals(List.of(), r.tickets());
        assertEquals(3, log.size(), log.toString());
    }
}

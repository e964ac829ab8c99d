package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.data.DataLoader;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import dev.netpress.train.Evaluator;
import dev.netpress.train.LossFunction;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitivityScanTest {
    @Test
    void curvesPerLayerAndAGreedyMapThatMeetsTheTargetAndFeedsSparsify() {
        Graph g = TestGraphs.tinyVgg();
        DataLoader valid = TestGraphs.validation(128);
        SensitivityReport r = SensitivityScan.defaults().withLevels(List.of(30.0, 60.0, 90.0))
                .withTarget(30, Objective.PARAMS).run(g, valid);

        List<PrunableLayer> convs = PrunableLayer.find(g, Registry.layerKinds("conv2d"));
        assertEquals(convs.stream().map(PrunableLayer::name).toList(),
                r.curves().stream().map(SensitivityCurve::layer).toList());
        double dense;
        try (NDManager m = NDManager.newBaseManager()) {
            dense = Evaluator.evaluate(GraphBlock.create(g, m), new ParameterStore(m, false), m, valid,
                    LossFunction.crossEntropy()).accuracy();
        }
        assertEquals(dense, r.denseAccuracy());
        for (SensitivityCurve c : r.curves()) {
            assertArrayEquals(new double[] {0, 30, 60, 90}, c.levels(), c.layer());
            assertEquals(dense, c.accuracy()[0], c.layer() + " at 0%");
            for (int i = 1; i < 4; i++) {
                assertTrue(c.params()[i] > c.params()[i - 1] && c.macs()[i] > c.macs()[i - 1], c.layer() + " level " + i);
                assertTrue(c.accuracy()[i] >= 0 && c.accuracy()[i] <= 1);
            }
        }

        SparsityAllocation a = r.allocation();
        double goal = 0.30 * g.parameterCount();
        assertTrue(a.params() >= goal, "target missed: " + a.params() + " < " + goal);
        assertTrue(a.params() - a.lastStep() < goal, "the map overshoots by more than one step");
        assertEquals(convs.size(), a.layerSparsity().size());

        SparsifyOptions options = SparsifyOptions.builder().optContext("local").optGranularity("filter")
                .optLayerSparsity(a.layerSparsity()).build();
        options.validateFor(g);
        Graph sparse = options.sparsifier().sparsify(g, a.layerSparsity());
        long zeros = SparsityReport.of(sparse, convs).layers().stream().mapToLong(SparsityReport.Layer::zeros).sum();
        assertEquals(a.params(), zeros, "predicted and actual zeroed weights");

        SparsityAllocation macs = r.allocate(30, Objective.MACS);
        assertTrue(macs.macs() >= 0.30 * g.macs() && macs.macs() - macs.lastStep() < 0.30 * g.macs());
        String table = r.format();
        assertTrue(table.contains(convs.get(0).name()) && table.contains("chosen"), table);
        assertThrows(IllegalArgumentException.class, () -> r.allocate(99, Objective.PARAMS));
    }

    @Test
    void badScansAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SensitivityScan.defaults().withLevels(List.of(50.0, 30.0)));
        assertThrows(IllegalArgumentException.class, () -> SensitivityScan.defaults().withLevels(List.of(100.0)));
        assertThrows(IllegalArgumentException.class, () -> SensitivityScan.defaults().withGranularity("diagonal"));
        assertThrows(IllegalArgumentException.class, () -> SensitivityScan.defaults().withTarget(0, Objective.MACS));
        assertEquals(Objective.MACS, Objective.parse("macs"));
    }
}

package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SparsifyTechniqueTest {
    private final SparsifyTechnique technique = new SparsifyTechnique();

    @Test
    void anExplicitMapNeedsNoScan() {
        SparsifyTechnique.Job job = technique.parse(Map.of("layer_sparsity", "features.0=20"));
        assertNull(job.scan());
        assertEquals(Map.of("features.0", 20.0), job.options().layerSparsity());
    }

    @Test
    void autoScansAtTheJobsGranularityForTheTarget() {
        SparsifyTechnique.Job job = technique.parse(Map.of("layer_sparsity", "auto", "granularity", "group",
                "target", "40", "objective", "macs"));
        assertTrue(job.options().layerSparsity().isEmpty());
        assertEquals(new SensitivityScan(SensitivityScan.defaults().levels(), "group", "large_final", "conv2d", 40,
                Objective.MACS), job.scan());
    }

    @Test
    void autoNeedsALocalContextAndAKnownObjective() {
        assertThrows(IllegalArgumentException.class,
                () -> technique.parse(Map.of("layer_sparsity", "auto", "context", "global")));
        assertThrows(IllegalArgumentException.class,
                () -> technique.parse(Map.of("layer_sparsity", "auto", "objective", "flops")));
    }
}

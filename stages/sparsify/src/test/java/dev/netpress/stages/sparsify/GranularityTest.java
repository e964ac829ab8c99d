package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.Dims;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GranularityTest {
    private static final Dims CONV = Dims.of(4, 3, 2, 5); // O, I, KH, KW
    private static final Dims LINEAR = Dims.of(6, 10);   // O, I

    @Test
    void convGranularitiesGroupOverFasteraisAxes() {
        Map<String, Dims> masks = Map.ofEntries(
                Map.entry("weight", Dims.of(4, 3, 2, 5)),
                Map.entry("shared_weight", Dims.of(1, 3, 2, 5)),
                Map.entry("channel", Dims.of(4, 1, 2, 5)),
                Map.entry("column", Dims.of(4, 3, 1, 5)),
                Map.entry("row", Dims.of(4, 3, 2, 1)),
                Map.entry("kernel", Dims.of(4, 3, 1, 1)),
                Map.entry("filter", Dims.of(4, 1, 1, 1)),
                Map.entry("vertical_slice", Dims.of(4, 1, 1, 5)),
                Map.entry("horizontal_slice", Dims.of(4, 1, 2, 1)),
                Map.entry("shared_channel", Dims.of(1, 1, 2, 5)),
                Map.entry("shared_column", Dims.of(1, 3, 1, 5)),
                Map.entry("shared_row", Dims.of(1, 3, 2, 1)),
                Map.entry("shared_vertical_slice", Dims.of(1, 1, 1, 5)),
                Map.entry("shared_horizontal_slice", Dims.of(1, 1, 2, 1)),
                Map.entry("shared_kernel", Dims.of(1, 3, 1, 1)),
                Map.entry("layer", Dims.of(1, 1, 1, 1)),
                Map.entry("group", Dims.of(4, 1, 1, 1)));
        assertEquals(masks.keySet(), new java.util.HashSet<>(Registry.names().get("granularity (conv2d)")));
        masks.forEach((name, mask) -> {
            Granularity g = Registry.granularity(name, LayerKind.CONV2D);
            assertEquals(mask, g.maskShape(CONV), name);
            assertEquals(mask.numel(), g.groupCount(CONV), name);
            assertEquals(CONV.numel(), (long) g.groupCount(CONV) * g.groupSize(CONV), name);
        });
    }

    @Test
    void linearGranularities() {
        assertEquals(Dims.of(6, 10), Registry.granularity("weight", LayerKind.LINEAR).maskShape(LINEAR));
        assertEquals(Dims.of(1, 10), Registry.granularity("column", LayerKind.LINEAR).maskShape(LINEAR));
        assertEquals(Dims.of(6, 1), Registry.granularity("row", LayerKind.LINEAR).maskShape(LINEAR));
        assertEquals(Dims.of(1, 1), Registry.granularity("layer", LayerKind.LINEAR).maskShape(LINEAR));
        assertEquals(Dims.of(6, 1), Registry.granularity("group", LayerKind.LINEAR).maskShape(LINEAR));
    }

    @Test
    void unknownGranularityForTheLayerKindListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Registry.granularity("filter", LayerKind.LINEAR));
        assertEquals("unknown granularity 'filter' for linear layers; valid: weight, column, row, layer, group", e.getMessage());
    }

    @Test
    void groupIndexFollowsTheKeptAxes() {
        // kernel granularity on [2, 3, 2, 2]: every 4 consecutive weights (one kh×kw kernel) form a group
        int[] kernel = Granularity.over(2, 3).groupIndex(Dims.of(2, 3, 2, 2));
        for (int e = 0; e < kernel.length; e++) {
            assertEquals(e / 4, kernel[e]);
        }
        // shared_kernel on [2, 3, 2, 2]: the group is the input channel, whatever the filter
        int[] shared = Granularity.over(0, 2, 3).groupIndex(Dims.of(2, 3, 2, 2));
        for (int e = 0; e < shared.length; e++) {
            assertEquals((e / 4) % 3, shared[e]);
        }
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, Granularity.over(0).groupIndex(Dims.of(2, 3)));
    }

    @Test
    void axesMustBeDistinctAndInsideTheWeight() {
        assertThrows(IllegalArgumentException.class, () -> Granularity.over(1, 1));
        assertThrows(IllegalArgumentException.class, () -> Granularity.over(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Granularity.over(2).maskShape(Dims.of(3, 4)));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
}

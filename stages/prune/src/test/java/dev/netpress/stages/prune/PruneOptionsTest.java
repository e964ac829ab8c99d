package dev.netpress.stages.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netpress.graph.Graph;
import dev.netpress.graph.deps.Reducer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad options fail with a message naming the option, before any work. */
class PruneOptionsTest {
    private static String error(Supplier<?> s) {
        return assertThrows(IllegalArgumentException.class, s::get).getMessage();
    }

    @Test
    void badOptionsAreRejectedWithClearMessages() {
        assertEquals("ratio must be in (0, 1) for structured pruning, got 1.5",
                error(() -> PruneOptions.builder().structured(1.5).build()));
        assertEquals("ratio must be in (0, 1) for structured pruning, got 0.0",
                error(() -> PruneOptions.builder().mode("structured").build()));
        assertEquals("round_to must be at least 1, got 0",
                error(() -> PruneOptions.builder().structured(0.3).roundTo(0).build()));
        assertEquals("unknown importance 'fisher'; expected one of l1, l2, bn_scale, taylor, random",
                error(() -> PruneOptions.builder().importance("fisher")));
        assertEquals("unknown mode 'soft'; expected one of zeroed, structured", error(() -> PruneOptions.builder().mode("soft")));
        assertEquals("unknown context 'world'; expected one of local, global", error(() -> PruneOptions.builder().context("world")));
        assertEquals("max_ratio must be in (0, 1], got 0.0", error(() -> PruneOptions.builder().maxRatio(0).build()));
        assertEquals("ratio applies to structured pruning only; zeroed pruning removes exactly the all-zero channels "
                + "(got ratio 0.3)", error(() -> PruneOptions.builder().ratio(0.3).build()));
        assertEquals("taylor_batches must be at least 1, got 0",
                error(() -> PruneOptions.builder().structured(0.3).taylorBatches(0).build()));
    }

    @Test
    void taylorWithoutDataFailsBeforeWork() {
        Graph g = Models.zoo("resnet18");
        PruneOptions o = PruneOptions.builder().structured(0.3).importance("taylor").build();
        assertEquals("importance taylor needs data to compute gradients on", error(() -> Prune.apply(g, o)));
    }

    @Test
    void namesParseCaseInsensitively() {
        PruneOptions o = PruneOptions.builder().mode("Structured").ratio(0.2).importance("BN_SCALE").context("global")
                .reducer("max").build();
        assertEquals(PruneOptions.Importance.BN_SCALE, o.importance());
        assertEquals(Reducer.MAX, o.reducer());
        assertEquals(PruneOptions.Context.GLOBAL, o.context());
    }
}

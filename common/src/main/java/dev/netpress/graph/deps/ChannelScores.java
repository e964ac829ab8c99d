package dev.netpress.graph.deps;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Per-channel scores of a group, combined over its member slices: what importance-based pruning
 * ranks channels by, and what filter-granularity sparsification zeroes by.
 */
public final class ChannelScores {
    private ChannelScores() {}

    /**
     * Scores each channel of {@code group} by {@code metric} on every member slice that
     * {@code which} selects, combined by {@code reducer}; empty when no member slice is selected.
     */
    public static Optional<double[]> of(Graph graph, ChannelGroup group, Predicate<ChannelSlice> which,
            SliceMetric metric, Reducer reducer) {
        List<double[]> perSlice = new ArrayList<>();
        for (ChannelSlice s : group.slices()) {
            if (which.test(s)) {
                perSlice.add(metric.score(s, graph.node(s.node()).param(s.role()), group.size()));
            }
        }
        return perSlice.isEmpty() ? Optional.empty() : Optional.of(reducer.reduce(perSlice));
    }

    /** Trainable slices on both sides: a group's importance over everything its removal cuts. */
    public static boolean trainable(ChannelSlice s) {
        return s.trainable();
    }

    /** Trainable output slices: exactly the weights that must all be zero for a channel to carry zeros. */
    public static boolean trainableOutput(ChannelSlice s) {
        return s.trainable() && s.isOutput();
    }

    /** Batch-norm scales (gamma), the selector of network slimming (Liu et al., ICCV 2017). */
    public static boolean batchNormScale(ChannelSlice s) {
        return s.op() == Op.BATCHNORM && s.role().equals("weight");
    }

    /**
     * The channels whose every trainable output slice is zero; such a channel carries zeros into
     * every consumer (every op a channel passes through maps zero to zero), so removing it leaves
     * the graph's outputs unchanged. All false when the group has no trainable output slice.
     */
    public static boolean[] zeroChannels(Graph graph, ChannelGroup group) {
        double[] l1 = of(graph, group, ChannelScores::trainableOutput, SliceMetric.l1(), Reducer.MAX)
                .orElse(null);
        boolean[] zero = new boolean[group.size()];
        for (int c = 0; l1 != null && c < zero.length; c++) {
            zero[c] = l1[c] == 0;
        }
        return zero;
    }
}

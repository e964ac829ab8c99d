package dev.netpress.stages.prune;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.graph.deps.ChannelGroup;
import dev.netpress.graph.deps.ChannelScores;
import dev.netpress.graph.deps.DependencyGraph;
import dev.netpress.graph.deps.SliceMetric;
import dev.netpress.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Per-channel importance of every prunable group, by the chosen criterion. */
final class ImportanceScores {
    private ImportanceScores() {}

    /** Scores by group; a prunable group missing from the map cannot be ranked (bn_scale without a batch norm). */
    static Map<ChannelGroup, double[]> of(DependencyGraph deps, PruneOptions o, DataLoader data) {
        Graph g = deps.graph();
        Map<String, Tensor> grads = o.importance() == PruneOptions.Importance.TAYLOR
                ? TaylorGradients.compute(g, data, o.taylorBatches()) : Map.of();
        SplittableRandom random = new SplittableRandom(o.seed());
        Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
        for (ChannelGroup group : deps.prunableGroups()) {
            Optional<double[]> s = switch (o.importance()) {
                case L1 -> ChannelScores.of(g, group, ChannelScores::trainable, SliceMetric.l1(), o.reducer());
                case L2 -> ChannelScores.of(g, group, ChannelScores::trainable, SliceMetric.l2(), o.reducer());
                case BN_SCALE -> ChannelScores.of(g, group, ChannelScores::batchNormScale, SliceMetric.l1(), o.reducer());
                case TAYLOR -> ChannelScores.of(g, group, ChannelScores::trainable, SliceMetric.taylor(grads), o.reducer());
                case RANDOM -> Optional.of(random.doubles(group.size()).toArray());
            };
            s.ifPresent(v -> out.put(group, v));
        }
        return out;
    }
}

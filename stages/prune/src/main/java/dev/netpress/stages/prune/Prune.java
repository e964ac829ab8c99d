package dev.netpress.stages.prune;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.graph.deps.ChannelGroup;
import dev.netpress.graph.deps.ChannelScores;
import dev.netpress.graph.deps.DependencyGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Structured pruning: removes whole channel groups' channels from a graph, slicing every coupled
 * tensor (see {@link DependencyGraph}). The result is an ordinary graph, smaller in parameters
 * and MACs, that saves, loads, trains and evaluates like any other.
 */
public final class Prune {
    private Prune() {}

    /** Prunes without data (every mode and importance but {@code taylor}). */
    public static PruneResult apply(Graph graph, PruneOptions options) {
        return apply(graph, options, null);
    }

    /**
     * Prunes {@code graph} as {@code options} say. {@code data} (labelled batches the graph accepts)
     * is needed only by the {@code taylor} importance and may otherwise be null.
     */
    public static PruneResult apply(Graph graph, PruneOptions options, DataLoader data) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(options, "options");
        if (options.needsData() && data == null) {
            throw new IllegalArgumentException("importance taylor needs data to compute gradients on");
        }
        DependencyGraph deps = DependencyGraph.of(graph);
        ChannelBudget budget = new ChannelBudget(options.roundTo(), options.maxRatio());
        Map<ChannelGroup, String> notes = new HashMap<>();
        Map<ChannelGroup, Integer> kept;
        Map<ChannelGroup, double[]> scores;
        if (options.mode() == PruneOptions.Mode.ZEROED) {
            scores = nonZero(deps);
            kept = new LinkedHashMap<>();
            scores.forEach((g, s) -> kept.put(g, budget.kept(g.size(), (int) Arrays.stream(s).sum())));
        } else {
            scores = ImportanceScores.of(deps, options, data);
            deps.prunableGroups().stream().filter(g -> !scores.containsKey(g))
                    .forEach(g -> notes.put(g, "cannot be ranked by " + options.importance().name().toLowerCase(Locale.ROOT)
                            + ": no member slice it scores"));
            kept = options.context() == PruneOptions.Context.LOCAL
                    ? local(scores, options.ratio(), budget) : global(scores, options.ratio(), budget);
        }
        Map<ChannelGroup, int[]> plan = new LinkedHashMap<>();
        kept.forEach((g, k) -> {
            if (k < g.size()) {
                plan.put(g, ChannelBudget.best(scores.get(g), k));
            }
        });
        Graph pruned = deps.prune(plan);
        List<PruneReport.GroupChange> changes = new ArrayList<>();
        for (ChannelGroup g : deps.groups()) {
            int[] keep = plan.get(g);
            changes.add(new PruneReport.GroupChange(g.id(), g.name(), g.size(), keep == null ? g.size() : keep.length,
                    g.prunable() ? notes.getOrDefault(g, "") : g.reason()));
        }
        return new PruneResult(pruned, new PruneReport(changes, graph.parameterCount(), pruned.parameterCount(),
                graph.macs(), pruned.macs()));
    }

    /** 1 for a channel that carries values, 0 for one whose every trainable output slice is zero. */
    private static Map<ChannelGroup, double[]> nonZero(DependencyGraph deps) {
        Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            boolean[] zero = ChannelScores.zeroChannels(deps.graph(), g);
            double[] s = new double[zero.length];
            for (int c = 0; c < s.length; c++) {
                s[c] = zero[c] ? 0 : 1;
            }
            out.put(g, s);
        }
        return out;
    }

    private static Map<ChannelGroup, Integer> local(Map<ChannelGroup, double[]> scores, double ratio, ChannelBudget budget) {
        Map<ChannelGroup, Integer> kept = new LinkedHashMap<>();
        scores.keySet().forEach(g -> kept.put(g, budget.kept(g.size(), g.size() - ChannelBudget.share(ratio, g.size()))));
        return kept;
    }

    /**
     * One threshold across groups: each group's scores are divided by their mean, so groups of
     * different scale compete fairly, and the lowest {@code ratio} of all channels are removed.
     */
    private static Map<ChannelGroup, Integer> global(Map<ChannelGroup, double[]> scores, double ratio, ChannelBudget budget) {
        record Entry(ChannelGroup group, int channel, double score) {}
        List<Entry> all = new ArrayList<>();
        scores.forEach((g, s) -> {
            double mean = Arrays.stream(s).average().orElse(0);
            for (int c = 0; c < s.length; c++) {
                all.add(new Entry(g, c, mean > 0 ? s[c] / mean : s[c]));
            }
        });
        all.sort(Comparator.comparingDouble(Entry::score).thenComparingInt(e -> e.group().id())
                .thenComparingInt(Entry::channel));
        Map<ChannelGroup, Integer> removed = new HashMap<>();
        all.stream().limit(ChannelBudget.share(ratio, all.size())).forEach(e -> removed.merge(e.group(), 1, Integer::sum));
        Map<ChannelGroup, Integer> kept = new LinkedHashMap<>();
        scores.keySet().forEach(g -> kept.put(g, budget.kept(g.size(), g.size() - removed.getOrDefault(g, 0))));
        return kept;
    }
}

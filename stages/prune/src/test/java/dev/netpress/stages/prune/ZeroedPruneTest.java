package dev.netpress.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.ParamSlot;
import dev.netpress.graph.deps.ChannelGroup;
import dev.netpress.graph.deps.ChannelSlice;
import dev.netpress.graph.deps.DependencyGraph;
import dev.netpress.tensor.Tensor;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zeroed mode after filter-granularity sparsification: removing the zeroed channels leaves the
 * outputs unchanged and the model a normal graph.
 */
class ZeroedPruneTest {
    /** 30–50% of every prunable group's channels, drawn at random. */
    private static Map<ChannelGroup, int[]> someChannels(DependencyGraph deps, long seed) {
        Random r = new Random(seed);
        Map<ChannelGroup, int[]> plan = new LinkedHashMap<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            int n = Math.max(1, (int) Math.round(g.size() * (0.3 + 0.2 * r.nextDouble())));
            List<Integer> all = IntStream.range(0, g.size()).boxed().collect(Collectors.toCollection(ArrayList::new));
            Collections.shuffle(all, r);
            plan.put(g, all.subList(0, Math.min(n, g.size() - 1)).stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        return plan;
    }

    /** Trainable parameters left once the given channels are cut from every member slice, counted shape by shape. */
    private static long parametersWithout(Graph g, Map<ChannelGroup, int[]> removed) {
        Map<String, int[]> cut = new HashMap<>();
        removed.forEach((group, cs) -> {
            for (ChannelSlice s : group.slices()) {
                cut.computeIfAbsent(s.tensorName(), k -> new int[4])[s.axis()] += cs.length * s.multiplicity();
            }
        });
        long total = 0;
        for (Node n : g.nodes()) {
            for (ParamSlot slot : n.op().slots()) {
                Tensor t = n.param(slot.role());
                if (t != null && slot.trainable()) {
                    int[] c = cut.getOrDefault(n.tensorName(slot.role()), new int[4]);
                    long numel = 1;
                    for (int a = 0; a < t.shape().rank(); a++) {
                        numel *= t.shape().get(a) - c[a];
                    }
                    total += numel;
                }
            }
        }
        return total;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg16_bn", "resnet18", "mobilenet_v2"})
    void removingZeroedChannelsKeepsOutputsAndTrains(String model) {
        Graph original = Models.withTrainedLookingBatchNorms(Models.zoo(model), 1);
        DependencyGraph deps = DependencyGraph.of(original);
        Map<ChannelGroup, int[]> zero = someChannels(deps, 2);
        Graph sparse = deps.zeroed(zero);
        float[] x = Models.input(4);
        float[] before = Models.run(sparse, x);

        PruneResult r = Prune.apply(sparse, PruneOptions.builder().mode("zeroed").build());
        Graph pruned = r.graph();
        float[] after = Models.run(pruned, x);
        assertEquals(Models.BATCH * 10, after.length);
        double diff = Models.maxAbsDiff(before, after);
        assertTrue(diff <= 1e-4, model + ": outputs moved by " + diff);
        assertTrue(Models.maxAbsDiff(before, Models.run(original, x)) > 1e-3, "the zeroing must matter");

        assertEquals(parametersWithout(original, zero), pruned.parameterCount());
        assertEquals(pruned.parameterCount(), r.report().parametersAfter());
        assertEquals(original.parameterCount(), r.report().parametersBefore());
        assertTrue(r.report().macsAfter() < r.report().macsBefore());
        for (PruneReport.GroupChange c : r.report().groups()) {
            int[] z = zero.entrySet().stream().filter(e -> e.getKey().id() == c.group()).map(Map.Entry::getValue)
                    .findFirst().orElse(new int[0]);
            assertEquals(c.before() - z.length, c.after(), c.name());
        }

        try (DataLoader data = Models.data(Models.BATCH); Learner l = Learner.builder(pruned, data).build()) {
            EpochResult e = l.fit(1, 1e-3).get(0);
            assertTrue(Double.isFinite(e.trainLoss()), "loss " + e.trainLoss());
        }
    }

    @Test
    void prunedModelSavesAndLoadsLikeAnyOther(@TempDir Path dir) throws Exception {
        Graph original = Models.zoo("resnet18");
        DependencyGraph deps = DependencyGraph.of(original);
        Graph pruned = Prune.apply(deps.zeroed(someChannels(deps, 3)), PruneOptions.builder().build()).graph();
        Graph back = Artifacts.load(Artifacts.save(new Artifact(pruned, ModelCard.of("resnet18", "lineage-1", "prune")),
                dir.resolve("pruned.safetensors")).path()).graph();
        float[] x = Models.input(5);
        assertArrayEquals(Models.run(pruned, x), Models.run(back, x));
    }

    @Test
    void limitsHoldInZeroedModeToo() {
        Graph original = Models.zoo("vgg16_bn");
        DependencyGraph deps = DependencyGraph.of(original);
        Map<ChannelGroup, int[]> all = new LinkedHashMap<>();
        deps.prunableGroups().forEach(g -> all.put(g, IntStream.range(0, g.size()).toArray()));
        PruneReport whole = Prune.apply(deps.zeroed(all), PruneOptions.builder().build()).report();
        PruneReport rounded = Prune.apply(deps.zeroed(all), PruneOptions.builder().roundTo(8).build()).report();
        PruneReport capped = Prune.apply(deps.zeroed(all), PruneOptions.builder().maxRatio(0.25).build()).report();
        for (int i = 0; i < whole.groups().size(); i++) {
            PruneReport.GroupChange g = whole.groups().get(i);
            if (g.note().isEmpty()) {
                assertEquals(1, g.after(), "an all-zero group keeps one channel: " + g);
                assertEquals(8, rounded.groups().get(i).after(), "or round_to channels");
                assertEquals(g.before() - g.before() / 4, capped.groups().get(i).after(), "max_ratio caps removal");
            }
        }
    }
}

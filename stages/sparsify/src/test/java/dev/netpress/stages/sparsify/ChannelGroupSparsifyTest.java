package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Graph;
import dev.netpress.graph.deps.ChannelGroup;
import dev.netpress.graph.deps.ChannelScores;
import dev.netpress.graph.deps.ChannelSlice;
import dev.netpress.graph.deps.DependencyGraph;
import dev.netpress.graph.deps.SliceMetric;
import dev.netpress.stages.prune.Prune;
import dev.netpress.stages.prune.PruneOptions;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelGroupSparsifyTest {
    private static final int BATCH = 4;

    private static Graph model(String name) {
        return Zoo.build(name, ZooConfig.builder().optWidth(0.25).optImageSize(32).optNumClasses(10).optInChannels(1)
                .optSmallInputStem(true).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2"})
    void tiedChannelsGoTogetherAndPruneRemovesThemWithoutChangingOutputs(String name) {
        SparsifyOptions options = SparsifyOptions.builder().optSparsity(30).optGranularity("group")
                .optSchedule("one_shot").optEpochs(1).optLr(1e-3).build();
        Graph sparse = Sparsify.apply(model(name), TestGraphs.loader(64, 32, true), null, options, line -> {},
                ticket -> {}).graph();

        DependencyGraph deps = DependencyGraph.of(sparse);
        int zeroChannels = 0;
        for (ChannelGroup g : deps.prunableGroups()) {
            boolean[] zero = ChannelScores.zeroChannels(sparse, g);
            int z = count(zero);
            assertTrue(z < g.size(), g + " was emptied");
            // every producer's filter is zero exactly where the whole channel is: tied channels go together
            for (ChannelSlice s : g.slices(ChannelSlice.Side.OUTPUT)) {
                if (s.role().equals("weight") && s.axis() == 0) {
                    double[] rows = ChannelScores.of(sparse, g, x -> x.equals(s),
                            SliceMetric.l1(), dev.netpress.graph.deps.Reducer.MAX).orElseThrow();
                    for (int c = 0; c < zero.length; c++) {
                        assertEquals(zero[c], rows[c] == 0, s.tensorName() + " channel " + c);
                    }
                }
            }
            assertEquals(Selection.count(0.3, g.size()), z, g.toString());
            zeroChannels += z;
        }
        assertTrue(zeroChannels > 0);

        Graph pruned = Prune.apply(sparse, PruneOptions.builder().mode("zeroed").build()).graph();
        assertTrue(pruned.parameterCount() < sparse.parameterCount(), name + ": nothing was removed");
        float[] x = input(sparse, 3);
        double diff = maxAbsDiff(run(sparse, x), run(pruned, x));
        assertTrue(diff <= 1e-4, name + ": outputs moved by " + diff);

        try (Learner learner = Learner.builder(pruned, TestGraphs.loader(16, 16, false)).build()) {
            List<EpochResult> h = learner.fit(1, 1e-3);
            assertTrue(Double.isFinite(h.get(0).trainLoss()), "loss " + h.get(0).trainLoss());
        }
    }

    @Test
    void globalContextDrawsOneThresholdOverGroupsAndEmptiesNone() {
        Graph g = model("resnet18");
        Graph sparse = SparsifyOptions.builder().optGranularity("group").optContext("global").optNormalizer("max")
                .build().sparsifier().sparsify(g, 30);
        DependencyGraph deps = DependencyGraph.of(sparse);
        int channels = 0;
        int zero = 0;
        for (ChannelGroup group : deps.prunableGroups()) {
            int z = count(ChannelScores.zeroChannels(sparse, group));
            assertTrue(z < group.size(), group + " was emptied");
            channels += group.size();
            zero += z;
        }
        assertEquals(Selection.count(0.3, channels), zero);
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }

    private static float[] input(Graph g, long seed) {
        Random r = new Random(seed);
        float[] x = new float[Math.toIntExact(g.inputs().get(0).shape().numel()) * BATCH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @SuppressWarnings("try") // NoGrad is used for its scope
    private static float[] run(Graph g, float[] x) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            Shape shape = new Shape(g.inputs().get(0).shape().withBatch(BATCH));
            return block.forward(new ParameterStore(m, false), new NDList(m.create(x, shape)), false).head().toFloatArray();
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}

package dev.netpress.graph.deps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelScoresTest {
    /** conv(1→2, 1×1) → bn → flatten → linear(2·4 → 1), with weights chosen to make each score easy to compute. */
    private static Graph graph() {
        Map<String, Tensor> bn = new LinkedHashMap<>();
        bn.put("weight", Tensor.ofFloats(Dims.of(2), -0.5f, 2f));
        bn.put("bias", Tensor.ofFloats(Dims.of(2), 1f, 1f));
        bn.put("running_mean", Tensor.zeros(Dims.of(2)));
        bn.put("running_var", Tensor.filled(Dims.of(2), 1f));
        return Graph.builder().input("x", Dims.of(1, 2, 2))
                .add(new Node("c", Op.CONV2D, List.of("x"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(2, 1, 1, 1), 3f, -4f))))
                .add(new Node("bn", Op.BATCHNORM, List.of("c"), Attrs.NONE, bn))
                .add(Node.of("flat", Op.FLATTEN, List.of("bn")))
                .add(new Node("fc", Op.LINEAR, List.of("flat"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(1, 8), 1, 1, 1, 1, 0, 0, 0, -2))))
                .output("fc").build();
    }

    @Test
    void scoresCombineMemberSlices() {
        Graph g = graph();
        ChannelGroup group = DependencyGraph.of(g).groupOf("c");
        double[] byScale = ChannelScores.of(g, group, ChannelScores::batchNormScale, SliceMetric.l1(), Reducer.SUM).orElseThrow();
        assertArrayEquals(new double[] {0.5, 2}, byScale);
        // trainable slices: conv row |3|,|4|; bn weight .5, 2; bn bias 1, 1; fc columns 4, 2
        assertArrayEquals(new double[] {8.5, 9}, ChannelScores.of(g, group, ChannelScores::trainable, SliceMetric.l1(),
                Reducer.SUM).orElseThrow());
        assertArrayEquals(new double[] {4, 4}, ChannelScores.of(g, group, ChannelScores::trainable, SliceMetric.l1(),
                Reducer.MAX).orElseThrow());
        // L2: conv 3, 4; bn weight .5, 2; bn bias 1, 1; fc columns 2, 2
        assertArrayEquals(new double[] {1.625, 2.25}, ChannelScores.of(g, group, ChannelScores::trainable, SliceMetric.l2(),
                Reducer.MEAN).orElseThrow(), 1e-12);
        assertTrue(ChannelScores.of(g, DependencyGraph.of(g).groupOf("x"), ChannelScores::batchNormScale,
                SliceMetric.l1(), Reducer.SUM).isEmpty());
        Map<String, Tensor> grads = Map.of("fc.weight", Tensor.filled(Dims.of(1, 8), 0.5f));
        assertArrayEquals(new double[] {2, 1}, ChannelScores.of(g, group, s -> s.node().equals("fc"),
                SliceMetric.taylor(grads), Reducer.SUM).orElseThrow());
    }

    @Test
    void zeroChannelsNeedEveryTrainableOutputSliceZero() {
        Graph g = graph();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup group = deps.groupOf("c");
        assertArrayEquals(new boolean[] {false, false}, ChannelScores.zeroChannels(g, group));
        Graph zeroed = deps.zeroed(Map.of(group, new int[] {1}));
        assertArrayEquals(new boolean[] {false, true}, ChannelScores.zeroChannels(zeroed, group));
        assertEquals(-4f, g.node("c").param("weight").toFloats()[1]);
        assertArrayEquals(new float[] {3f, 0f}, zeroed.node("c").param("weight").toFloats());
        assertArrayEquals(new float[] {1f, 1f}, zeroed.node("bn").param("running_var").toFloats(), "buffers stay");
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, -2}, zeroed.node("fc").param("weight").toFloats(),
                "input slices stay");
    }

    @Test
    void pruningCopiesBytesWhateverTheType() {
        Graph g = graph().mapNodes(n -> n.name().equals("fc") ? n.withParam("weight", n.param("weight").to(DType.F16)) : n);
        DependencyGraph deps = DependencyGraph.of(g);
        Graph pruned = deps.prune(Map.of(deps.groupOf("c"), new int[] {1}));
        Tensor w = pruned.node("fc").param("weight");
        assertEquals(DType.F16, w.dtype());
        assertArrayEquals(new float[] {0, 0, 0, -2}, w.toFloats());
    }
}

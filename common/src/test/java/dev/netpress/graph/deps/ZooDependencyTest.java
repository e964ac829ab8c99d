package dev.netpress.graph.deps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The groups of the zoo's architectures, found by the one general trace. */
class ZooDependencyTest {
    private static Graph zoo(String name) {
        return Zoo.build(name, ZooConfig.builder().optWidth(0.25).optImageSize(32).optNumClasses(10)
                .optSmallInputStem(true).optVggPoolSize(1).optClassifierHidden(64).build());
    }

    private static Set<String> producers(ChannelGroup g) {
        return g.slices(ChannelSlice.Side.OUTPUT).stream().filter(s -> s.op() == Op.CONV2D && s.role().equals("weight"))
                .map(ChannelSlice::node).collect(Collectors.toSet());
    }

    @Test
    void resnetResidualStreamsAreOneGroupEach() {
        DependencyGraph deps = DependencyGraph.of(zoo("resnet18"));
        assertEquals(Set.of("conv1", "layer1.0.conv2", "layer1.1.conv2"), producers(deps.groupOf("layer1.1.relu2")));
        assertEquals(Set.of("layer2.0.downsample.0", "layer2.0.conv2", "layer2.1.conv2"), producers(deps.groupOf("layer2.1.add")));
        assertEquals(Set.of("layer1.0.conv1"), producers(deps.groupOf("layer1.0.relu1")));
        assertEquals(12, deps.prunableGroups().size());
        assertFalse(deps.groupOf("fc").prunable());
    }

    @Test
    void vggHasOneGroupPerConvAndHiddenLinear() {
        DependencyGraph deps = DependencyGraph.of(zoo("vgg16_bn"));
        assertEquals(15, deps.prunableGroups().size());
        assertTrue(deps.groupOf("features.41").slices().contains(
                new ChannelSlice("classifier.0", Op.LINEAR, "weight", 1, 0, 1, ChannelSlice.Side.INPUT)));
    }

    @Test
    void mobileNetDepthwiseConvsFollowTheirExpansion() {
        Graph g = zoo("mobilenet_v2");
        DependencyGraph deps = DependencyGraph.of(g);
        for (Node n : g.nodes()) {
            if (n.op() == Op.CONV2D && n.attrs().getInt("groups", 1) > 1) {
                ChannelGroup owner = deps.groupOf(n.name());
                assertTrue(owner.prunable(), owner.toString());
                assertFalse(producers(owner).isEmpty());
                assertTrue(owner.slices().contains(new ChannelSlice(n.name(), Op.CONV2D, "weight", 0, 0, 1,
                        ChannelSlice.Side.OUTPUT)), n.name());
            }
        }
    }

    /** Every channel axis of every conv and linear belongs to exactly one group, and random plans build. */
    @ParameterizedTest
    @ValueSource(strings = {"vgg16_bn", "resnet18", "mobilenet_v2"})
    void everyChannelAxisIsTracedAndRandomPlansBuild(String model) {
        Graph g = zoo(model);
        DependencyGraph deps = DependencyGraph.of(g);
        Map<String, Integer> owners = new HashMap<>();
        deps.groups().forEach(gr -> gr.slices().forEach(s -> owners.merge(s.tensorName() + "/" + s.axis(), 1, Integer::sum)));
        for (Node n : g.nodes()) {
            if (n.op() == Op.CONV2D || n.op() == Op.LINEAR) {
                boolean depthwise = n.attrs().getInt("groups", 1) > 1;
                for (int axis : depthwise ? List.of(0) : List.of(0, 1)) {
                    assertEquals(1, owners.getOrDefault(n.tensorName("weight") + "/" + axis, 0), n.name() + " axis " + axis);
                }
            }
        }
        Random r = new Random(5);
        Map<ChannelGroup, int[]> plan = new HashMap<>();
        for (ChannelGroup gr : deps.prunableGroups()) {
            plan.put(gr, IntStream.range(0, gr.size()).filter(c -> c == 0 || r.nextBoolean()).toArray());
        }
        Graph pruned = deps.prune(plan);
        assertTrue(pruned.parameterCount() < g.parameterCount());
        assertEquals(g.shapeOf(g.outputs().get(0)), pruned.shapeOf(pruned.outputs().get(0)));
    }
}

package dev.netpress.graph.deps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Channel groups of hand-built graphs, and pruning that leaves outputs unchanged. */
class DependencyGraphTest {
    private final Nets nets = new Nets();

    private static ChannelSlice out(String node, Op op, String role, int offset, int multiplicity) {
        return new ChannelSlice(node, op, role, 0, offset, multiplicity, ChannelSlice.Side.OUTPUT);
    }

    private static ChannelSlice in(String node, Op op, int offset, int multiplicity) {
        return new ChannelSlice(node, op, "weight", 1, offset, multiplicity, ChannelSlice.Side.INPUT);
    }

    private static Set<ChannelSlice> batchNormSlices(String node) {
        return Set.of(out(node, Op.BATCHNORM, "weight", 0, 1), out(node, Op.BATCHNORM, "bias", 0, 1),
                out(node, Op.BATCHNORM, "running_mean", 0, 1), out(node, Op.BATCHNORM, "running_var", 0, 1));
    }

    private static Set<ChannelSlice> union(Set<ChannelSlice> a, Set<ChannelSlice> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }

    /** Zeroes {@code zero} channels of the named groups, prunes them, and checks the outputs did not move. */
    private Graph zeroPruneAndCompare(Graph g, Map<String, int[]> zero) {
        DependencyGraph deps = DependencyGraph.of(g);
        Map<ChannelGroup, int[]> zeroByGroup = new java.util.LinkedHashMap<>();
        Map<ChannelGroup, int[]> keep = new java.util.LinkedHashMap<>();
        zero.forEach((name, cs) -> {
            ChannelGroup group = deps.groups().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            zeroByGroup.put(group, cs);
            Set<Integer> gone = Arrays.stream(cs).boxed().collect(Collectors.toSet());
            keep.put(group, IntStream.range(0, group.size()).filter(c -> !gone.contains(c)).toArray());
        });
        Graph zeroed = deps.zeroed(zeroByGroup);
        Graph pruned = DependencyGraph.of(zeroed).prune(keep);
        float[] x = nets.input(g, 2);
        double diff = Nets.maxAbsDiff(Nets.run(zeroed, x, 2), Nets.run(pruned, x, 2));
        assertTrue(diff <= 1e-5, "outputs moved by " + diff);
        return pruned;
    }

    private static float[] rows(Tensor t, int... keep) {
        int row = Math.toIntExact(t.numel() / t.shape().get(0));
        float[] v = t.toFloats();
        float[] out = new float[keep.length * row];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(v, keep[i] * row, out, i * row, row);
        }
        return out;
    }

    @Test
    void convBatchNormReluConvFormsOneGroup() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("c1", "x", 3, 4)).add(nets.batchNorm("bn", "c1", 4))
                .add(Node.of("relu", Op.RELU, List.of("bn"))).add(nets.conv("c2", "relu", 4, 5))
                .output("c2").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup c1 = deps.groupOf("relu");
        assertEquals("c1", c1.name());
        assertEquals(4, c1.size());
        assertTrue(c1.prunable(), c1.reason());
        assertEquals(union(batchNormSlices("bn"), Set.of(out("c1", Op.CONV2D, "weight", 0, 1),
                out("c1", Op.CONV2D, "bias", 0, 1), in("c2", Op.CONV2D, 0, 1))), Set.copyOf(c1.slices()));
        assertEquals(List.of(c1), deps.prunableGroups());
        assertEquals(deps.groupOf("c1"), c1);

        Graph pruned = zeroPruneAndCompare(g, Map.of("c1", new int[] {1}));
        Tensor w = pruned.node("c1").param("weight");
        assertEquals(Dims.of(3, 3, 3, 3), w.shape());
        assertArrayEquals(rows(g.node("c1").param("weight"), 0, 2, 3), w.toFloats(), "kept filters are untouched");
        assertEquals(Dims.of(5, 3, 3, 3), pruned.node("c2").param("weight").shape());
        assertEquals(Dims.of(3), pruned.node("bn").param("running_var").shape());
        assertEquals(g.parameterCount() - (3 * 9 + 1) - 2 - 5 * 9, pruned.parameterCount());
    }

    @Test
    void linearAfterFlattenReadsEveryChannelAsHTimesWColumns() {
        Graph g = Graph.builder().input("x", Dims.of(2, 4, 4))
                .add(nets.conv("c", "x", 2, 3))
                .add(new Node("pool", Op.MAXPOOL, List.of("c"), Attrs.of("kernel", 2), Map.of()))
                .add(Node.of("flat", Op.FLATTEN, List.of("pool")))
                .add(new Node("drop", Op.DROPOUT, List.of("flat"), Attrs.of("p", 0.5), Map.of()))
                .add(nets.linear("fc", "drop", 12, 5)).output("fc").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup c = deps.groupOf("c");
        assertTrue(c.slices().contains(in("fc", Op.LINEAR, 0, 4)), c.slices().toString());
        assertEquals(List.of(new ChannelSpan(c, 0, 4)), deps.layout("drop"));

        Graph pruned = zeroPruneAndCompare(g, Map.of("c", new int[] {1}));
        float[] w = g.node("fc").param("weight").toFloats();
        float[] expected = new float[5 * 8];
        for (int o = 0; o < 5; o++) {
            System.arraycopy(w, o * 12, expected, o * 8, 4);
            System.arraycopy(w, o * 12 + 8, expected, o * 8 + 4, 4);
        }
        assertArrayEquals(expected, pruned.node("fc").param("weight").toFloats(), "columns 4..7 go with channel 1");
    }

    @Test
    void residualAddPutsBothProducersInOneGroup() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 4)).add(nets.batchNorm("bnA", "a", 4))
                .add(nets.conv("b", "x", 3, 4)).add(nets.batchNorm("bnB", "b", 4))
                .add(Node.of("add", Op.ADD, List.of("bnA", "bnB"))).add(Node.of("relu", Op.RELU, List.of("add")))
                .add(nets.conv("c", "relu", 4, 2)).output("c").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup sum = deps.groupOf("add");
        assertEquals(sum, deps.groupOf("a"));
        assertEquals(sum, deps.groupOf("bnB"));
        assertEquals(Set.of("a", "b"), sum.slices(ChannelSlice.Side.OUTPUT).stream()
                .filter(s -> s.op() == Op.CONV2D).map(ChannelSlice::node).collect(Collectors.toSet()));
        assertEquals(List.of(sum), deps.prunableGroups());

        Graph pruned = zeroPruneAndCompare(g, Map.of("a", new int[] {0, 2}));
        assertEquals(Dims.of(2, 3, 3, 3), pruned.node("a").param("weight").shape());
        assertEquals(Dims.of(2, 3, 3, 3), pruned.node("b").param("weight").shape());
        assertArrayEquals(rows(g.node("b").param("weight"), 1, 3), pruned.node("b").param("weight").toFloats());
    }

    @Test
    void concatPlacesEachInputAtItsOffset() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 3)).add(nets.conv("b", "x", 3, 5))
                .add(Node.of("cat", Op.CONCAT, List.of("a", "b"))).add(Node.of("relu", Op.RELU, List.of("cat")))
                .add(nets.conv("c", "relu", 8, 2)).output("c").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup a = deps.groupOf("a");
        ChannelGroup b = deps.groupOf("b");
        assertEquals(List.of(new ChannelSpan(a, 0, 1), new ChannelSpan(b, 3, 1)), deps.layout("relu"));
        assertTrue(a.slices().contains(in("c", Op.CONV2D, 0, 1)));
        assertTrue(b.slices().contains(in("c", Op.CONV2D, 3, 1)));
        assertThrows(IllegalArgumentException.class, () -> deps.groupOf("cat"));

        Graph pruned = zeroPruneAndCompare(g, Map.of("b", new int[] {1, 2, 3}, "a", new int[] {2}));
        float[] w = g.node("c").param("weight").toFloats();
        float[] expected = new float[2 * 4 * 9];
        int k = 0;
        for (int o = 0; o < 2; o++) {
            for (int col : new int[] {0, 1, 3, 7}) {
                System.arraycopy(w, (o * 8 + col) * 9, expected, k, 9);
                k += 9;
            }
        }
        assertArrayEquals(expected, pruned.node("c").param("weight").toFloats(), "c keeps a's 0, 1 and b's 0, 4");
    }

    @Test
    void depthwiseConvPassesChannelsThroughAndShrinksItsGroups() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 6)).add(nets.conv("dw", "a", 6, 6, 6))
                .add(nets.batchNorm("bn", "dw", 6)).add(Node.of("act", Op.RELU6, List.of("bn")))
                .add(nets.conv("c", "act", 6, 2)).output("c").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup a = deps.groupOf("act");
        assertEquals("a", a.name());
        assertTrue(a.slices().containsAll(List.of(out("dw", Op.CONV2D, "weight", 0, 1), out("dw", Op.CONV2D, "bias", 0, 1))));
        assertEquals(List.of(a), deps.prunableGroups());

        Graph pruned = zeroPruneAndCompare(g, Map.of("a", new int[] {0, 4}));
        assertEquals(4, pruned.node("dw").attrs().getInt("groups", 1));
        assertEquals(Dims.of(4, 1, 3, 3), pruned.node("dw").param("weight").shape());
    }

    @Test
    void depthwiseChannelMultiplierGivesEachChannelSeveralFilters() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 4)).add(nets.conv("dw", "a", 4, 8, 4))
                .add(nets.conv("c", "dw", 8, 2)).output("c").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup a = deps.groupOf("dw");
        assertTrue(a.slices().containsAll(List.of(out("dw", Op.CONV2D, "weight", 0, 2), in("c", Op.CONV2D, 0, 2))));

        Graph pruned = zeroPruneAndCompare(g, Map.of("a", new int[] {1}));
        assertEquals(3, pruned.node("dw").attrs().getInt("groups", 1));
        assertEquals(Dims.of(6, 1, 3, 3), pruned.node("dw").param("weight").shape());
        assertArrayEquals(rows(g.node("dw").param("weight"), 0, 1, 4, 5, 6, 7), pruned.node("dw").param("weight").toFloats());
    }

    @Test
    void groupsAtTheGraphsEdgesAreUnprunable() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 4)).add(Node.of("relu", Op.RELU, List.of("a")))
                .add(Node.of("pool", Op.GLOBAL_AVGPOOL, List.of("relu"))).add(Node.of("flat", Op.FLATTEN, List.of("pool")))
                .add(nets.linear("fc", "flat", 4, 10)).output("fc").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup input = deps.groupOf("x");
        assertFalse(input.prunable());
        assertTrue(input.reason().contains("graph input 'x'"), input.reason());
        assertEquals(List.of(in("a", Op.CONV2D, 0, 1)), input.slices());
        ChannelGroup fc = deps.groupOf("fc");
        assertFalse(fc.prunable());
        assertTrue(fc.reason().contains("reaches graph output 'fc'"), fc.reason());
        assertEquals(List.of(deps.groupOf("a")), deps.prunableGroups());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deps.prune(Map.of(fc, new int[] {0})));
        assertTrue(e.getMessage().contains("cannot prune"), e.getMessage());
    }

    @Test
    void groupedConvsAndMisalignedAddsAreRefusedWithAReason() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 4)).add(nets.conv("grouped", "a", 4, 4, 2))
                .add(nets.conv("b", "x", 3, 2)).add(nets.conv("c", "x", 3, 2))
                .add(Node.of("cat", Op.CONCAT, List.of("b", "c")))
                .add(Node.of("sum", Op.ADD, List.of("grouped", "cat")))
                .add(nets.conv("d", "x", 3, 5)).add(Node.of("relu", Op.RELU, List.of("d")))
                .add(nets.conv("head", "relu", 5, 2))
                .outputs(List.of("sum", "head")).build();
        DependencyGraph deps = DependencyGraph.of(g);
        assertTrue(deps.groupOf("a").reason().contains("read by grouped conv 'grouped'"), deps.groupOf("a").reason());
        assertTrue(deps.groupOf("grouped").reason().contains("produced by grouped conv 'grouped'"));
        assertTrue(deps.groupOf("b").reason().contains("joined by 'sum'"), deps.groupOf("b").reason());
        assertEquals(List.of(deps.groupOf("d")), deps.prunableGroups());
    }

    @Test
    void pruneChecksItsPlan() {
        Graph g = Graph.builder().input("x", Dims.of(3, 6, 6))
                .add(nets.conv("a", "x", 3, 4)).add(nets.conv("b", "a", 4, 2)).output("b").build();
        DependencyGraph deps = DependencyGraph.of(g);
        ChannelGroup a = deps.groupOf("a");
        List<String> errors = new ArrayList<>();
        for (int[] keep : List.of(new int[0], new int[] {4}, new int[] {1, 1})) {
            errors.add(assertThrows(IllegalArgumentException.class, () -> deps.prune(Map.of(a, keep))).getMessage());
        }
        assertTrue(errors.get(0).contains("at least one channel"), errors.get(0));
        assertTrue(errors.get(1).contains("outside"), errors.get(1));
        assertTrue(errors.get(2).contains("twice"), errors.get(2));
        ChannelGroup foreign = new ChannelGroup(a.id(), "a", 5, a.slices(), List.of());
        assertThrows(IllegalArgumentException.class, () -> deps.prune(Map.of(foreign, new int[] {0})));
        assertEquals(g.parameterCount(), deps.prune(Map.of(a, new int[] {3, 0, 1, 2})).parameterCount());
    }
}

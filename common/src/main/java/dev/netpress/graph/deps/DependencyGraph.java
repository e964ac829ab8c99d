package dev.netpress.graph.deps;

import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphException;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The channel groups of a graph and the pruning they allow.
 *
 * <p>{@link #of(Graph)} traces, for every conv and linear output channel, every tensor slice tied
 * to it:
 * <ul>
 *   <li>the producer's weight rows (axis 0) and bias;
 *   <li>the four vectors of each batch norm the channels pass through;
 *   <li>channel-preserving ops (relu, relu6, pooling, dropout, identity) pass channels through;
 *   <li>a depthwise conv ({@code groups} equal to its input channels) passes channels through
 *       and takes its filters, bias and {@code groups} along;
 *   <li>consumers: a conv's weight axis 1; a linear's weight axis 1, over {@code H*W} columns per
 *       channel after a flatten of {@code [C, H, W]};
 *   <li>add merges the groups of all its inputs (every residual branch drops the same channels);
 *       concat along channels lays its inputs' groups at offsets of its output.
 * </ul>
 * Groups that carry a graph input's channels or reach a graph output are unprunable, so are
 * those read by a grouped conv that is not depthwise, by a linear on a value of rank above 1, or
 * joined by an add whose inputs split their channels into groups differently. Each such group
 * says why in {@link ChannelGroup#unprunableReasons()}.
 */
public final class DependencyGraph {
    private final Graph graph;
    private final List<ChannelGroup> groups;
    private final Map<String, List<ChannelSpan>> layouts;

    DependencyGraph(Graph graph, List<ChannelGroup> groups, Map<String, List<ChannelSpan>> layouts) {
        this.graph = graph;
        this.groups = groups;
        this.layouts = layouts;
    }

    /** Traces the channel groups of {@code graph}. */
    public static DependencyGraph of(Graph graph) {
        return ChannelTrace.run(graph);
    }

    public Graph graph() {
        return graph;
    }

    /** All groups, prunable or not, in the order their channels first appear; a group's id is its index. */
    public List<ChannelGroup> groups() {
        return groups;
    }

    public List<ChannelGroup> prunableGroups() {
        return groups.stream().filter(ChannelGroup::prunable).toList();
    }

    /** How a value's first axis (channels, or features of a flat value) divides into groups. */
    public List<ChannelSpan> layout(String value) {
        List<ChannelSpan> l = layouts.get(value);
        if (l == null) {
            throw new GraphException(null, "no value named '" + value + "'");
        }
        return l;
    }

    /** The one group whose channels a value carries, such as a conv's output. */
    public ChannelGroup groupOf(String value) {
        List<ChannelSpan> l = layout(value);
        if (l.size() != 1) {
            throw new IllegalArgumentException("value '" + value + "' carries " + l.size() + " groups; see layout()");
        }
        return l.get(0).group();
    }

    /**
     * The graph with, for each group in {@code kept}, only the listed channels (in any order; they
     * keep their original order). Every member slice is cut accordingly, a depthwise
     * conv's {@code groups} shrinks with its channels, and kept weights stay bit-identical. The
     * result is built, and so validated, by {@link Graph.Builder}.
     *
     * @throws IllegalArgumentException if a group is not one of {@link #groups()}, is unprunable,
     *     or its kept channels are empty, repeated or out of range
     */
    public Graph prune(Map<ChannelGroup, int[]> kept) {
        Map<ChannelGroup, BitSet> drop = new LinkedHashMap<>();
        kept.forEach((g, keep) -> drop.put(checked(g), removedChannels(g, keep)));
        Map<String, Map<Integer, BitSet>> removed = indices(drop, s -> true);
        Graph.Builder b = graph.toBuilder();
        for (Node n : graph.nodes()) {
            Map<String, Tensor> params = new LinkedHashMap<>(n.params());
            boolean changed = false;
            for (Map.Entry<String, Tensor> p : params.entrySet()) {
                Map<Integer, BitSet> cuts = removed.get(n.tensorName(p.getKey()));
                if (cuts != null) {
                    Tensor t = p.getValue();
                    for (Map.Entry<Integer, BitSet> cut : cuts.entrySet()) {
                        t = TensorSlicing.keep(t, cut.getKey(), complement(cut.getValue(), t.shape().get(cut.getKey())));
                    }
                    p.setValue(t);
                    changed = true;
                }
            }
            if (changed) {
                b.replace(withGroupsFollowingChannels(n, n.withParams(params)));
            }
        }
        return b.build();
    }

    /**
     * The graph with the listed channels of each group zeroed in every trainable output slice
     * (weight rows, biases, batch-norm scales and shifts), as filter-granularity sparsification
     * leaves them: the channels then carry zeros, and {@link ChannelScores#zeroChannels} finds them.
     * Other elements stay bit-identical.
     *
     * @throws IllegalArgumentException if a group is not one of {@link #groups()} or a channel is out of range
     */
    public Graph zeroed(Map<ChannelGroup, int[]> channels) {
        Map<ChannelGroup, BitSet> zero = new LinkedHashMap<>();
        channels.forEach((g, cs) -> {
            checked(g);
            BitSet set = new BitSet();
            for (int c : cs) {
                if (c < 0 || c >= g.size()) {
                    throw new IllegalArgumentException("channel " + c + " is outside " + g);
                }
                set.set(c);
            }
            zero.put(g, set);
        });
        Map<String, Map<Integer, BitSet>> cells = indices(zero, ChannelScores::trainableOutput);
        return graph.mapNodes(n -> {
            Map<String, Tensor> params = new LinkedHashMap<>(n.params());
            params.replaceAll((role, t) -> {
                Map<Integer, BitSet> at = cells.getOrDefault(n.tensorName(role), Map.of());
                for (Map.Entry<Integer, BitSet> e : at.entrySet()) {
                    t = TensorSlicing.zero(t, e.getKey(), e.getValue());
                }
                return t;
            });
            return n.withParams(params);
        });
    }

    private ChannelGroup checked(ChannelGroup g) {
        if (g.id() < 0 || g.id() >= groups.size() || !groups.get(g.id()).equals(g)) {
            throw new IllegalArgumentException(g + " does not belong to this dependency graph");
        }
        return g;
    }

    /** The tensor indices, by tensor name and axis, of the given channels in the selected member slices. */
    private static Map<String, Map<Integer, BitSet>> indices(Map<ChannelGroup, BitSet> channels,
            Predicate<ChannelSlice> which) {
        Map<String, Map<Integer, BitSet>> out = new HashMap<>();
        channels.forEach((g, cs) -> {
            for (ChannelSlice s : g.slices()) {
                if (!which.test(s)) {
                    continue;
                }
                BitSet axis = out.computeIfAbsent(s.tensorName(), k -> new TreeMap<>())
                        .computeIfAbsent(s.axis(), k -> new BitSet());
                for (int c = cs.nextSetBit(0); c >= 0; c = cs.nextSetBit(c + 1)) {
                    for (int j = s.start(c); j < s.start(c) + s.multiplicity(); j++) {
                        if (axis.get(j)) {
                            throw new IllegalStateException("index " + j + " of " + s.tensorName() + " axis " + s.axis()
                                    + " belongs to two groups");
                        }
                        axis.set(j);
                    }
                }
            }
        });
        return out;
    }

    /**
     * A grouped conv whose output channels shrank keeps its channels per group: only depthwise
     * convs reach here (other grouped convs are unprunable), where the groups are the input channels.
     */
    private static Node withGroupsFollowingChannels(Node before, Node after) {
        int groups = before.attrs().getInt("groups", 1);
        if (before.op() != Op.CONV2D || groups == 1) {
            return after;
        }
        int perGroup = before.param("weight").shape().get(0) / groups;
        int out = after.param("weight").shape().get(0);
        return after.withAttrs(after.attrs().with("groups", out / perGroup));
    }

    private static BitSet removedChannels(ChannelGroup g, int[] keep) {
        if (!g.prunable()) {
            throw new IllegalArgumentException("cannot prune " + g);
        }
        if (keep == null || keep.length == 0) {
            throw new IllegalArgumentException("pruning must keep at least one channel of " + g);
        }
        BitSet drop = new BitSet(g.size());
        drop.set(0, g.size());
        for (int c : keep) {
            if (c < 0 || c >= g.size()) {
                throw new IllegalArgumentException("channel " + c + " is outside " + g);
            }
            if (!drop.get(c)) {
                throw new IllegalArgumentException("channel " + c + " of " + g + " is kept twice");
            }
            drop.clear(c);
        }
        return drop;
    }

    private static int[] complement(BitSet removed, int length) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            if (!removed.get(i)) {
                keep.add(i);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }
}

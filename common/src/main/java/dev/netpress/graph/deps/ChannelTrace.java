package dev.netpress.graph.deps;

import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphInput;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One walk over a graph in topological order that assigns every value's channel axis to groups.
 * Each op either creates a group (conv, linear, graph input), passes its input's channels through
 * (adding the slices it holds, as batch norm and depthwise conv do), joins groups (add) or lays
 * them side by side (concat). Joined groups are merged with union-find.
 */
final class ChannelTrace {
    /** A group under construction; merged ones point at their representative. */
    private static final class Draft {
        final String name;
        final int size;
        final List<ChannelSlice> slices = new ArrayList<>();
        final Set<String> reasons = new LinkedHashSet<>();
        int parent;

        Draft(int id, String name, int size) {
            this.parent = id;
            this.name = name;
            this.size = size;
        }
    }

    /** A draft group's place along a value's first axis (see {@link ChannelSpan}). */
    private record Span(int group, int offset, int multiplicity) {}

    private final Graph graph;
    private final List<Draft> drafts = new ArrayList<>();
    private final Map<String, List<Span>> layouts = new HashMap<>();

    private ChannelTrace(Graph graph) {
        this.graph = graph;
    }

    static DependencyGraph run(Graph graph) {
        return new ChannelTrace(graph).trace();
    }

    private DependencyGraph trace() {
        for (GraphInput in : graph.inputs()) {
            List<Span> l = create(in.name(), channels(in.name()));
            block(l, "carries the channels of graph input '" + in.name() + "'");
            layouts.put(in.name(), l);
        }
        for (Node n : graph.nodes()) {
            List<Span> out = switch (n.op()) {
                case CONV2D -> conv(n);
                case LINEAR -> linear(n);
                case BATCHNORM -> batchNorm(n);
                // per-channel ops that map zero to zero (ChannelScores.zeroChannels relies on it)
                case RELU, RELU6, MAXPOOL, AVGPOOL, ADAPTIVE_AVGPOOL, GLOBAL_AVGPOOL, DROPOUT, IDENTITY -> input(n, 0);
                case FLATTEN -> flatten(n);
                case ADD -> join(n);
                case CONCAT -> n.attrs().getInt("axis", 0) == 0 ? concat(n) : join(n);
            };
            checkCovers(n.name(), out);
            layouts.put(n.name(), out);
        }
        for (String out : graph.outputs()) {
            block(layouts.get(out), "reaches graph output '" + out + "'");
        }
        return collect();
    }

    private List<Span> conv(Node n) {
        List<Span> in = input(n, 0);
        int inChannels = channels(n.inputs().get(0));
        int outChannels = n.param("weight").shape().get(0);
        int groups = n.attrs().getInt("groups", 1);
        if (groups == 1) {
            for (Span s : in) {
                slice(s.group, n, "weight", 1, s.offset, s.multiplicity, ChannelSlice.Side.INPUT);
            }
            return produce(n, outChannels);
        }
        if (groups == inChannels) {
            // depthwise: output channels k*c ... k*c + k-1 are computed from input channel c alone,
            // so the input's channels pass through and take the filters and bias with them
            int k = outChannels / inChannels;
            List<Span> out = new ArrayList<>();
            for (Span s : in) {
                Span o = new Span(s.group, s.offset * k, s.multiplicity * k);
                outputSlices(n, o);
                out.add(o);
            }
            return out;
        }
        String why = "grouped conv '" + n.name() + "' (groups " + groups + " over " + inChannels
                + " channels) would need every group pruned alike, which is not modelled";
        block(in, "read by " + why);
        List<Span> out = produce(n, outChannels);
        block(out, "produced by " + why);
        return out;
    }

    private List<Span> linear(Node n) {
        List<Span> in = input(n, 0);
        Dims x = graph.shapeOf(n.inputs().get(0));
        if (x.rank() != 1) {
            String why = "linear '" + n.name() + "' acts on the last axis of a rank-" + x.rank() + " value";
            block(in, "read by " + why);
            List<Span> out = create(n.name(), channels(n.name()));
            block(out, "output of " + why);
            return out;
        }
        for (Span s : in) {
            slice(s.group, n, "weight", 1, s.offset, s.multiplicity, ChannelSlice.Side.INPUT);
        }
        return produce(n, n.param("weight").shape().get(0));
    }

    private List<Span> batchNorm(Node n) {
        List<Span> in = input(n, 0);
        in.forEach(s -> outputSlices(n, s));
        return in;
    }

    /** Flattening {@code [C, ...]} makes each position of the first axis span the product of the others. */
    private List<Span> flatten(Node n) {
        Dims x = graph.shapeOf(n.inputs().get(0));
        int inner = Math.toIntExact(x.numel() / x.get(0));
        return input(n, 0).stream().map(s -> new Span(s.group, s.offset * inner, s.multiplicity * inner)).toList();
    }

    /**
     * Add, or concat along a non-channel axis: position {@code i} of every input's first axis meets
     * position {@code i} of the others, so aligned groups merge. Inputs split into differently
     * placed groups would need a group split, which is not modelled: all of them are blocked.
     */
    private List<Span> join(Node n) {
        List<Span> first = input(n, 0);
        List<List<Span>> others = new ArrayList<>();
        for (int i = 1; i < n.inputs().size(); i++) {
            others.add(input(n, i));
        }
        if (others.stream().allMatch(o -> aligned(first, o))) {
            for (List<Span> o : others) {
                for (int k = 0; k < first.size(); k++) {
                    union(first.get(k).group, o.get(k).group);
                }
            }
        } else {
            String why = "joined by '" + n.name() + "' with channels placed differently in its inputs";
            block(first, why);
            others.forEach(o -> block(o, why));
        }
        return first;
    }

    private boolean aligned(List<Span> a, List<Span> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int k = 0; k < a.size(); k++) {
            Span x = a.get(k);
            Span y = b.get(k);
            if (x.offset != y.offset || x.multiplicity != y.multiplicity || size(x.group) != size(y.group)) {
                return false;
            }
        }
        return true;
    }

    /** Concat along channels: each input's spans move by the channels before it. */
    private List<Span> concat(Node n) {
        List<Span> out = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < n.inputs().size(); i++) {
            for (Span s : input(n, i)) {
                out.add(new Span(s.group, offset + s.offset, s.multiplicity));
            }
            offset += channels(n.inputs().get(i));
        }
        return out;
    }

    /** A new group for a conv's or linear's output channels: its weight rows and bias. */
    private List<Span> produce(Node n, int size) {
        List<Span> out = create(n.name(), size);
        outputSlices(n, out.get(0));
        return out;
    }

    /** Every parameter of {@code n} along axis 0 (weight rows, bias, batch-norm vectors) joins the span's group. */
    private void outputSlices(Node n, Span s) {
        for (String role : n.params().keySet()) {
            slice(s.group, n, role, 0, s.offset, s.multiplicity, ChannelSlice.Side.OUTPUT);
        }
    }

    private List<Span> create(String name, int size) {
        int id = drafts.size();
        drafts.add(new Draft(id, name, size));
        return List.of(new Span(id, 0, 1));
    }

    private void slice(int group, Node n, String role, int axis, int offset, int multiplicity, ChannelSlice.Side side) {
        drafts.get(find(group)).slices.add(new ChannelSlice(n.name(), n.op(), role, axis, offset, multiplicity, side));
    }

    private void block(List<Span> layout, String reason) {
        layout.forEach(s -> drafts.get(find(s.group)).reasons.add(reason));
    }

    private List<Span> input(Node n, int i) {
        return layouts.get(n.inputs().get(i));
    }

    private int channels(String value) {
        Dims d = graph.shapeOf(value);
        if (d.rank() == 0) {
            throw new IllegalArgumentException("value '" + value + "' is a scalar per sample and has no channels");
        }
        return d.get(0);
    }

    private int size(int group) {
        return drafts.get(find(group)).size;
    }

    private int find(int group) {
        int g = group;
        while (drafts.get(g).parent != g) {
            g = drafts.get(g).parent;
        }
        drafts.get(group).parent = g;
        return g;
    }

    /** Merges two groups into the older one, which keeps its name. */
    private void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return;
        }
        Draft keep = drafts.get(Math.min(ra, rb));
        Draft gone = drafts.get(Math.max(ra, rb));
        keep.slices.addAll(gone.slices);
        keep.reasons.addAll(gone.reasons);
        gone.slices.clear();
        gone.parent = Math.min(ra, rb);
    }

    /** Guards the trace itself: a value's spans must tile its first axis exactly. */
    private void checkCovers(String value, List<Span> layout) {
        List<Span> sorted = layout.stream().sorted((x, y) -> Integer.compare(x.offset, y.offset)).toList();
        int next = 0;
        for (Span s : sorted) {
            if (s.offset != next) {
                throw new IllegalStateException("channel trace of '" + value + "' has a gap or overlap at " + next);
            }
            next += size(s.group) * s.multiplicity;
        }
        if (next != channels(value)) {
            throw new IllegalStateException("channel trace of '" + value + "' covers " + next + " of "
                    + channels(value) + " positions");
        }
    }

    private DependencyGraph collect() {
        Map<Integer, ChannelGroup> groups = new LinkedHashMap<>();
        for (int id = 0; id < drafts.size(); id++) {
            Draft d = drafts.get(id);
            if (find(id) == id) {
                groups.put(id, new ChannelGroup(groups.size(), d.name, d.size, d.slices, List.copyOf(d.reasons)));
            }
        }
        Map<String, List<ChannelSpan>> spans = new LinkedHashMap<>();
        layouts.forEach((value, l) -> spans.put(value,
                l.stream().map(s -> new ChannelSpan(groups.get(find(s.group)), s.offset, s.multiplicity)).toList()));
        return new DependencyGraph(graph, List.copyOf(groups.values()), spans);
    }
}

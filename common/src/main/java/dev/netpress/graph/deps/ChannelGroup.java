package dev.netpress.graph.deps;

import java.util.List;
import java.util.Objects;

/**
 * A set of channels that can only be removed together: channel {@code c} of the group is index
 * {@code c} of every member slice (scaled by the slice's offset and multiplicity). A conv's output
 * channels form a group with the batch norm after it and the input columns of the layers that read
 * them; a residual add joins the groups of all its inputs into one.
 *
 * @param id the group's index in {@link DependencyGraph#groups()}
 * @param name the first node that produces these channels (a graph input's name for its channels)
 * @param size the number of channels
 * @param slices every tensor slice tied to the channels, in node order
 * @param unprunableReasons why the group must keep all its channels; empty when it may be pruned
 */
public record ChannelGroup(int id, String name, int size, List<ChannelSlice> slices, List<String> unprunableReasons) {
    public ChannelGroup {
        Objects.requireNonNull(name, "name");
        if (size < 1) {
            throw new IllegalArgumentException("group '" + name + "' must have at least one channel, got " + size);
        }
        slices = List.copyOf(slices);
        unprunableReasons = List.copyOf(unprunableReasons);
    }

    public boolean prunable() {
        return unprunableReasons.isEmpty();
    }

    /** Why the group is unprunable, as one sentence; empty when it is prunable. */
    public String reason() {
        return String.join("; ", unprunableReasons);
    }

    /** The member slices on one side. */
    public List<ChannelSlice> slices(ChannelSlice.Side side) {
        return slices.stream().filter(s -> s.side() == side).toList();
    }

    @Override
    public String toString() {
        return "group " + id + " '" + name + "' (" + size + " channels, "
                + (prunable() ? "prunable" : "unprunable: " + reason()) + ")";
    }
}

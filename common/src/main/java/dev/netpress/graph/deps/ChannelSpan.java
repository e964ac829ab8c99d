package dev.netpress.graph.deps;

import java.util.Objects;

/**
 * Where one group's channels lie along the first axis of a value: channel {@code c} of the group
 * is positions {@code offset + c * multiplicity ... offset + (c+1) * multiplicity - 1}. A value
 * produced by a conv is one span of its group; a concat lays its inputs' spans end to end; a
 * flatten multiplies offsets and multiplicities by the spatial size.
 *
 * @param group the channel group
 * @param offset the position of the group's first channel
 * @param multiplicity positions per channel
 */
public record ChannelSpan(ChannelGroup group, int offset, int multiplicity) {
    public ChannelSpan {
        Objects.requireNonNull(group, "group");
    }
}

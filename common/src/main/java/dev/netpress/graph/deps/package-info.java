/**
 * Channel dependencies of a {@link dev.netpress.graph.Graph}, in the spirit of DepGraph
 * (Fang et al., "DepGraph: Towards Any Structural Pruning", CVPR 2023): which slices of which
 * tensors must shrink together when one conv or linear output channel is removed.
 *
 * <p>{@link dev.netpress.graph.deps.DependencyGraph#of} traces every value's channel axis from the
 * graph inputs to the outputs and partitions all channel-tied tensor slices into
 * {@link dev.netpress.graph.deps.ChannelGroup}s. A group is pruned as a whole: removing its channel
 * {@code c} removes index {@code c} (scaled by the slice's offset and multiplicity) from every
 * member {@link dev.netpress.graph.deps.ChannelSlice}. Patterns the trace does not model make the
 * groups they touch unprunable, with the reason, so pruning never builds a wrong graph.
 * {@link dev.netpress.graph.deps.ChannelScores} ranks a group's channels over its member slices.
 */
package dev.netpress.graph.deps;

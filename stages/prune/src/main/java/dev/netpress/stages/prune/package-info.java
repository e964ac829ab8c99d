/**
 * The prune technique: {@link dev.netpress.stages.prune.Prune#apply} takes a graph and
 * {@link dev.netpress.stages.prune.PruneOptions} and returns a smaller graph with a
 * {@link dev.netpress.stages.prune.PruneReport}. Channels are removed whole, by the channel groups
 * of {@link dev.netpress.graph.deps.DependencyGraph}: either the channels a filter-granularity
 * sparsifier zeroed ({@code zeroed}, outputs unchanged) or a share of each group ranked by an
 * importance criterion ({@code structured}).
 */
package dev.netpress.stages.prune;

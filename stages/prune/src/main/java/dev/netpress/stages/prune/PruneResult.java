package dev.netpress.stages.prune;

import dev.netpress.graph.Graph;

/** The pruned model, an ordinary valid graph, and what pruning did. */
public record PruneResult(Graph graph, PruneReport report) {}

package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;

/**
 * A lottery ticket: the weights saved at the rewind epoch under a mask, ready to be retrained.
 *
 * @param step the pruning step that made the mask (0 for the final ticket when nothing was pruned)
 * @param sparsity zero weights of the sparsified layers, as a percentage
 * @param graph the ticket
 */
public record Ticket(int step, double sparsity, Graph graph) {}

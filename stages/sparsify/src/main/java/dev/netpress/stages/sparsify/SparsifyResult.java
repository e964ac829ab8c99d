package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import dev.netpress.train.EpochResult;
import java.util.List;

/**
 * What a sparsify job produced.
 *
 * @param graph the fine-tuned, sparse model (same structure, zeros in place)
 * @param sparsity zeros per sparsified layer
 * @param accuracy validation accuracy after the last epoch (NaN without validation data)
 * @param history one row per fine-tuning epoch
 * @param tickets lottery tickets, when asked for and not handed to a consumer
 */
public record SparsifyResult(Graph graph, SparsityReport sparsity, double accuracy, List<EpochResult> history,
        List<Ticket> tickets) {
    public SparsifyResult {
        history = List.copyOf(history);
        tickets = List.copyOf(tickets);
    }
}

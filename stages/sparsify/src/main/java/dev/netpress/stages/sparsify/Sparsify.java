package dev.netpress.stages.sparsify;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sparsify technique: fine-tunes a model with a {@link SparsifyCallback} so that it ends at
 * the asked sparsity with its accuracy recovered as far as the epochs allow. Graph in, graph
 * out; the structure is unchanged (zeros stay in place for the prune stage to remove).
 */
public final class Sparsify {
    private Sparsify() {}

    /** Sparsifies with progress lines on standard output; tickets, if asked for, come back in the result. */
    public static SparsifyResult apply(Graph graph, DataLoader train, DataLoader valid, SparsifyOptions options) {
        List<Ticket> tickets = new ArrayList<>();
        SparsifyResult r = apply(graph, train, valid, options, System.out::println, tickets::add);
        return new SparsifyResult(r.graph(), r.sparsity(), r.accuracy(), r.history(), tickets);
    }

    /**
     * Sparsifies, fine-tuning with one-cycle Adam at peak rate {@code options.lr()}.
     *
     * @param valid validation data, or null for none (accuracy is then NaN)
     * @param log receives progress lines
     * @param tickets receives lottery tickets as they are made (they are not kept in the result)
     * @throws IllegalArgumentException before any training if the options do not fit the graph
     */
    public static SparsifyResult apply(Graph graph, DataLoader train, DataLoader valid, SparsifyOptions options,
            Consumer<String> log, Consumer<Ticket> tickets) {
        options.validateFor(graph);
        SparsifyCallback callback = new SparsifyCallback(options.sparsifier(), options.target(), options.lottery(), log,
                tickets);
        try (Learner learner = Learner.builder(graph, train).optValid(valid).optSeed(options.seed())
                .addCallback(callback).build()) {
            List<EpochResult> history = learner.fitOneCycle(options.epochs(), options.lr());
            return new SparsifyResult(learner.graph(), callback.report(), history.get(history.size() - 1).accuracy(),
                    history, List.of());
        }
    }
}

package dev.netpress.stages.prune;

import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Physical channel pruning (of zeroed channels, or by importance) as a pipeline technique. */
public final class PruneTechnique implements Technique<PruneOptions> {
    @Override
    public String name() {
        return "prune";
    }

    @Override
    public String description() {
        return "Removes channels with every tensor tied to them (dependency graph): all-zero ones, or a ratio by importance.";
    }

    @Override
    public List<OptionDef> options() {
        return List.of(
                new OptionDef("mode", "zeroed", "zeroed (remove all-zero channels, after filter sparsify) or structured"),
                new OptionDef("ratio", "0", "structured: share of each group's channels to remove, in (0, 1)"),
                new OptionDef("importance", "l2", "structured: l1, l2, bn_scale, taylor or random"),
                new OptionDef("reducer", "mean", "how a group's slices' scores combine: sum, mean or max"),
                new OptionDef("context", "local", "local (ratio per group) or global (one threshold across groups)"),
                new OptionDef("round_to", "1", "kept channel counts are rounded up to a multiple of this"),
                new OptionDef("max_ratio", "1", "never remove more than this share of any group"),
                new OptionDef("seed", "0", "seed of the random importance"),
                new OptionDef("taylor_batches", "1", "batches of training data the taylor importance uses"));
    }

    @Override
    public PruneOptions parse(OptionValues v) {
        return PruneOptions.builder().mode(v.string("mode")).ratio(v.number("ratio")).importance(v.string("importance"))
                .reducer(v.string("reducer")).context(v.string("context")).roundTo(v.integer("round_to"))
                .maxRatio(v.number("max_ratio")).seed(v.longValue("seed")).taylorBatches(v.integer("taylor_batches"))
                .build();
    }

    @Override
    public TechniqueResult apply(Graph input, PruneOptions options, TechniqueContext context) {
        PruneResult r = options.needsData() ? Prune.apply(input, options, context.train()) : Prune.apply(input, options);
        PruneReport p = r.report();
        return TechniqueResult.of(r.graph(), Map.of(), String.format(Locale.ROOT,
                "pruned %,d of %,d channels: parameters %,d → %,d (%.2fx), MACs %,d → %,d (%.2fx)",
                p.channelsBefore() - p.channelsAfter(), p.channelsBefore(), p.parametersBefore(), p.parametersAfter(),
                (double) p.parametersBefore() / p.parametersAfter(), p.macsBefore(), p.macsAfter(),
                (double) p.macsBefore() / p.macsAfter()));
    }
}

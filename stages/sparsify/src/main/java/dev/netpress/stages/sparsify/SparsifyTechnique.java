package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import dev.netpress.measure.Metric;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sparsification during fine-tuning as a pipeline technique. */
public final class SparsifyTechnique implements Technique<SparsifyOptions> {
    @Override
    public String name() {
        return "sparsify";
    }

    @Override
    public String description() {
        return "Zeroes the least important weights while fine-tuning (granularity × context × criteria × schedule).";
    }

    @Override
    public List<OptionDef> options() {
        SparsifyOptions d = SparsifyOptions.builder().build();
        return List.of(
                new OptionDef("sparsity", num(d.sparsity()), "final sparsity in percent, in [0, 100)"),
                new OptionDef("granularity", d.granularity(), "what goes together: " + names("granularity (conv2d)")),
                new OptionDef("context", d.context(), "local (a threshold per layer) or global (one for all layers)"),
                new OptionDef("criteria", d.criteria(), "what is worth keeping: " + names("criteria")),
                new OptionDef("reducer", d.reducer(), "how a group's scores combine: mean or sum"),
                new OptionDef("normalizer", d.normalizer(), "how a layer's scores are rescaled before a global threshold"),
                new OptionDef("schedule", d.schedule(), "how sparsity ramps up: " + names("schedule")),
                new OptionDef("steps", String.valueOf(d.steps()), "steps of the iterative schedule"),
                new OptionDef("start", num(d.start()), "fraction of training where pruning starts"),
                new OptionDef("end", num(d.end()), "fraction of training where it reaches the final sparsity"),
                new OptionDef("lth", "false", "lottery ticket: rewind weights after each pruning step"),
                new OptionDef("rewind_epoch", "0", "epoch whose starting weights lth rewinds to"),
                new OptionDef("reset_end", "false", "rewind to the saved weights under the final mask at the end"),
                new OptionDef("round_to", "1", "kept groups per layer rounded up to a multiple of this"),
                new OptionDef("nm", "", "N:M sparsity such as 2:4 (with granularity weight, context local)"),
                new OptionDef("layer_type", d.layerType(), "conv2d, linear or both"),
                new OptionDef("layer_sparsity", "", "per-layer sparsity, e.g. features.0=20,features.3=60 (local context)"),
                new OptionDef("epochs", String.valueOf(d.epochs()), "fine-tuning epochs"),
                new OptionDef("lr", num(d.lr()), "one-cycle peak learning rate"),
                new OptionDef("seed", String.valueOf(d.seed()), "seed of training and of the random criterion"));
    }

    private static String names(String kind) {
        return String.join(", ", Registry.names().get(kind));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public SparsifyOptions parse(OptionValues v) {
        return SparsifyOptions.builder().optSparsity(v.number("sparsity")).optGranularity(v.string("granularity"))
                .optContext(v.string("context")).optCriteria(v.string("criteria")).optReducer(v.string("reducer"))
                .optNormalizer(v.string("normalizer")).optSchedule(v.string("schedule")).optSteps(v.integer("steps"))
                .optStart(v.number("start")).optEnd(v.number("end")).optLth(v.flag("lth"))
                .optRewindEpoch(v.integer("rewind_epoch")).optResetEnd(v.flag("reset_end")).optRoundTo(v.integer("round_to"))
                .optNm(v.optionalString("nm").map(NmPattern::parse).orElse(null)).optLayerType(v.string("layer_type"))
                .optLayerSparsity(v.numberMap("layer_sparsity")).optEpochs(v.integer("epochs")).optLr(v.number("lr"))
                .optSeed(v.longValue("seed")).build();
    }

    @Override
    public TechniqueResult apply(Graph input, SparsifyOptions options, TechniqueContext context) {
        options.validateFor(input);
        SparsifyResult r = Sparsify.apply(input, context.train(), context.valid(), options);
        return TechniqueResult.of(r.graph(), Map.of(Metric.ACCURACY.key(), r.accuracy()), String.format(Locale.ROOT,
                "%s sparsity %.2f%% of %s weights reached over %d epoch(s); accuracy %.4f", options.granularity(),
                r.sparsity().overall(), options.layerType(), options.epochs(), r.accuracy()));
    }
}

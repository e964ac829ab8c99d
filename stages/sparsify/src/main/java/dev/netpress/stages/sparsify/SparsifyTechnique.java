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
import java.util.Objects;

/**
 * Sparsification during fine-tuning as a pipeline technique. With {@code layer_sparsity=auto} the
 * per-layer sparsity map comes from a {@link SensitivityScan} on the validation data that removes
 * {@code target} percent of the model's {@code objective} (params or macs) at the least accuracy
 * cost, at the job's granularity, criteria and layer type.
 */
public final class SparsifyTechnique implements Technique<SparsifyTechnique.Job> {
    private static final String AUTO = "auto";

    /**
     * A parsed job.
     *
     * @param options the sparsify options (for an automatic map, without one yet)
     * @param scan the scan that chooses the per-layer map, or null when the options carry their own
     */
    public record Job(SparsifyOptions options, SensitivityScan scan) {
        public Job {
            Objects.requireNonNull(options, "options");
        }
    }

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
        SensitivityScan scan = SensitivityScan.defaults();
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
                new OptionDef("layer_sparsity", "", "per-layer sparsity, e.g. features.0=20,features.3=60, or auto: "
                        + "chosen by a sensitivity scan on the validation data (local context)"),
                new OptionDef("target", num(scan.target()), "with layer_sparsity=auto: percent of the objective to remove"),
                new OptionDef("objective", scan.objective().toString(), "with layer_sparsity=auto: params or macs"),
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
    public Job parse(OptionValues v) {
        boolean auto = v.optionalString("layer_sparsity").filter(AUTO::equals).isPresent();
        SparsifyOptions options = SparsifyOptions.builder().optSparsity(v.number("sparsity")).optGranularity(v.string("granularity"))
                .optContext(v.string("context")).optCriteria(v.string("criteria")).optReducer(v.string("reducer"))
                .optNormalizer(v.string("normalizer")).optSchedule(v.string("schedule")).optSteps(v.integer("steps"))
                .optStart(v.number("start")).optEnd(v.number("end")).optLth(v.flag("lth"))
                .optRewindEpoch(v.integer("rewind_epoch")).optResetEnd(v.flag("reset_end")).optRoundTo(v.integer("round_to"))
                .optNm(v.optionalString("nm").map(NmPattern::parse).orElse(null)).optLayerType(v.string("layer_type"))
                .optLayerSparsity(auto ? Map.of() : v.numberMap("layer_sparsity")).optEpochs(v.integer("epochs"))
                .optLr(v.number("lr")).optSeed(v.longValue("seed")).build();
        if (!auto) {
            return new Job(options, null);
        }
        if (!Registry.context(options.context()).perLayer()) {
            throw new IllegalArgumentException("layer_sparsity=auto needs a per-layer context such as local, got '"
                    + options.context() + "'");
        }
        SensitivityScan scan = new SensitivityScan(SensitivityScan.defaults().levels(), options.granularity(),
                options.criteria(), options.layerType(), v.number("target"), Objective.parse(v.string("objective")));
        return new Job(options, scan);
    }

    @Override
    public TechniqueResult apply(Graph input, Job job, TechniqueContext context) {
        SparsifyOptions options = job.options();
        options.validateFor(input);
        if (job.scan() != null) {
            if (context.valid() == null) {
                throw new IllegalArgumentException("layer_sparsity=auto needs validation data for its sensitivity scan");
            }
            SensitivityReport scan = job.scan().run(input, context.valid());
            context.log().println("sensitivity scan:\n" + scan.format());
            options = options.toBuilder().optLayerSparsity(scan.allocation().layerSparsity()).build();
        }
        // progress goes to the context's log: a stage's logger, not the standard output of whatever embeds it
        SparsifyResult r = Sparsify.apply(input, context.train(), context.valid(), options, context.log()::println,
                ticket -> { });
        return TechniqueResult.of(r.graph(), Map.of(Metric.ACCURACY.key(), r.accuracy()), String.format(Locale.ROOT,
                "%s sparsity %.2f%% of %s weights reached over %d epoch(s); accuracy %.4f", options.granularity(),
                r.sparsity().overall(), options.layerType(), options.epochs(), r.accuracy()));
    }
}

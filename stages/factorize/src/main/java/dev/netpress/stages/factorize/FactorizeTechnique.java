package dev.netpress.stages.factorize;

import dev.netpress.graph.Graph;
import dev.netpress.measure.Metric;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SVD factorization of linear layers as a pipeline technique, optionally followed by one-cycle
 * fine-tuning: a truncated layer loses what its dropped singular values carried, and a short
 * fine-tune wins most of it back (the seed walkthrough's "factorize, then one epoch").
 */
public final class FactorizeTechnique implements Technique<FactorizeTechnique.Options> {
    /** The factorization and the fine-tuning after it ({@code epochs} 0: none). */
    public record Options(FactorizeOptions factorize, int epochs, double lr) {
        public Options {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must not be negative, got " + epochs);
            }
            if (!(lr > 0 && Double.isFinite(lr))) {
                throw new IllegalArgumentException("lr must be a positive number, got " + lr);
            }
        }
    }

    @Override
    public String name() {
        return "factorize";
    }

    @Override
    public String description() {
        return "Splits linear layers into two thinner ones by truncated SVD, where that saves parameters.";
    }

    @Override
    public List<OptionDef> options() {
        return List.of(
                new OptionDef("percent_removed", "0.5", "share of singular values dropped, in (0, 1)"),
                new OptionDef("energy_threshold", "", "instead: share of the energy Σσ² to keep, in (0, 1)"),
                new OptionDef("layers", "", "linear layers to factorize, comma-separated (default: all but the classifier)"),
                new OptionDef("randomized_above", String.valueOf(FactorizeOptions.DEFAULT_RANDOMIZED_ABOVE),
                        "weights with more elements use the randomized SVD"),
                new OptionDef("oversampling", String.valueOf(FactorizeOptions.DEFAULT_OVERSAMPLING),
                        "extra columns of the randomized sketch"),
                new OptionDef("power_iterations", String.valueOf(FactorizeOptions.DEFAULT_POWER_ITERATIONS),
                        "power iterations of the randomized SVD"),
                new OptionDef("seed", "0", "seed of the randomized sketch and of fine-tuning"),
                new OptionDef("epochs", "0", "one-cycle fine-tuning epochs after factorizing (0: none)"),
                new OptionDef("lr", "1e-4", "fine-tuning peak learning rate"));
    }

    @Override
    public Options parse(OptionValues v) {
        Optional<Double> energy = v.optionalNumber("energy_threshold");
        FactorizeOptions base = energy.map(FactorizeOptions::energy)
                .orElseGet(() -> FactorizeOptions.percentRemoved(v.number("percent_removed")));
        FactorizeOptions f = base.withLayers(v.list("layers"))
                .withRandomized(v.longValue("randomized_above"), v.integer("oversampling"), v.integer("power_iterations"))
                .withSeed(v.longValue("seed"));
        return new Options(f, v.integer("epochs"), v.number("lr"));
    }

    @Override
    public TechniqueResult apply(Graph input, Options options, TechniqueContext context) {
        FactorizeResult r = LinearFactorizer.factorize(input, options.factorize());
        if (options.epochs() == 0 || r.graph() == input) {
            return TechniqueResult.of(r.graph(), Map.of(), r.describe());
        }
        context.log().println("factorize: " + r.describe() + "; fine-tuning " + options.epochs() + " epoch(s)");
        try (Learner learner = Learner.builder(r.graph(), context.train()).optValid(context.valid())
                .optSeed(options.factorize().seed()).build()) {
            List<EpochResult> history = learner.fitOneCycle(options.epochs(), options.lr());
            EpochResult last = history.get(history.size() - 1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(Metric.ACCURACY.key(), last.accuracy());
            metrics.put(Metric.LOSS.key(), last.validLoss());
            return TechniqueResult.of(learner.graph(), metrics, String.format(java.util.Locale.ROOT,
                    "%s; fine-tuned %d epoch(s) to %.2f%%", r.describe(), options.epochs(), 100 * last.accuracy()));
        }
    }
}

package dev.netpress.stages.factorize;

import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SVD factorization of linear layers as a pipeline technique. */
public final class FactorizeTechnique implements Technique<FactorizeOptions> {
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
                new OptionDef("seed", "0", "seed of the randomized sketch"));
    }

    @Override
    public FactorizeOptions parse(OptionValues v) {
        Optional<Double> energy = v.optionalNumber("energy_threshold");
        FactorizeOptions base = energy.map(FactorizeOptions::energy)
                .orElseGet(() -> FactorizeOptions.percentRemoved(v.number("percent_removed")));
        return base.withLayers(v.list("layers"))
                .withRandomized(v.longValue("randomized_above"), v.integer("oversampling"), v.integer("power_iterations"))
                .withSeed(v.longValue("seed"));
    }

    @Override
    public TechniqueResult apply(Graph input, FactorizeOptions options, TechniqueContext context) {
        FactorizeResult r = LinearFactorizer.factorize(input, options);
        return TechniqueResult.of(r.graph(), Map.of(), r.describe());
    }
}

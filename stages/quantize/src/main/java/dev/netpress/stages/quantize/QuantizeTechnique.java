package dev.netpress.stages.quantize;

import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Post-training int8 weight quantization as a pipeline technique. */
public final class QuantizeTechnique implements Technique<QuantizeOptions> {
    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public String description() {
        return "Stores conv2d and linear weights as int8 with one float scale per output channel (symmetric).";
    }

    @Override
    public List<OptionDef> options() {
        return List.of(new OptionDef("convolutions", "true", "quantize conv2d weights"),
                new OptionDef("linears", "true", "quantize linear weights"),
                new OptionDef("skip", "", "comma-separated node names kept in float32"));
    }

    @Override
    public QuantizeOptions parse(OptionValues v) {
        return new QuantizeOptions(v.flag("convolutions"), v.flag("linears"), java.util.Set.copyOf(v.list("skip")));
    }

    @Override
    public TechniqueResult apply(Graph input, QuantizeOptions options, TechniqueContext context) {
        QuantizeResult r = WeightQuantizer.quantize(input, options);
        double worst = r.layers().stream().mapToDouble(QuantizeResult.Layer::maxRelativeError).max().orElse(0);
        return TechniqueResult.of(r.graph(), Map.of(), String.format(Locale.ROOT,
                "quantized %d layer(s) to int8: weights %,d → %,d bytes (%.2fx), worst rounding error %.4f of a layer's largest weight",
                r.layers().size(), r.weightBytesBefore(), r.weightBytesAfter(), r.compression(), worst));
    }
}

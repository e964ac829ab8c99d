package dev.netpress.stages.fold;

import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.util.List;
import java.util.Map;

/** Batch-norm folding as a pipeline technique. */
public final class FoldTechnique implements Technique<FoldOptions> {
    @Override
    public String name() {
        return "fold";
    }

    @Override
    public String description() {
        return "Folds every batch norm that follows a conv2d or linear layer into it (lossless in eval mode).";
    }

    @Override
    public List<OptionDef> options() {
        return List.of(new OptionDef("convolutions", "true", "fold batch norms that follow a conv2d"),
                new OptionDef("linears", "true", "fold batch norms that follow a linear layer"));
    }

    @Override
    public FoldOptions parse(OptionValues v) {
        return new FoldOptions(v.flag("convolutions"), v.flag("linears"));
    }

    @Override
    public TechniqueResult apply(Graph input, FoldOptions options, TechniqueContext context) {
        FoldResult r = BatchNormFolder.fold(input, options);
        return TechniqueResult.of(r.graph(), Map.of(), r.describe());
    }
}

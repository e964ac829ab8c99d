package dev.netpress.stages.distill;

import dev.netpress.graph.Graph;
import dev.netpress.measure.Metric;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Knowledge distillation as a pipeline technique: the input is the student, the teacher an artifact reference. */
public final class DistillTechnique implements Technique<DistillTechnique.Settings> {
    /** The options plus the teacher's reference (a path or URI). */
    public record Settings(String teacher, DistillOptions options) {}

    @Override
    public String name() {
        return "distill";
    }

    @Override
    public String description() {
        return "Trains the input model (the student) against a teacher's outputs or activations as well as the labels.";
    }

    @Override
    public List<OptionDef> options() {
        DistillOptions d = DistillOptions.defaults();
        return List.of(
                new OptionDef("teacher", "", "the teacher artifact (path or URI); required"),
                new OptionDef("loss", d.loss().wireName(), "soft_target, logits, mutual, decoupled, attention, fitnet, "
                        + "similarity or activation_boundaries"),
                new OptionDef("weight", fmt(d.weight()), "share of the distillation loss: (1-w)·task + w·distill"),
                new OptionDef("weight_ramp", "false", "grow the weight linearly from 0 over training"),
                new OptionDef("temperature", fmt(d.temperature()), "softening temperature (soft_target, decoupled)"),
                new OptionDef("alpha", fmt(d.alpha()), "decoupled: target-class term weight"),
                new OptionDef("beta", fmt(d.beta()), "decoupled: non-target term weight"),
                new OptionDef("p", fmt(d.p()), "attention: exponent of the attention maps"),
                new OptionDef("margin", fmt(d.margin()), "activation_boundaries: margin"),
                new OptionDef("student_activations", "", "student node names compared by feature losses, comma-separated"),
                new OptionDef("teacher_activations", "", "teacher node names, pairwise with the student's"),
                new OptionDef("epochs", String.valueOf(d.epochs()), "training epochs"),
                new OptionDef("lr", fmt(d.lr()), "one-cycle maximum learning rate"),
                new OptionDef("seed", String.valueOf(d.seed()), "seed of the run"));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public Settings parse(OptionValues v) {
        return new Settings(v.string("teacher"), new DistillOptions(LossKind.parse(v.string("loss")), v.number("weight"),
                v.flag("weight_ramp"), v.number("temperature"), v.number("alpha"), v.number("beta"), v.number("p"),
                v.number("margin"), v.list("student_activations"), v.list("teacher_activations"), v.integer("epochs"),
                v.number("lr"), v.longValue("seed")));
    }

    @Override
    public TechniqueResult apply(Graph input, Settings s, TechniqueContext context) throws IOException {
        Graph teacher = context.resolve(s.teacher()).graph();
        DistillResult r = Distill.apply(input, teacher, context.train(), context.valid(), s.options());
        double loss = r.history().get(r.history().size() - 1).validLoss();
        return TechniqueResult.of(r.student(), Map.of(Metric.ACCURACY.key(), r.accuracy(), Metric.LOSS.key(), loss),
                String.format(Locale.ROOT, "distilled %d epoch(s) with %s from %s: accuracy %.4f", s.options().epochs(),
                        s.options().loss().wireName(), s.teacher(), r.accuracy()));
    }
}

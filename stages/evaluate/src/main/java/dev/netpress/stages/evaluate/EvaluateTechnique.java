package dev.netpress.stages.evaluate;

import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluation as a pipeline technique: measures the input model, compares it with its parent and
 * the lineage's first model (named by reference), and applies the gate. The graph passes through.
 */
public final class EvaluateTechnique implements Technique<EvaluateTechnique.Settings> {
    /** The options plus references to the models compared with (empty when not given). */
    public record Settings(EvaluateOptions options, String baseline, String parent) {}

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String description() {
        return "Measures accuracy, size and speed, compares with the parent and the lineage's first model, and gates.";
    }

    @Override
    public List<OptionDef> options() {
        EvaluateOptions d = EvaluateOptions.defaults();
        return List.of(
                new OptionDef("baseline", "", "the lineage's first model (path or URI), timed in the same run"),
                new OptionDef("parent", "", "the parent model (path or URI); its recorded metrics are compared"),
                new OptionDef("max_accuracy_drop", "", "gate: largest allowed accuracy drop below the baseline, in points"),
                new OptionDef("min_speedup", "", "gate: smallest batch-1 speed-up over the baseline"),
                new OptionDef("warmup", String.valueOf(d.warmup()), "forward passes before timing"),
                new OptionDef("runs", String.valueOf(d.runs()), "timed batch-1 forward passes per round"),
                new OptionDef("rounds", String.valueOf(d.rounds()), "interleaved timing rounds of model and baseline"));
    }

    @Override
    public Settings parse(OptionValues v) {
        Gate gate = v.optionalNumber("max_accuracy_drop").map(d -> new Gate(d, v.optionalNumber("min_speedup").orElse(null)))
                .orElse(null);
        if (gate == null && v.optionalNumber("min_speedup").isPresent()) {
            throw new IllegalArgumentException("evaluate option min_speedup needs max_accuracy_drop: the gate has both");
        }
        if (gate != null && v.optionalString("baseline").isEmpty()) {
            throw new IllegalArgumentException("evaluate's gate compares with the lineage's first model: set baseline");
        }
        return new Settings(new EvaluateOptions(v.integer("warmup"), v.integer("runs"), v.integer("rounds"), gate),
                v.optionalString("baseline").orElse(""), v.optionalString("parent").orElse(""));
    }

    @Override
    public TechniqueResult apply(Graph input, Settings s, TechniqueContext context) throws IOException {
        LoadedArtifact baseline = s.baseline().isEmpty() ? null : context.resolve(s.baseline());
        LoadedArtifact parent = s.parent().isEmpty() ? null : context.resolve(s.parent());
        Map<String, Double> firstMetrics = baseline == null ? Map.of() : withBytes(baseline);
        EvaluationReport r = ModelEvaluator.evaluate(input, context.input().ref().bytes(), context.valid(),
                baseline == null ? null : baseline.graph(), firstMetrics, parent == null ? Map.of() : withBytes(parent),
                s.options());
        java.util.SortedMap<String, Double> metrics = new java.util.TreeMap<>(r.metrics());
        if (r.vsFirst() != null && Double.isFinite(r.vsFirst().speedup())) {
            // the speed-up is only meaningful against the first model timed in this run, so its time travels along
            metrics.put(dev.netpress.measure.Metric.BASELINE_LATENCY_MS_B1.key(),
                    r.metrics().get(dev.netpress.measure.Metric.LATENCY_MS_B1.key()) * r.vsFirst().speedup());
        }
        return new TechniqueResult(input, metrics, describe(r), r.decision() == null ? null : r.decision().accepted());
    }

    private static Map<String, Double> withBytes(LoadedArtifact a) {
        Map<String, Double> m = new java.util.HashMap<>(a.card().metrics());
        m.put(dev.netpress.measure.Metric.BYTES.key(), (double) a.ref().bytes());
        return m;
    }

    private static String describe(EvaluationReport r) {
        Map<String, Double> m = r.metrics();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "accuracy %.4f, %,.0f params, %,.0f MACs, batch-1 %.3f ms (p95 %.3f), batch-64 %.0f img/s",
                m.get("accuracy"), m.get("params"), m.get("macs"), m.get("latency_ms_b1"), m.get("latency_p95_ms_b1"),
                m.get("throughput_b64")));
        if (r.vsFirst() != null) {
            sb.append(String.format(Locale.ROOT, "; vs first: drop %.2f points, speed-up %.2fx, %.2fx fewer params",
                    r.vsFirst().accuracyDrop(), r.vsFirst().speedup(), r.vsFirst().paramCompression()));
        }
        if (r.decision() != null) {
            sb.append(r.decision().accepted() ? "; ACCEPTED (" : "; REJECTED (")
                    .append(String.join("; ", r.decision().reasons())).append(')');
        }
        return sb.toString();
    }
}

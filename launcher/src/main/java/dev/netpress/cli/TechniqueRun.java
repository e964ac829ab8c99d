package dev.netpress.cli;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.ModelCard;
import dev.netpress.graph.GraphSummary;
import dev.netpress.measure.Metric;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One technique applied to an artifact in this process and saved as a new artifact whose card
 * derives from the input's: parent digest, the technique as creator, its options as provenance,
 * and the counted metrics (parameters, non-zero parameters, sparsity, MACs) over the technique's own.
 *
 * @param seconds wall time of the technique alone (not of saving)
 */
record TechniqueRun(TechniqueResult result, GraphSummary before, GraphSummary after, ArtifactRef saved, double seconds) {

    /** Applies {@code technique} with already parsed {@code options}; {@code raw} is what the card records. */
    static TechniqueRun apply(Technique<?> technique, Object options, Map<String, String> raw, TechniqueContext context,
            Path out) throws IOException {
        long t0 = System.nanoTime();
        TechniqueResult r = run(technique, options, context);
        double seconds = (System.nanoTime() - t0) / 1e9;
        GraphSummary before = GraphSummary.of(context.input().graph());
        GraphSummary after = GraphSummary.of(r.graph());
        Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
        metrics.put(Metric.PARAMS.key(), (double) after.parameters());
        metrics.put(Metric.NONZERO_PARAMS.key(), (double) after.nonZeroParameters());
        metrics.put(Metric.SPARSITY.key(), after.sparsity());
        metrics.put(Metric.MACS.key(), (double) after.macs());
        ModelCard card = context.input().card().derive(technique.name(), context.input().sha256()).withMetrics(metrics)
                .withProvenance("technique", technique.name())
                .withProvenance("options", raw.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")));
        ArtifactRef ref = Artifacts.save(new Artifact(r.graph(), card), out);
        return new TechniqueRun(r, before, after, ref, seconds);
    }

    @SuppressWarnings("unchecked")
    private static <O> TechniqueResult run(Technique<O> t, Object options, TechniqueContext c) throws IOException {
        return t.apply(c.input().graph(), (O) options, c);
    }
}

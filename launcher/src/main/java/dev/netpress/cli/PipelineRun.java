package dev.netpress.cli;

import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.broker.EmbeddedKafka;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.lineage.Lineage;
import dev.netpress.runtime.lineage.Recap;
import dev.netpress.runtime.pipeline.Pipeline;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.store.ArtifactStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * One model through one recipe with every stage in this JVM: on the given broker, or on an
 * in-process one when none is given. Shared by {@code demo} and {@code run}.
 */
final class PipelineRun {
    private PipelineRun() {}

    /** Where the stages run and what data they train and measure on. */
    record Setup(String bootstrapServers, Properties client, ArtifactStore store, DatasetSpec dataset, Integer trainLimit,
            Integer validLimit, int replicas, Path workDir, Duration timeout, Path json) {}

    /**
     * Binds the recipe's inputs, starts its stages, submits {@code artifact}, follows it to the
     * end printing each step as it lands, and prints the recap.
     *
     * @return 0 when the model reached the accepted sink, 3 when the gate rejected it, 1 when a stage gave up
     *     on it or the time ran out
     */
    static int run(CommandLine cl, Recipe recipe, Map<String, String> inputs, Path artifact, Setup setup)
            throws IOException, InterruptedException {
        PrintWriter out = cl.getOut();
        Recipe bound = Recipes.bind(cl, recipe, inputs, setup.store());
        EmbeddedKafka embedded = null;
        try {
            String bootstrap = setup.bootstrapServers();
            if (bootstrap == null) {
                out.println("starting an in-process Kafka broker (KRaft)");
                out.flush();
                embedded = EmbeddedKafka.start();
                bootstrap = embedded.bootstrapServers();
            }
            Pipeline.Settings settings = new Pipeline.Settings(bootstrap, setup.client(), setup.store(), setup.dataset(),
                    64, setup.trainLimit(), setup.validLimit(), setup.replicas(), setup.workDir().resolve("stages"));
            out.printf(Locale.ROOT, "recipe %s: %s → %s → %s, on %s, store %s%n", recipe.name(), recipe.source(),
                    String.join(" → ", recipe.steps().stream().map(s -> s.label()).toList()), recipe.accepted(),
                    bootstrap, setup.store().root());
            out.flush();
            try (Pipeline pipeline = Pipeline.start(bound, settings, Duration.ofMinutes(2))) {
                ModelEvent submitted = pipeline.submit(artifact);
                out.println("submitted " + artifact + " as lineage " + submitted.lineageId());
                out.flush();
                long t0 = System.nanoTime();
                int[] printed = {0};
                Lineage end = pipeline.follow(submitted.lineageId(), setup.timeout(), l -> {
                    // several steps may land between two looks (fold and quantize take milliseconds): print each
                    for (Lineage.Step s : l.steps().subList(Math.min(printed[0], l.steps().size()), l.steps().size())) {
                        out.printf(Locale.ROOT, "[%5.0f s] step %d %-10s %s%n", (System.nanoTime() - t0) / 1e9,
                                s.step(), s.stage(), describe(s));
                    }
                    printed[0] = l.steps().size();
                    out.flush();
                });
                if (end == null) {
                    out.println("nothing arrived from the pipeline within " + setup.timeout());
                    return 1;
                }
                Recap recap = Recap.of(end);
                out.println();
                out.print(recap.text());
                if (setup.json() != null) {
                    Path dir = setup.json().toAbsolutePath().getParent();
                    Files.createDirectories(dir);
                    Files.writeString(setup.json(), recap.toJson());
                    out.println("recap written to " + setup.json());
                }
                out.flush();
                return switch (end.status()) {
                    case ACCEPTED -> 0;
                    case REJECTED -> 3;
                    default -> 1;
                };
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static String describe(Lineage.Step s) {
        if (s.error() != null) {
            return "FAILED: " + s.error().reason();
        }
        StringBuilder sb = new StringBuilder();
        s.metric("params").ifPresent(v -> sb.append(String.format(Locale.ROOT, "params %,d", v.longValue())));
        s.metric("macs").ifPresent(v -> sb.append(String.format(Locale.ROOT, ", MACs %,d", v.longValue())));
        s.metric("accuracy").ifPresent(v -> sb.append(String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * v)));
        s.metric("latency_ms_b1").ifPresent(v -> sb.append(String.format(Locale.ROOT, ", batch-1 %.3f ms", v)));
        sb.append(String.format(Locale.ROOT, " (%.1f s)", s.timings().durationMs() / 1000.0));
        return sb.toString();
    }
}

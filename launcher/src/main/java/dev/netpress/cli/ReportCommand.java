package dev.netpress.cli;

import dev.netpress.runtime.lineage.Lineage;
import dev.netpress.runtime.lineage.LineageApp;
import dev.netpress.runtime.lineage.Recap;
import dev.netpress.runtime.recipe.Recipe;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress report LINEAGE --recipe R}: what happened to a model. Reads the recipe's topics
 * from the beginning with a lineage app of its own and prints the recap once the lineage stops changing.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints what happened to a model: each step's metrics and the recap table, read from the"
            + " recipe's topics. Exit code 0: found; 1: no such lineage within --wait."})
final class ReportCommand implements Callable<Integer> {
    private static final Duration SETTLE = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LINEAGE", description = "The lineage id 'submit' printed.")
    String lineageId;

    @Option(names = "--recipe", paramLabel = "NAME|FILE", required = true, description = "The recipe.")
    String recipe;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long to read before giving up on an unknown lineage, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the recap as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (kafka.bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "report needs --bootstrap-servers");
        }
        Recipe r = Recipes.load(spec.commandLine(), recipe);
        Map<String, String> props = new HashMap<>();
        kafka.properties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        props.put("auto.offset.reset", "earliest");
        props.put("commit.interval.ms", "200");
        List<String> topics = r.topics().stream().filter(t -> !t.equals(r.accepted()) && !t.equals(r.rejected())).toList();
        PrintWriter out = spec.commandLine().getOut();
        // an application id of its own: it reads every topic from the start, whatever other reports have read
        try (LineageApp app = LineageApp.start(LineageApp.Config.topics(kafka.bootstrapServers, topics)
                .sinks(Set.of(r.accepted()), Set.of(r.rejected()))
                .applicationId("netpress-report-" + UUID.randomUUID()).properties(props), Duration.ofMinutes(1))) {
            long deadline = System.nanoTime() + wait.toNanos();
            Optional<Lineage> seen = Optional.empty();
            long stableSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                Optional<Lineage> now = app.lineage(lineageId);
                if (!now.equals(seen)) {
                    seen = now;
                    stableSince = System.nanoTime();
                } else if (seen.isPresent() && System.nanoTime() - stableSince > SETTLE.toNanos()) {
                    break;
                }
                Thread.sleep(200);
            }
            if (seen.isEmpty()) {
                spec.commandLine().getErr().println("no lineage " + lineageId + " on the topics of recipe " + r.name()
                        + " within " + wait);
                return 1;
            }
            Recap recap = Recap.of(seen.get());
            out.print(recap.text());
            if (json != null) {
                Files.writeString(json, recap.toJson());
                out.println("recap written to " + json);
            }
            out.flush();
            return 0;
        }
    }
}

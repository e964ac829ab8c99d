package dev.netpress.cli;

import dev.netpress.runtime.pipeline.Pipeline;
import dev.netpress.runtime.recipe.Recipe;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress topics --recipe R}: creates a recipe's topics on a broker. {@code run} and {@code demo} do this
 * themselves; where every stage is a service of its own (compose, Kubernetes) it is a one-shot step before them.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Creates the topics a recipe needs (source, between steps, sinks, dead letters) that do not exist"
            + " yet, with --partitions each and the broker's default replication, and lists them."})
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", paramLabel = "NAME|FILE", required = true, description = "The recipe.")
    String recipe;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "Partitions per topic: the most replicas of one stage that can share its work"
                + " (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (kafka.bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "topics needs --bootstrap-servers");
        }
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        Recipe r = Recipes.load(spec.commandLine(), recipe);
        Pipeline.createTopics(kafka.bootstrapServers, kafka.properties(), r.topics(), partitions);
        PrintWriter out = spec.commandLine().getOut();
        r.topics().stream().sorted().forEach(out::println);
        out.flush();
        return 0;
    }
}

package dev.netpress.cli;

import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.store.ArtifactStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netpress run RECIPE --model FILE}: one model through any recipe, every stage in this JVM. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs every stage of a recipe in this JVM, submits one model and follows it to the recipe's"
            + " sink, printing the recap. Without --bootstrap-servers the broker runs in-process.",
            "Exit code 0: accepted; 3: rejected by the gate; 1: a stage gave up on the model."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECIPE", description = "A shipped recipe (walkthrough, quick) or a YAML file.")
    String recipe;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The artifact to submit.")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=FILE|REF",
            description = "A recipe input: an artifact file (put into the store) or a store reference; repeatable.")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--store", paramLabel = "URI", defaultValue = "file:work/run/store",
            description = "file:///DIR or s3://BUCKET/PREFIX (S3: credentials, region and AWS_ENDPOINT_URL_S3 from the environment)"
                + " (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--replicas", defaultValue = "1", description = "Stage services per step (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--dataset", paramLabel = "SPEC", defaultValue = DatasetSpec.FASHION_MNIST,
            converter = DatasetSpecConverter.class, description = "Data the stages train and measure on (default: ${DEFAULT-VALUE}).")
    DatasetSpec dataset;

    @Mixin
    DataLimits limits;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "work/run",
            description = "The stages' working files (default: ${DEFAULT-VALUE}).")
    Path work;

    @Mixin
    FollowOptions follow;

    @Override
    public Integer call() throws Exception {
        if (replicas < 1) {
            throw new ParameterException(spec.commandLine(), "--replicas must be at least 1");
        }
        Recipe r = Recipes.load(spec.commandLine(), recipe);
        ApplyCommand.load(spec.commandLine(), model);
        try (ArtifactStore s = StoreOption.open(spec.commandLine(), store)) {
            return PipelineRun.run(spec.commandLine(), r, inputs, model, new PipelineRun.Setup(kafka.bootstrapServers,
                    kafka.properties(), s, dataset, limits.limit, limits.validLimit, replicas, work, follow.timeout, follow.json));
        }
    }
}

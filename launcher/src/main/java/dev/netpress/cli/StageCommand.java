package dev.netpress.cli;

import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.pipeline.Pipeline;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.stage.StageConfig;
import dev.netpress.runtime.stage.StageHttp;
import dev.netpress.runtime.stage.StageService;
import dev.netpress.runtime.store.ArtifactStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress stage NAME --recipe R --step N}: one stage service, as compose and Kubernetes
 * run it: consumes its step's input topic in the step's consumer group until stopped (SIGTERM
 * finishes or hands back the current job), with {@code /metrics} and {@code /health} over HTTP.
 */
@Command(name = "stage", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one stage service for one step of a recipe until stopped, with Prometheus /metrics and"
            + " /health on --http-port."})
final class StageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The stage (technique) name, as the step names it.")
    String name;

    @Option(names = "--recipe", paramLabel = "NAME|FILE", required = true, description = "The recipe.")
    String recipe;

    @Option(names = "--step", paramLabel = "N|NAME", required = true, description = "The recipe step this service runs.")
    String step;

    @Option(names = "--input", paramLabel = "NAME=REF",
            description = "A recipe input as a store reference (sha256:HEX or a store URI) or an artifact file; repeatable.")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--store", paramLabel = "URI", required = true, description = "file:///DIR or s3://BUCKET/PREFIX.")
    String store;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:HOSTNAME:-0}",
            description = "This replica's stable name: its transactional id, so a restart fences the old one"
                + " (default: $HOSTNAME, a StatefulSet pod name).")
    String instanceId;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of /metrics and /health; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--dataset", paramLabel = "SPEC", defaultValue = DatasetSpec.FASHION_MNIST,
            converter = DatasetSpecConverter.class, description = "Data to train and measure on (default: ${DEFAULT-VALUE}).")
    DatasetSpec dataset;

    @Option(names = "--work", paramLabel = "DIR", description = "Working files (default: a temporary directory).")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (kafka.bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "a stage service needs --bootstrap-servers");
        }
        Recipe r = Recipes.load(spec.commandLine(), recipe);
        int n;
        try {
            n = r.stepNumber(step);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!r.step(n).stage().equals(name)) {
            throw new ParameterException(spec.commandLine(), "step " + n + " of recipe " + r.name() + " is "
                    + r.step(n).stage() + ", not " + name);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ArtifactStore s = StoreOption.open(spec.commandLine(), store)) {
            Recipe bound = Recipes.bind(spec.commandLine(), r, inputs, s);
            Pipeline.Settings settings = new Pipeline.Settings(kafka.bootstrapServers, kafka.properties(), s, dataset, 64,
                    null, null, 1, work);
            StageConfig config;
            StageService service;
            try {
                config = Pipeline.stageConfig(bound, n, settings, instanceId);
                service = new StageService(config);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            try (service; StageHttp http = new StageHttp(httpPort, service, (PrometheusMeterRegistry) service.registry())) {
                Thread hook = new Thread(() -> {
                    service.close();
                    stopped.countDown();
                }, "netpress-stage-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                service.start();
                out.printf("stage %s (recipe %s, step %d) consuming %s → %s; /metrics and /health on port %d%n", name,
                        r.name(), n, config.inputTopic(), config.routesByVerdict()
                                ? config.acceptedTopic() + " | " + config.rejectedTopic() : config.outputTopic(),
                        http.port());
                out.flush();
                try {
                    while (service.running() && !stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                        // the service runs on its own threads; this one only waits for it to stop
                    }
                } catch (InterruptedException e) {
                    // an embedding program stopping the stage: the same graceful close as SIGTERM
                    service.close();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running: it closes the service
                }
                if (service.state() == StageService.State.FAILED) {
                    spec.commandLine().getErr().println("stage " + name + " failed: " + service.lastError());
                    return 1;
                }
                return 0;
            }
        }
    }
}

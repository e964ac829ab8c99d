package dev.netpress.cli;

import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.pipeline.Pipeline;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.store.ArtifactStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netpress submit FILE --recipe R}: puts a model into the store and its event on the recipe's source topic. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Puts an artifact into the store and publishes its submitted event on the recipe's source"
            + " topic; prints the lineage id to follow with 'netpress report'."})
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The artifact to submit.")
    Path artifact;

    @Option(names = "--recipe", paramLabel = "NAME|FILE", required = true, description = "The recipe.")
    String recipe;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--store", paramLabel = "URI", required = true, description = "file:///DIR or s3://BUCKET/PREFIX.")
    String store;

    @Override
    public Integer call() throws Exception {
        if (kafka.bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "submit needs --bootstrap-servers");
        }
        Recipe r = Recipes.load(spec.commandLine(), recipe);
        ApplyCommand.load(spec.commandLine(), artifact);
        PrintWriter out = spec.commandLine().getOut();
        try (ArtifactStore s = StoreOption.open(spec.commandLine(), store);
                KafkaProducer<byte[], byte[]> producer = Pipeline.producer(kafka.bootstrapServers, kafka.properties())) {
            ModelEvent e = Pipeline.submit(producer, s, r, artifact);
            out.println("lineage   " + e.lineageId());
            out.println("event     " + e.eventId());
            out.println("topic     " + r.source());
            out.println("artifact  " + e.artifact().uri());
            out.println("sha256    " + e.artifact().sha256());
            out.flush();
            return 0;
        }
    }
}

package dev.netpress.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.broker.EmbeddedKafka;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.lineage.Lineage;
import dev.netpress.runtime.lineage.Recap;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.recipe.RecipeLoader;
import dev.netpress.runtime.recipe.RecipeStep;
import dev.netpress.runtime.store.FileStore;
import dev.netpress.runtime.store.S3ProxyServer;
import dev.netpress.runtime.store.S3Store;
import dev.netpress.runtime.store.StoredArtifact;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped walkthrough recipe end to end on tiny models, every stage a service on a real
 * broker and store: one event in, one event out at the accepted sink with the whole lineage, every
 * artifact on the way readable with its SHA-256; and the quick recipe on S3 (S3Proxy in this JVM).
 */
class PipelineTest {
    private static final ZooConfig TINY = ZooConfig.fashionMnist().toBuilder().optWidth(0.125).optClassifierHidden(64)
            .build();

    @TempDir
    Path dir;

    @Test
    void theWalkthroughRecipeTakesATinyModelFromSubmissionToTheAcceptedSink() throws Exception {
        Recipe walkthrough = new RecipeLoader().builtin("walkthrough");
        // the wiring and every option as shipped; only the gate is opened, as tiny models trained on a slice can't meet it
        Recipe recipe = withGate(walkthrough, Map.of("baseline", "${inputs.baseline}", "max_accuracy_drop", "100",
                "runs", "5", "rounds", "1", "warmup", "2"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); FileStore store = new FileStore(dir.resolve("store"))) {
            Path student = save(Zoo.build("vgg11_bn", TINY), "student");
            Path teacher = save(Zoo.build("vgg11_bn", TINY.toBuilder().optWidth(0.25).build()), "teacher");
            StoredArtifact t = store.put(teacher, Artifacts.load(teacher).sha256());
            StoredArtifact b = store.put(student, Artifacts.load(student).sha256());
            Recipe bound = recipe.bind(Map.of("teacher", "sha256:" + t.sha256(), "baseline", "sha256:" + b.sha256()));
            Pipeline.Settings settings = new Pipeline.Settings(kafka.bootstrapServers(), null, store,
                    DatasetSpec.parse(DatasetSpec.FASHION_MNIST), 32, 128, 64, 1, dir.resolve("work"));
            try (Pipeline p = Pipeline.start(bound, settings, Duration.ofMinutes(1))) {
                ModelEvent in = p.submit(student);
                List<Integer> progress = new ArrayList<>();
                Lineage end = p.follow(in.lineageId(), Duration.ofMinutes(4), l -> progress.add(l.steps().size()));
                assertNotNull(end, "nothing came out of the pipeline");
                assertEquals(Lineage.Status.ACCEPTED, end.status(), end.toString());
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), end.steps().stream().map(Lineage.Step::step).toList());
                assertEquals(List.of("submit", "distill", "sparsify", "prune", "distill", "factorize", "fold", "quantize",
                        "evaluate"), end.steps().stream().map(Lineage.Step::stage).toList());
                assertTrue(progress.size() >= 2, "progress was reported as steps landed: " + progress);
                for (Lineage.Step s : end.steps()) {
                    Path file = store.get(s.artifact().uri(), s.artifact().sha256(), dir.resolve("check-" + s.step()));
                    LoadedArtifact a = Artifacts.load(file, s.artifact().sha256());
                    assertEquals(s.artifact().bytes(), a.ref().bytes());
                    assertEquals(a.graph().parameterCount(), s.metric("params").orElseThrow().longValue(), s.stage());
                }
                // prune removed the zeroed filters, quantize stored int8
                assertTrue(end.steps().get(3).metric("params").orElseThrow() < end.steps().get(2).metric("params")
                        .orElseThrow());
                assertTrue(end.steps().get(7).artifact().bytes() * 2 < end.steps().get(6).artifact().bytes());
                Recap recap = Recap.of(end);
                assertTrue(recap.totals().compression() > 1, recap.text());
                assertNotNull(recap.totals().speedup(), "evaluate's same-run speed-up reaches the recap");
            }
        }
    }

    @Test
    void theQuickRecipeRunsOnAnS3Store() throws Exception {
        Recipe quick = new RecipeLoader().builtin("quick");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); S3ProxyServer s3 = S3ProxyServer.start("netpress");
                S3Store store = new S3Store("netpress", "runs/quick", s3.settings())) {
            Path model = save(Zoo.build("vgg11_bn", TINY), "tiny");
            StoredArtifact b = store.put(model, Artifacts.load(model).sha256());
            Recipe bound = quick.bind(Map.of("baseline", "sha256:" + b.sha256()));
            Pipeline.Settings settings = new Pipeline.Settings(kafka.bootstrapServers(), null, store,
                    DatasetSpec.parse(DatasetSpec.FASHION_MNIST), 32, 64, 64, 1, dir.resolve("s3-work"));
            try (Pipeline p = Pipeline.start(bound, settings, Duration.ofMinutes(1))) {
                ModelEvent in = p.submit(model);
                Lineage end = p.follow(in.lineageId(), Duration.ofMinutes(2), l -> { });
                assertNotNull(end, "nothing came out of the pipeline");
                assertEquals(Lineage.Status.ACCEPTED, end.status(), end.toString());
                assertEquals(4, end.steps().size());
                for (Lineage.Step s : end.steps()) {
                    assertTrue(s.artifact().uri().startsWith("s3://netpress/runs/quick/"), s.artifact().uri());
                    Path file = store.get(s.artifact().uri(), s.artifact().sha256(), dir.resolve("s3-check-" + s.step()));
                    assertEquals(s.artifact().sha256(), Artifacts.load(file, s.artifact().sha256()).sha256());
                }
            }
        }
    }

    private Path save(dev.netpress.graph.Graph g, String name) throws Exception {
        ArtifactRef ref = Artifacts.save(new Artifact(g, ModelCard.of(name, name + "-lineage", "zoo:vgg11_bn")),
                Files.createTempFile(dir, name, ".safetensors"));
        return ref.path();
    }

    private static Recipe withGate(Recipe r, Map<String, String> gateOptions) {
        List<RecipeStep> steps = new ArrayList<>(r.steps());
        RecipeStep last = steps.get(steps.size() - 1);
        steps.set(steps.size() - 1, new RecipeStep(last.stage(), new LinkedHashMap<>(gateOptions), last.name()));
        return new Recipe(r.name(), r.source(), r.inputs(), steps, r.accepted(), r.rejected());
    }
}

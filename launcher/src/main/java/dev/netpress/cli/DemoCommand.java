package dev.netpress.cli;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DatasetSpec;
import dev.netpress.data.Split;
import dev.netpress.graph.Graph;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.store.FileStore;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress demo}: the whole pipeline in one JVM. An in-process KRaft broker, a file store
 * under the work directory, every stage of the walkthrough recipe and the lineage app; the
 * baseline (vgg16_bn/4) and the teacher (vgg16_bn/2) are trained on the bundled data unless
 * given; the baseline is submitted, followed step by step, and the recap printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the walkthrough recipe end to end in one JVM on an in-process Kafka broker and a file"
            + " store: trains the baseline and the teacher (unless given), submits the baseline, follows it through"
            + " every stage and prints the recap table.",
            "Exit code 0: accepted by the gate; 3: rejected; 1: a stage gave up on the model."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", paramLabel = "NAME|FILE", defaultValue = "walkthrough",
            description = "The recipe (default: ${DEFAULT-VALUE}); its inputs teacher and baseline are bound by the demo.")
    String recipe;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "work/demo",
            description = "Models, the store and the stages' files (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--baseline", paramLabel = "FILE", description = "A trained baseline artifact (default: train one).")
    Path baseline;

    @Option(names = "--teacher", paramLabel = "FILE", description = "A trained teacher artifact (default: train one).")
    Path teacher;

    @Option(names = "--epochs", defaultValue = "3", description = "Baseline's epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--teacher-width", defaultValue = "0.5", description = "Teacher's width (default: ${DEFAULT-VALUE}).")
    double teacherWidth;

    @Option(names = "--teacher-epochs", defaultValue = "4", description = "Teacher's epochs (default: ${DEFAULT-VALUE}).")
    int teacherEpochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the trained models (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataLimits limits;

    @Mixin
    FollowOptions follow;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || teacherEpochs < 1 || !(teacherWidth > 0 && teacherWidth <= 4)) {
            throw new ParameterException(spec.commandLine(),
                    "--epochs and --teacher-epochs must be at least 1 and --teacher-width in (0, 4]");
        }
        Recipe r = Recipes.load(spec.commandLine(), recipe);
        PrintWriter out = spec.commandLine().getOut();
        PrintStream log = WriterOutputStream.printStream(out);
        Files.createDirectories(work);
        DatasetSpec dataset = DatasetSpec.parse(DatasetSpec.FASHION_MNIST);
        long t0 = System.nanoTime();
        String lineage = UUID.randomUUID().toString();
        try (LocalData data = new LocalData(dataset, 64, limits.limit, limits.validLimit, 32)) {
            int classes = dataset.load(Split.TRAIN).numClasses();
            if (baseline == null) {
                out.printf(Locale.ROOT, "== training the baseline: vgg16_bn at width %s, %d epoch(s)%n",
                        StudentTraining.STUDENT_WIDTH, epochs);
                out.flush();
                baseline = save(StudentTraining.train(StudentTraining.model(StudentTraining.STUDENT_WIDTH, classes, seed),
                        epochs, data, seed, log), "baseline", lineage);
            }
            if (teacher == null && r.inputs().containsKey("teacher")) {
                out.printf(Locale.ROOT, "== training the teacher: vgg16_bn at width %s, %d epoch(s)%n", teacherWidth,
                        teacherEpochs);
                out.flush();
                teacher = save(StudentTraining.train(StudentTraining.model(teacherWidth, classes, seed), teacherEpochs,
                        data, seed, log), "teacher", UUID.randomUUID().toString());
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        if (r.inputs().containsKey("teacher")) {
            inputs.put("teacher", teacher.toString());
        }
        if (r.inputs().containsKey("baseline")) {
            inputs.put("baseline", baseline.toString());
        }
        try (FileStore store = new FileStore(work.resolve("store"))) {
            int exit = PipelineRun.run(spec.commandLine(), r, inputs, baseline, new PipelineRun.Setup(null, null, store,
                    dataset, limits.limit, limits.validLimit, 1, work, follow.timeout, follow.json));
            out.printf(Locale.ROOT, "demo finished in %.1f min%n", (System.nanoTime() - t0) / 60e9);
            out.flush();
            return exit;
        }
    }

    private Path save(StudentTraining.Trained t, String name, String lineage) throws java.io.IOException {
        Graph g = t.graph();
        ModelCard card = ModelCard.of(name, lineage, "zoo:" + StudentTraining.MODEL)
                .withMetric("accuracy", t.last().accuracy()).withMetric("loss", t.last().validLoss());
        return Artifacts.save(new Artifact(g, card), work.resolve(name + ".safetensors")).path();
    }
}

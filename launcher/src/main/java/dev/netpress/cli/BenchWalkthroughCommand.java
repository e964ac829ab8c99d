package dev.netpress.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DatasetSpec;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import dev.netpress.measure.Latency;
import dev.netpress.measure.Metric;
import dev.netpress.measure.Stats;
import dev.netpress.technique.Technique;
import dev.netpress.technique.Techniques;
import dev.netpress.train.Evaluation;
import dev.netpress.train.Evaluator;
import dev.netpress.train.LossFunction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code netpress bench walkthrough}: the seed walkthrough as one program. It trains the baseline
 * (vgg16_bn/4) and a wider teacher, then runs the compression steps through the same
 * {@link Technique}s a recipe wires (distill a fresh student → sparsify → prune → fold →
 * factorize with a fine-tuning epoch → int8), saving every artifact, and prints the seed's recap
 * table. Accuracy is measured again for every model on the same test data, and batch-1 latency
 * in interleaved rounds over all models, so every ratio compares figures taken side by side.
 */
@Command(name = "walkthrough", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the seed walkthrough (baseline, teacher, distill, sparsify, prune, fold, factorize,"
            + " int8) on the bundled data and prints the recap table: parameters, MACs, bytes, batch-1 latency,"
            + " accuracy and wall time per step, with the ratios against the baseline."})
final class BenchWalkthroughCommand implements Callable<Integer> {
    private static final String MODEL = StudentTraining.MODEL;
    private static final double STUDENT_WIDTH = StudentTraining.STUDENT_WIDTH;

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "3",
            description = "Epochs of the baseline and of the distilled student (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--teacher-width", defaultValue = "0.5",
            description = "Channel multiplier of the vgg16_bn teacher (default: ${DEFAULT-VALUE}).")
    double teacherWidth;

    @Option(names = "--teacher-epochs", defaultValue = "4", description = "Teacher's epochs (default: ${DEFAULT-VALUE}).")
    int teacherEpochs;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the baseline and the student: same initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--set", paramLabel = "STEP.OPTION=VALUE",
            description = "Overrides one option of one step, e.g. --set sparsified.target=50 (repeatable); the steps are"
                + " distilled, sparsified, pruned, recovered, factorized, folded, int8.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "SPEC", defaultValue = DatasetSpec.FASHION_MNIST,
            converter = DatasetSpecConverter.class, description = "Data (default: ${DEFAULT-VALUE}).")
    DatasetSpec dataset;

    @Mixin
    DataLimits limits;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved timing rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--runs", defaultValue = "50",
            description = "Timed batch-1 passes per model and round (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "work/walkthrough",
            description = "Where the artifacts go (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the recap as JSON.")
    Path json;

    /** One compression step: a technique and its options, as a recipe step names them. */
    record Step(String label, String technique, Map<String, String> options) {}

    /** One model of the recap. */
    record Row(String step, String artifact, long params, long macs, long bytes, double accuracy, double latencyMs,
            double latencyP95Ms, double seconds) {}

    /**
     * The walkthrough's steps. Against the seed: filter sparsity is allocated per layer from a
     * sensitivity scan with MACs as the objective (the seed's global threshold empties the last,
     * cheap layers and leaves the costly early ones dense: 1.4x fewer MACs where this reaches 5x);
     * the pruned student is distilled from the teacher once more, which wins back the accuracy
     * that pruning costs; factorization drops 75% of singular values because 50% of a square
     * 512×512 layer saves nothing, and fine-tunes before folding, while batch norm still
     * steadies training.
     */
    static List<Step> steps(long seed, int epochs, String teacher) {
        String s = String.valueOf(seed);
        return List.of(
                new Step("distilled", "distill", Map.of("teacher", teacher, "loss", "soft_target", "temperature", "5",
                        "weight", "0.5", "epochs", String.valueOf(epochs), "lr", "1e-3", "seed", s)),
                new Step("sparsified", "sparsify", Map.of("granularity", "filter", "layer_sparsity", "auto",
                        "objective", "macs", "target", "60", "schedule", "cos", "end", "0.75", "epochs", "3",
                        "lr", "1e-3", "seed", s)),
                new Step("pruned", "prune", Map.of("mode", "zeroed")),
                new Step("recovered", "distill", Map.of("teacher", teacher, "loss", "soft_target", "temperature", "5",
                        "weight", "0.5", "epochs", "2", "lr", "1e-3", "seed", s)),
                new Step("factorized", "factorize", Map.of("percent_removed", "0.75", "epochs", "1", "lr", "1e-4",
                        "seed", s)),
                new Step("folded", "fold", Map.of()),
                new Step("int8", "quantize", Map.of()));
    }

    @Override
    public Integer call() throws IOException {
        check();
        Files.createDirectories(work);
        PrintWriter out = spec.commandLine().getOut();
        PrintStream log = WriterOutputStream.printStream(out);
        List<Step> steps = withOverrides(steps(seed, epochs, work.resolve("teacher.safetensors").toString()));
        Map<String, Technique<?>> techniques = new LinkedHashMap<>();
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Step s : steps) {
            Technique<?> t = Techniques.named(s.technique());
            techniques.put(s.label(), t);
            try {
                parsed.put(s.label(), t.parse(s.options()));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), s.label() + ": " + e.getMessage());
            }
        }

        String lineage = UUID.randomUUID().toString();
        List<String> labels = new ArrayList<>();
        List<ArtifactRef> refs = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        try (LocalData data = new LocalData(dataset, 64, limits.limit, limits.validLimit, 32)) {
            int classes = dataset.load(dev.netpress.data.Split.TRAIN).numClasses();
            out.println("== baseline: " + MODEL + " at width " + STUDENT_WIDTH + ", " + epochs + " epoch(s)");
            out.flush();
            long t0 = System.nanoTime();
            Graph student = StudentTraining.model(STUDENT_WIDTH, classes, seed);
            Graph baseline = StudentTraining.train(student, epochs, data, seed, log).graph();
            refs.add(Artifacts.save(new Artifact(baseline, ModelCard.of("baseline", lineage, "zoo:" + MODEL)),
                    work.resolve("0-baseline.safetensors")));
            labels.add("baseline");
            seconds.add((System.nanoTime() - t0) / 1e9);

            out.println("== teacher: " + MODEL + " at width " + teacherWidth + ", " + teacherEpochs + " epoch(s)");
            out.flush();
            t0 = System.nanoTime();
            Graph teacher = StudentTraining.train(StudentTraining.model(teacherWidth, classes, seed), teacherEpochs, data,
                    seed, log).graph();
            refs.add(Artifacts.save(new Artifact(teacher, ModelCard.of("teacher", lineage, "zoo:" + MODEL)),
                    work.resolve("teacher.safetensors")));
            labels.add("teacher");
            seconds.add((System.nanoTime() - t0) / 1e9);

            // the student starts from the baseline's initial weights: distilled and plain differ only by the teacher
            LoadedArtifact current = Artifacts.load(Artifacts.save(new Artifact(student,
                    ModelCard.of("student", lineage, "zoo:" + MODEL)), work.resolve("student-init.safetensors")).path());
            int n = 1;
            for (Step s : steps) {
                out.println("== " + s.label() + ": " + s.technique() + " " + s.options());
                out.flush();
                TechniqueRun run = TechniqueRun.apply(techniques.get(s.label()), parsed.get(s.label()), s.options(),
                        new LocalContext(current, data, log), work.resolve(n++ + "-" + s.label() + ".safetensors"));
                out.println(s.technique() + ": " + run.result().summary());
                out.flush();
                refs.add(run.saved());
                labels.add(s.label());
                seconds.add(run.seconds());
                current = Artifacts.load(run.saved().path());
            }

            out.println("== measuring accuracy and batch-1 latency of every model, " + rounds + " interleaved rounds");
            out.flush();
            List<Row> rows = measure(labels, refs, seconds, data);
            printRecap(out, rows);
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("steps", steps);
                doc.put("recap", rows);
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
                out.println("recap written to " + json);
            }
            out.flush();
            return 0;
        }
    }

    /** Accuracy of every model on the same data, and batch-1 latency in rounds that visit every model in turn. */
    private List<Row> measure(List<String> labels, List<ArtifactRef> refs, List<Double> seconds, LocalData data)
            throws IOException {
        int n = refs.size();
        List<Graph> graphs = new ArrayList<>();
        for (ArtifactRef r : refs) {
            graphs.add(Artifacts.load(r.path()).graph());
        }
        double[] accuracy = new double[n];
        List<List<Double>> median = new ArrayList<>();
        List<List<Double>> p95 = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            List<GraphBlock> blocks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GraphBlock b = GraphBlock.create(graphs.get(i), manager);
                blocks.add(b);
                Evaluation e = Evaluator.evaluate(b, ps, manager, data.valid(), LossFunction.crossEntropy());
                accuracy[i] = e.accuracy();
                median.add(new ArrayList<>());
                p95.add(new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < n; i++) {
                    Latency.Timing t = Latency.measure(blocks.get(i), ps, manager, 1, 10, runs);
                    median.get(i).add(t.medianMs());
                    p95.get(i).add(t.p95Ms());
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Graph g = graphs.get(i);
            rows.add(new Row(labels.get(i), refs.get(i).path().toString(), g.parameterCount(), g.macs(),
                    refs.get(i).bytes(), accuracy[i], Stats.median(median.get(i)), Stats.median(p95.get(i)),
                    seconds.get(i)));
        }
        return rows;
    }

    private static void printRecap(PrintWriter out, List<Row> rows) {
        out.println();
        out.printf(Locale.ROOT, "%-11s %11s %12s %11s %10s %10s %9s %8s%n", "step", "params", "MACs", "bytes",
                "b1 ms", "b1 p95 ms", "accuracy", "wall s");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-11s %,11d %,12d %,11d %10.3f %10.3f %8.2f%% %8.1f%n", r.step(), r.params(),
                    r.macs(), r.bytes(), r.latencyMs(), r.latencyP95Ms(), 100 * r.accuracy(), r.seconds());
        }
        Row base = rows.get(0);
        Row last = rows.get(rows.size() - 1);
        Row distilled = rows.stream().filter(r -> r.step().equals("distilled")).findFirst().orElse(null);
        Row teacher = rows.stream().filter(r -> r.step().equals("teacher")).findFirst().orElse(null);
        out.println();
        double params = (double) base.params() / last.params();
        double latency = base.latencyMs() / last.latencyMs();
        double drop = 100 * (base.accuracy() - last.accuracy());
        out.printf(Locale.ROOT, "baseline → %s: %.2fx fewer parameters, %.2fx fewer MACs, %.2fx fewer bytes,"
                + " %.2fx lower batch-1 latency, accuracy %.2f%% → %.2f%% (%+.2f points)%n", last.step(), params,
                (double) base.macs() / last.macs(), (double) base.bytes() / last.bytes(), latency,
                100 * base.accuracy(), 100 * last.accuracy(), -drop);
        if (distilled != null && teacher != null) {
            out.printf(Locale.ROOT, "distillation: teacher %.2f%%, plain student (the baseline: same epochs, seed and"
                    + " initial weights) %.2f%%, distilled student %.2f%% (%+.2f points)%n", 100 * teacher.accuracy(),
                    100 * base.accuracy(), 100 * distilled.accuracy(), 100 * (distilled.accuracy() - base.accuracy()));
        }
        out.printf(Locale.ROOT, "goals: parameters ≥ 3.5x %s, batch-1 latency ≥ 2x %s, accuracy within 0.5 points %s%n",
                mark(params >= 3.5), mark(latency >= 2), mark(drop <= 0.5));
    }

    private static String mark(boolean met) {
        return met ? "met" : "NOT met";
    }

    private List<Step> withOverrides(List<Step> steps) {
        List<Step> result = new ArrayList<>();
        for (Step s : steps) {
            result.add(new Step(s.label(), s.technique(), new LinkedHashMap<>(s.options())));
        }
        for (String o : overrides) {
            int dot = o.indexOf('.');
            int eq = o.indexOf('=');
            if (dot < 1 || eq < dot + 2) {
                throw new ParameterException(spec.commandLine(), "--set expects STEP.OPTION=VALUE, got '" + o + "'");
            }
            String step = o.substring(0, dot);
            Step s = result.stream().filter(x -> x.label().equals(step)).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "--set: no step '" + step
                            + "'; the steps are " + result.stream().map(Step::label).toList()));
            s.options().put(o.substring(dot + 1, eq), o.substring(eq + 1));
        }
        return result;
    }

    private void check() {
        require(epochs >= 1, "--epochs must be at least 1");
        require(teacherEpochs >= 1, "--teacher-epochs must be at least 1");
        require(teacherWidth > 0 && teacherWidth <= 4, "--teacher-width must be in (0, 4]");
        require(rounds >= 1 && runs >= 5, "--rounds must be at least 1 and --runs at least 5");
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}

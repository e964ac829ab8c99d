package dev.netpress.cli;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DataLoader;
import dev.netpress.data.DatasetSpec;
import dev.netpress.data.DatasetException;
import dev.netpress.data.ImageDataset;
import dev.netpress.data.Split;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphException;
import dev.netpress.graph.GraphSummary;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import dev.netpress.train.OptimizerSpec;
import dev.netpress.train.ProgressCallback;
import dev.netpress.train.TrainingDivergedException;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress train}: trains a zoo model with one-cycle scheduling, evaluates it on the test split and saves it
 * as an artifact whose card holds the test metrics and how the model was made. Every option is checked, and the
 * data loaded and the model built, before training starts, so that a mistake never costs a training run.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a zoo model, evaluates it on the test split and saves it as an artifact.",
            "The defaults are the project's baseline: vgg16_bn at 1/4 width on the bundled Fashion-MNIST subset."})
final class TrainCommand implements Callable<Integer> {
    private static final int TEST_BATCH = 256;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "vgg16_bn", completionCandidates = ModelNames.class,
            description = "Zoo architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--width", paramLabel = "X", defaultValue = "0.25",
            description = "Multiplier on every layer's channel count (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--classifier-hidden", paramLabel = "N", defaultValue = "512",
            description = "Width of VGG's hidden classifier layers (default: ${DEFAULT-VALUE}).")
    int classifierHidden;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0.5",
            description = "Dropout probability in the classifier (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--dataset", paramLabel = "SPEC", defaultValue = DatasetSpec.FASHION_MNIST,
            converter = DatasetSpecConverter.class,
            description = "fashion-mnist (the subset bundled with the repository), fashion-mnist:DIR (a full copy)"
                + " or csv:FILE.csv:ROOT:LABEL_COLUMN (images listed in an imagenette-style CSV)"
                + " (default: ${DEFAULT-VALUE}).")
    DatasetSpec dataset;

    @Option(names = "--image-size", paramLabel = "PIXELS", defaultValue = "32",
            description = "Input height and width; Fashion-MNIST's 28×28 is padded up to it (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
            description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3",
            description = "Peak learning rate of the one-cycle schedule (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Training examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "adam (AdamW, decoupled weight decay) or sgd (momentum, L2 decay) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "SGD's momentum; ignored by adam (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "0.01",
            description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds the weights, the shuffling and the augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on the first N training examples only, for quick runs (default: all).")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to save the artifact (default: work/MODEL.safetensors).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "The model's name on its card (default: the model).")
    String name;

    @Option(names = "--lineage-id", paramLabel = "ID",
            description = "The lineage on the card, shared with every model compressed from this one"
                + " (default: a new random UUID).")
    String lineageId;

    /** The zoo's names, for {@code --help}. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Zoo.names().iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        OptimizerSpec optimizerSpec = checkOptions();
        ImageDataset train;
        ImageDataset test;
        try {
            ImageDataset full = dataset.load(Split.TRAIN);
            train = limit == null ? full : full.first(limit);
            test = dataset.load(Split.TEST);
        } catch (DatasetException e) {
            throw invalid("--dataset", e.getMessage());
        }
        if (train.size() == 0 || test.size() == 0) {
            throw invalid("--dataset", dataset.text() + " has " + train.size() + " training and " + test.size()
                    + " test examples; both splits need some");
        }
        Graph graph = buildModel(train.numClasses());
        Path file = outputFile();

        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "training %s (width %s) on %s: %,d training and %,d test images at %d×%d, "
                + "%d epoch(s) of one-cycle %s peaking at lr %s%n", model, width, dataset.text(), train.size(),
                test.size(), imageSize, imageSize, epochs, optimizer, lr);
        w.flush();
        Graph trained;
        EpochResult last;
        PrintStream progress = WriterOutputStream.printStream(w);
        try (DataLoader trainLoader = DataLoader.builder(train, batchSize).transform(dataset.trainTransform(imageSize))
                        .shuffle(true).seed(seed).prefetch(true).build();
                DataLoader testLoader = DataLoader.builder(test, TEST_BATCH)
                        .transform(dataset.testTransform(imageSize)).build();
                Learner learner = Learner.builder(graph, trainLoader).optValid(testLoader).optSeed(seed)
                        .optOptimizer(optimizerSpec).addCallback(ProgressCallback.auto(progress)).build()) {
            List<EpochResult> history = learner.fitOneCycle(epochs, lr);
            // the last epoch's validation is the final model's evaluation on the test split
            last = history.get(history.size() - 1);
            trained = learner.graph();
        } catch (TrainingDivergedException e) {
            return diverged(e.getMessage());
        } catch (DatasetException e) {
            throw invalid("--dataset", e.getMessage()); // an image that only fails when it is first decoded
        } finally {
            progress.flush();
        }

        GraphSummary summary = GraphSummary.of(trained);
        ArtifactRef ref = Artifacts.save(new Artifact(trained, card(summary, last, train.size(), test.size())), file);
        w.println();
        w.print(summary.table());
        w.printf(Locale.ROOT, "%-12s %.4f (loss %.4f) on %,d test images%n", "accuracy", last.accuracy(),
                last.validLoss(), test.size());
        Report.file(w, ref);
        w.flush();
        return 0;
    }

    /** Checks every number and name; returns the optimizer they describe. */
    private OptimizerSpec checkOptions() {
        if (!Zoo.names().contains(model)) {
            throw invalid("--model", "unknown model '" + model + "'; the zoo has " + String.join(", ", Zoo.names()));
        }
        require(width > 0 && width <= 16, "--width", width, "must be in (0, 16]");
        require(classifierHidden >= 1, "--classifier-hidden", classifierHidden, "must be at least 1");
        require(dropout >= 0 && dropout < 1, "--dropout", dropout, "must be in [0, 1)");
        require(imageSize >= 1, "--image-size", imageSize, "must be at least 1");
        require(epochs >= 1, "--epochs", epochs, "must be at least 1");
        require(lr > 0 && Double.isFinite(lr), "--lr", lr, "must be a positive number");
        require(batchSize >= 1, "--batch-size", batchSize, "must be at least 1");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay", weightDecay, "must be at least 0");
        require(momentum >= 0 && momentum < 1, "--momentum", momentum, "must be in [0, 1)");
        require(limit == null || limit >= 1, "--limit", limit, "must be at least 1");
        require(name == null || !name.isBlank(), "--name", "''", "must not be blank");
        require(lineageId == null || !lineageId.isBlank(), "--lineage-id", "''", "must not be blank");
        return switch (optimizer) {
            case "adam" -> OptimizerSpec.adam(weightDecay);
            case "sgd" -> OptimizerSpec.sgd(momentum, weightDecay);
            default -> throw invalid("--optimizer", "'" + optimizer + "'; expected adam or sgd");
        };
    }

    /** The artifact's path, its directory created now: a directory that cannot be made must not waste a run. */
    private Path outputFile() {
        Path file = out != null ? out : Path.of("work", model + ".safetensors");
        if (Files.isDirectory(file)) {
            throw invalid("--out", file + " is a directory; give a file name");
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw invalid("--out", "cannot create directory " + dir + ": " + e);
        }
        return file;
    }

    private Graph buildModel(int numClasses) {
        ZooConfig config = ZooConfig.fashionMnist().toBuilder()
                .optInChannels(dataset.channels())
                .optNumClasses(numClasses)
                .optWidth(width)
                .optClassifierHidden(classifierHidden)
                .optDropout(dropout)
                .optImageSize(imageSize)
                // the CIFAR-style stems suit small inputs; larger images keep the ImageNet stems
                .optSmallInputStem(imageSize <= 64)
                .optSeed(seed)
                .build();
        try {
            return Zoo.build(model, config);
        } catch (GraphException e) {
            throw invalid("--image-size", imageSize + " is too small for " + model + ": " + e.getMessage());
        }
    }

    private ModelCard card(GraphSummary summary, EpochResult last, int trainExamples, int testExamples) {
        ModelCard card = ModelCard.of(name != null ? name : model,
                lineageId != null ? lineageId : UUID.randomUUID().toString(), "zoo:" + model)
                .withMetrics(Map.of(
                        "accuracy", last.accuracy(),
                        "loss", last.validLoss(),
                        "params", (double) summary.parameters(),
                        "nonzero_params", (double) summary.nonZeroParameters(),
                        "macs", (double) summary.macs()));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("trained_by", "netpress " + VersionProvider.version());
        provenance.put("dataset", dataset.text());
        provenance.put("train_examples", trainExamples);
        provenance.put("test_examples", testExamples);
        provenance.put("model", model);
        provenance.put("width", width);
        provenance.put("classifier_hidden", classifierHidden);
        provenance.put("dropout", dropout);
        provenance.put("image_size", imageSize);
        provenance.put("epochs", epochs);
        provenance.put("schedule", "one-cycle");
        provenance.put("lr", lr);
        provenance.put("batch_size", batchSize);
        provenance.put("optimizer", optimizer);
        provenance.put("weight_decay", weightDecay);
        if (optimizer.equals("sgd")) {
            provenance.put("momentum", momentum);
        }
        provenance.put("seed", seed);
        for (Map.Entry<String, Object> e : provenance.entrySet()) {
            card = card.withProvenance(e.getKey(), String.valueOf(e.getValue()));
        }
        return card;
    }

    /** Reports a run that produced no usable model; nothing is saved. */
    private int diverged(String why) {
        spec.commandLine().getErr().println("training diverged, nothing saved: " + why);
        return 1;
    }

    private void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw invalid(option, value + " " + rule);
        }
    }

    private ParameterException invalid(String option, String problem) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
    }
}

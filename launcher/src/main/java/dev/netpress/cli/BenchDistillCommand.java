package dev.netpress.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.data.DatasetSpec;
import dev.netpress.data.Split;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Graph;
import dev.netpress.stages.distill.Distill;
import dev.netpress.stages.distill.DistillOptions;
import dev.netpress.stages.distill.DistillResult;
import dev.netpress.train.Evaluator;
import dev.netpress.train.LossFunction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress bench distill}: does a teacher help? For each seed, the vgg16_bn/4 student is
 * trained twice from the same initial weights, on the same batches, for the same epochs: once on
 * the labels alone, once distilled (soft targets, T = 5, weight 0.5) from a wider teacher.
 *
 * <p>The default schedule is 10 epochs because that is where distillation pays: at T = 5 the student
 * must reproduce the teacher's whole logit profile, which a 3-epoch one-cycle run does not reach (it
 * ended 1–5 points below the plain student with every teacher tried), while 10 epochs ended above it.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains vgg16_bn/4 plain and distilled from a wider teacher (soft targets, T=5, weight 0.5),"
            + " same epochs, seeds and initial weights, and prints both accuracies per seed."})
final class BenchDistillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3",
            description = "Seeds of the student pairs (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs of each student (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--teacher", paramLabel = "FILE",
            description = "A trained teacher artifact (default: train vgg16_bn at --teacher-width).")
    Path teacherFile;

    @Option(names = "--teacher-width", defaultValue = "0.5", description = "Teacher's width (default: ${DEFAULT-VALUE}).")
    double teacherWidth;

    @Option(names = "--teacher-epochs", description = "Teacher's epochs (default: as many as the student's).")
    Integer teacherEpochs;

    @Mixin
    DataLimits limits;

    @Override
    public Integer call() throws IOException {
        int tEpochs = teacherEpochs == null ? epochs : teacherEpochs;
        if (epochs < 1 || tEpochs < 1 || seeds.isEmpty() || !(teacherWidth > 0 && teacherWidth <= 4)) {
            throw new ParameterException(spec.commandLine(), "--epochs and --teacher-epochs must be at least 1, "
                    + "--seeds non-empty and --teacher-width in (0, 4]");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintStream log = WriterOutputStream.printStream(out);
        DatasetSpec dataset = DatasetSpec.parse(DatasetSpec.FASHION_MNIST);
        try (LocalData data = new LocalData(dataset, 64, limits.limit, limits.validLimit, 32)) {
            int classes = dataset.load(Split.TRAIN).numClasses();
            Graph teacher;
            double teacherAccuracy;
            if (teacherFile != null) {
                teacher = ApplyCommand.load(spec.commandLine(), teacherFile).graph();
                teacherAccuracy = accuracy(teacher, data);
            } else {
                out.println("== teacher: vgg16_bn at width " + teacherWidth + ", " + tEpochs + " epoch(s)");
                out.flush();
                StudentTraining.Trained t = StudentTraining.train(StudentTraining.model(teacherWidth, classes, seeds.get(0)),
                        tEpochs, data, seeds.get(0), log);
                teacher = t.graph();
                teacherAccuracy = t.last().accuracy();
            }
            double[] plain = new double[seeds.size()];
            double[] distilled = new double[seeds.size()];
            for (int i = 0; i < seeds.size(); i++) {
                long seed = seeds.get(i);
                Graph init = StudentTraining.model(StudentTraining.STUDENT_WIDTH, classes, seed);
                out.println("== seed " + seed + ": plain student");
                out.flush();
                plain[i] = StudentTraining.train(init, epochs, data, seed, log).last().accuracy();
                out.println("== seed " + seed + ": distilled student");
                out.flush();
                DistillResult d = Distill.apply(init, teacher, data.train(), data.valid(),
                        DistillOptions.defaults().withTraining(epochs, StudentTraining.LR, seed));
                distilled[i] = d.history().get(d.history().size() - 1).accuracy();
            }
            out.println();
            out.printf(Locale.ROOT, "teacher (%s): %.2f%% on the same validation images%n",
                    teacherFile == null ? "vgg16_bn at width " + teacherWidth : teacherFile, 100 * teacherAccuracy);
            out.printf(Locale.ROOT, "%-6s %8s %10s %8s%n", "seed", "plain", "distilled", "Δ points");
            int atLeast = 0;
            double sumPlain = 0;
            double sumDistilled = 0;
            for (int i = 0; i < seeds.size(); i++) {
                out.printf(Locale.ROOT, "%-6d %7.2f%% %9.2f%% %+8.2f%n", seeds.get(i), 100 * plain[i], 100 * distilled[i],
                        100 * (distilled[i] - plain[i]));
                atLeast += distilled[i] >= plain[i] ? 1 : 0;
                sumPlain += plain[i];
                sumDistilled += distilled[i];
            }
            int n = seeds.size();
            out.printf(Locale.ROOT, "%-6s %7.2f%% %9.2f%% %+8.2f%n", "mean", 100 * sumPlain / n, 100 * sumDistilled / n,
                    100 * (sumDistilled - sumPlain) / n);
            out.printf(Locale.ROOT, "distilled ≥ plain on %d of %d seed(s)%n", atLeast, n);
            if (teacherAccuracy <= sumPlain / n) {
                out.printf(Locale.ROOT, "note: the teacher is not more accurate than the plain students (%.2f%% ≤ %.2f%%): "
                        + "train it longer, wider or on more data (--teacher FILE)%n", 100 * teacherAccuracy,
                        100 * sumPlain / n);
            }
            out.flush();
            return 0;
        }
    }

    /** Top-1 accuracy of {@code g} on the benchmark's validation images. */
    private static double accuracy(Graph g, LocalData data) {
        try (NDManager manager = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, manager);
            return Evaluator.evaluate(block, new ParameterStore(manager, false), manager, data.valid(),
                    LossFunction.crossEntropy()).accuracy();
        }
    }
}

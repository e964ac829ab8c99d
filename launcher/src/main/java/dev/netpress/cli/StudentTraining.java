package dev.netpress.cli;

import dev.netpress.graph.Graph;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import dev.netpress.train.ProgressCallback;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The benchmarks' models: vgg16_bn on the Fashion-MNIST preset, trained by one-cycle Adam at 1e-3. */
final class StudentTraining {
    static final String MODEL = "vgg16_bn";
    static final double STUDENT_WIDTH = 0.25;
    static final double LR = 1e-3;

    private StudentTraining() {}

    /** An untrained vgg16_bn at {@code width}; the seed fixes its initial weights. */
    static Graph model(double width, int classes, long seed) {
        return Zoo.build(MODEL, ZooConfig.fashionMnist().toBuilder().optWidth(width).optNumClasses(classes)
                .optSeed(seed).build());
    }

    /** Trains {@code g} and returns it with the last epoch's figures. */
    static Trained train(Graph g, int epochs, LocalData data, long seed, PrintStream log) {
        try (Learner l = Learner.builder(g, data.train()).optValid(data.valid()).optSeed(seed)
                .addCallback(ProgressCallback.auto(log)).build()) {
            List<EpochResult> h = l.fitOneCycle(epochs, LR);
            EpochResult last = h.get(h.size() - 1);
            log.printf(Locale.ROOT, "accuracy %.2f%%%n", 100 * last.accuracy());
            return new Trained(l.graph(), last);
        }
    }

    record Trained(Graph graph, EpochResult last) {}
}

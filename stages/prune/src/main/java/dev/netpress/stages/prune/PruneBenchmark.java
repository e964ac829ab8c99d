package dev.netpress.stages.prune;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import dev.netpress.measure.Latency;
import dev.netpress.measure.Stats;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Does pruning make models faster, in proportion to the MACs it removes? For each case (a zoo
 * model and a ratio of channels removed by structured L2 pruning) it times the model before and
 * after, interleaved round by round so background load hits both alike, and prints parameters,
 * MACs, batch-1 latency and batch-64 throughput with the ratios. Run by hand
 * ({@code netpress bench prune}); nothing here is asserted.
 */
public final class PruneBenchmark {
    private PruneBenchmark() {}

    /** One model pruned at one ratio. */
    public record Case(String model, ZooConfig config, double ratio, int roundTo) {}

    /** The cases: vgg16_bn/4 at 50% and resnet18 (width 1/4, 32×32) at 30%. */
    public static List<Case> defaultCases() {
        return List.of(new Case("vgg16_bn", ZooConfig.fashionMnist(), 0.5, 1),
                new Case("resnet18", ZooConfig.fashionMnist().toBuilder().optSmallInputStem(true).build(), 0.3, 1));
    }

    /** Figures of one case: before and after. */
    public record Result(Case c, long paramsBefore, long paramsAfter, long macsBefore, long macsAfter, double b1Before,
            double b1After, double b64Before, double b64After) {
        public double macsRatio() {
            return (double) macsBefore / macsAfter;
        }

        public double latencyRatio() {
            return b1Before / b1After;
        }
    }

    public static List<Result> run(List<Case> cases, int rounds, int runs, PrintStream out) {
        List<Result> results = new ArrayList<>();
        out.printf(Locale.ROOT, "%-10s %5s %12s %12s %8s %14s %14s %8s %9s %9s %8s %9s %9s%n", "model", "ratio", "params",
                "→ params", "×", "MACs", "→ MACs", "×", "b1 ms", "→ b1 ms", "×", "b64 i/s", "→ b64");
        for (Case c : cases) {
            Graph before = Zoo.build(c.model(), c.config());
            Graph after = Prune.apply(before, PruneOptions.builder().structured(c.ratio()).roundTo(c.roundTo()).build()).graph();
            double[][] t = time(before, after, rounds, runs);
            Result r = new Result(c, before.parameterCount(), after.parameterCount(), before.macs(), after.macs(),
                    t[0][0], t[1][0], t[0][1], t[1][1]);
            results.add(r);
            out.printf(Locale.ROOT, "%-10s %5.2f %,12d %,12d %8.2f %,14d %,14d %8.2f %9.3f %9.3f %8.2f %9.0f %9.0f%n",
                    c.model(), c.ratio(), r.paramsBefore(), r.paramsAfter(), (double) r.paramsBefore() / r.paramsAfter(),
                    r.macsBefore(), r.macsAfter(), r.macsRatio(), r.b1Before(), r.b1After(), r.latencyRatio(),
                    r.b64Before(), r.b64After());
            out.printf(Locale.ROOT, "%10s batch-1 speed-up %.2fx against a MACs ratio of %.2fx (%.0f%% of it); "
                    + "batch-64 throughput ×%.2f%n", "", r.latencyRatio(), r.macsRatio(),
                    100 * r.latencyRatio() / r.macsRatio(), r.b64After() / r.b64Before());
        }
        return results;
    }

    /** Medians over rounds of {b1 median ms, b64 images/s} for before [0] and after [1]. */
    private static double[][] time(Graph before, Graph after, int rounds, int runs) {
        List<List<Double>> b1 = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> b64 = List.of(new ArrayList<>(), new ArrayList<>());
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBlock[] blocks = {GraphBlock.create(before, m), GraphBlock.create(after, m)};
            ParameterStore ps = new ParameterStore(m, false);
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 2; i++) {
                    b1.get(i).add(Latency.measure(blocks[i], ps, m, 1, 10, runs).medianMs());
                    b64.get(i).add(Latency.measure(blocks[i], ps, m, 64, 2, Math.max(3, runs / 5)).throughput());
                }
            }
        }
        return new double[][] {{Stats.median(b1.get(0)), Stats.median(b64.get(0))}, {Stats.median(b1.get(1)), Stats.median(b64.get(1))}};
    }
}

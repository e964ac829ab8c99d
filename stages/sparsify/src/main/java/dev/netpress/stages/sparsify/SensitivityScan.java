package dev.netpress.stages.sparsify;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.data.DataLoader;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import dev.netpress.train.Evaluator;
import dev.netpress.train.LossFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-layer sensitivity to sparsification, and the per-layer sparsity it suggests: each layer in
 * turn is sparsified one-shot (no training) at increasing levels with every other layer
 * untouched, and the validation accuracy is measured at each level; a greedy
 * {@link SparsityAllocation} then picks the levels that remove the target share of parameters or
 * MACs at the least accuracy cost. The chosen map feeds {@link SparsifyOptions#layerSparsity()}
 * (local context), whose fine-tuning then recovers what it can.
 *
 * <p>What a level removes is counted in the masks: zeroed weights of every sparsified layer (with
 * the {@code group} granularity, the tied layers' too), and their MACs.
 *
 * @param levels sparsities to measure, in percent, ascending in (0, 100)
 * @param granularity what is removed together (default {@code filter})
 * @param criteria what is worth keeping (default {@code large_final})
 * @param layerType which layers to scan (default {@code conv2d})
 * @param target share to remove, in percent, in (0, 100)
 * @param objective what the target counts
 */
public record SensitivityScan(List<Double> levels, String granularity, String criteria, String layerType,
        double target, Objective objective) {
    public SensitivityScan {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a sensitivity scan needs at least one level");
        }
        for (int i = 0; i < levels.size(); i++) {
            double v = levels.get(i);
            if (!(v > 0 && v < 100) || (i > 0 && v <= levels.get(i - 1))) {
                throw new IllegalArgumentException("levels must ascend within (0, 100), got " + levels);
            }
        }
        if (!(target > 0 && target < 100)) {
            throw new IllegalArgumentException("target must be a percentage in (0, 100), got " + target);
        }
        Objects.requireNonNull(objective, "objective");
        options(granularity, criteria, layerType); // validates the names
    }

    /** Levels 10, 30, 50, 70, 90 at filter granularity by large_final over conv2d layers, 50% of params. */
    public static SensitivityScan defaults() {
        return new SensitivityScan(List.of(10.0, 30.0, 50.0, 70.0, 90.0), "filter", "large_final", "conv2d", 50,
                Objective.PARAMS);
    }

    public SensitivityScan withLevels(List<Double> v) {
        return new SensitivityScan(v, granularity, criteria, layerType, target, objective);
    }

    public SensitivityScan withGranularity(String v) {
        return new SensitivityScan(levels, v, criteria, layerType, target, objective);
    }

    public SensitivityScan withTarget(double v, Objective o) {
        return new SensitivityScan(levels, granularity, criteria, layerType, v, o);
    }

    /** Scans every layer of {@code graph} on {@code valid} and allocates the target. */
    public SensitivityReport run(Graph graph, DataLoader valid) {
        Sparsifier sparsifier = options(granularity, criteria, layerType).sparsifier();
        List<PrunableLayer> layers = sparsifier.layers(graph);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no " + layerType + " layer to scan");
        }
        double dense = accuracy(graph, valid);
        Map<String, Double> none = Sparsifier.uniform(layers, 0);
        List<SensitivityCurve> curves = new ArrayList<>();
        for (PrunableLayer layer : layers) {
            int n = levels.size() + 1;
            double[] lv = new double[n];
            double[] acc = new double[n];
            long[] params = new long[n];
            long[] macs = new long[n];
            acc[0] = dense;
            for (int i = 1; i < n; i++) {
                lv[i] = levels.get(i - 1);
                Map<String, Double> percents = new LinkedHashMap<>(none);
                percents.put(layer.name(), lv[i]);
                Masks masks = sparsifier.masks(graph, percents);
                acc[i] = accuracy(masks.applyTo(graph), valid);
                for (LayerMask m : masks.layers()) {
                    long zeros = zeros(m);
                    params[i] += zeros;
                    macs[i] += graph.macs(graph.node(m.layer().name())) * zeros / m.layer().weightShape().numel();
                }
            }
            curves.add(new SensitivityCurve(layer.name(), lv, acc, params, macs));
        }
        long totalParams = graph.parameterCount();
        long totalMacs = graph.macs();
        return new SensitivityReport(dense, totalParams, totalMacs, curves, SparsityAllocation.greedy(curves, objective,
                target, objective == Objective.PARAMS ? totalParams : totalMacs));
    }

    private static SparsifyOptions options(String granularity, String criteria, String layerType) {
        return SparsifyOptions.builder().optGranularity(granularity).optCriteria(criteria).optLayerType(layerType)
                .optContext("local").build();
    }

    /** Weights the mask zeroes. */
    private static long zeros(LayerMask m) {
        Mask w = m.weight();
        return w.zeros() * (m.layer().weightShape().numel() / w.shape().numel());
    }

    private static double accuracy(Graph g, DataLoader valid) {
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBlock block = GraphBlock.create(g, m);
            return Evaluator.evaluate(block, new ParameterStore(m, false), m, valid, LossFunction.crossEntropy())
                    .accuracy();
        }
    }
}

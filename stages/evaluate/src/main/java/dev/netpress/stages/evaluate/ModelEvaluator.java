package dev.netpress.stages.evaluate;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.data.DataLoader;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import dev.netpress.measure.Latency;
import dev.netpress.measure.Stats;
import dev.netpress.measure.Metric;
import dev.netpress.train.Evaluation;
import dev.netpress.train.Evaluator;
import dev.netpress.train.LossFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Measures a model on a validation set (top-1, top-5, loss), counts it (parameters, non-zero
 * parameters, sparsity, MACs, bytes) and times it (batch-1 latency, median and p95; batch-64
 * throughput). When the lineage's first model is given as a graph it is timed in the same
 * run, interleaved round by round, so the speed-up is a ratio of two measurements taken side by
 * side rather than against a figure from another machine or another hour; its accuracy is taken
 * from its recorded metrics, or measured on the same data when it has none.
 */
public final class ModelEvaluator {
    private ModelEvaluator() {}

    /**
     * @param model the model to evaluate
     * @param artifactBytes the size of its artifact, or -1 if unknown
     * @param valid validation data
     * @param first the lineage's first model to time alongside, or null
     * @param firstMetrics the first model's recorded metrics (its accuracy is taken from here), or empty
     * @param parentMetrics the parent's recorded metrics, or empty
     */
    public static EvaluationReport evaluate(Graph model, long artifactBytes, DataLoader valid, Graph first,
            Map<String, Double> firstMetrics, Map<String, Double> parentMetrics, EvaluateOptions options) {
        SortedMap<String, Double> m = new TreeMap<>();
        Map<String, Double> firstMeasured = new HashMap<>(firstMetrics);
        try (NDManager manager = NDManager.newBaseManager()) {
            GraphBlock block = GraphBlock.create(model, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            Evaluation ev = Evaluator.evaluate(block, ps, manager, valid, LossFunction.crossEntropy());
            m.put(Metric.ACCURACY.key(), ev.accuracy());
            if (!Double.isNaN(ev.top5())) {
                m.put(Metric.TOP5.key(), ev.top5());
            }
            m.put(Metric.LOSS.key(), ev.loss());

            GraphBlock firstBlock = first == null ? null : GraphBlock.create(first, manager);
            if (firstBlock != null && !firstMeasured.containsKey(Metric.ACCURACY.key())) {
                // a first model without a recorded accuracy (e.g. submitted untested) is measured here too
                Evaluation fe = Evaluator.evaluate(firstBlock, ps, manager, valid, LossFunction.crossEntropy());
                firstMeasured.put(Metric.ACCURACY.key(), fe.accuracy());
            }
            List<Double> b1 = new ArrayList<>(), b1p95 = new ArrayList<>(), b64 = new ArrayList<>();
            List<Double> fb1 = new ArrayList<>(), fb64 = new ArrayList<>();
            for (int r = 0; r < options.rounds(); r++) {
                Latency.Timing t1 = Latency.measure(block, ps, manager, 1, options.warmup(), options.runs());
                Latency.Timing t64 = Latency.measure(block, ps, manager, 64, 2, Math.max(3, options.runs() / 5));
                b1.add(t1.medianMs());
                b1p95.add(t1.p95Ms());
                b64.add(t64.throughput());
                if (firstBlock != null) {
                    fb1.add(Latency.measure(firstBlock, ps, manager, 1, options.warmup(), options.runs()).medianMs());
                    fb64.add(Latency.measure(firstBlock, ps, manager, 64, 2, Math.max(3, options.runs() / 5)).throughput());
                }
            }
            m.put(Metric.LATENCY_MS_B1.key(), Stats.median(b1));
            m.put(Metric.LATENCY_P95_MS_B1.key(), Stats.median(b1p95));
            m.put(Metric.THROUGHPUT_B64.key(), Stats.median(b64));
            if (firstBlock != null) {
                firstMeasured.put(Metric.LATENCY_MS_B1.key(), Stats.median(fb1));
                firstMeasured.put(Metric.THROUGHPUT_B64.key(), Stats.median(fb64));
                firstMeasured.put(Metric.PARAMS.key(), (double) first.parameterCount());
                firstMeasured.put(Metric.MACS.key(), (double) first.macs());
            }
        }
        long params = model.parameterCount();
        long nonZero = model.nonZeroParameterCount();
        m.put(Metric.PARAMS.key(), (double) params);
        m.put(Metric.NONZERO_PARAMS.key(), (double) nonZero);
        m.put(Metric.SPARSITY.key(), params == 0 ? 0 : 1 - (double) nonZero / params);
        m.put(Metric.MACS.key(), (double) model.macs());
        if (artifactBytes >= 0) {
            m.put(Metric.BYTES.key(), (double) artifactBytes);
        }
        Comparison vsParent = parentMetrics.isEmpty() ? null : Comparison.of(m, parentMetrics);
        Comparison vsFirst = firstMeasured.isEmpty() ? null : Comparison.of(m, firstMeasured);
        Gate.Decision decision = options.gate() == null ? null : options.gate().decide(vsFirst);
        return new EvaluationReport(m, vsParent, vsFirst, decision);
    }
}

package dev.netpress.stages.evaluate;

import java.util.SortedMap;

/**
 * What evaluate measured: the model's metrics (keys of {@link dev.netpress.measure.Metric}),
 * its comparison with its parent and with the lineage's first model (null where not given), and
 * the gate's decision (null without a gate).
 */
public record EvaluationReport(SortedMap<String, Double> metrics, Comparison vsParent, Comparison vsFirst,
        Gate.Decision decision) {}

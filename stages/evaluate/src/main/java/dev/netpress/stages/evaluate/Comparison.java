package dev.netpress.stages.evaluate;

import dev.netpress.measure.Metric;
import java.util.Map;

/**
 * How a model compares with a reference: accuracy drop in percentage points (positive = worse),
 * batch-1 speed-up (reference latency / model latency), and compression of parameters and
 * bytes (reference / model). NaN where either side lacks the figure.
 */
public record Comparison(double accuracyDrop, double speedup, double paramCompression, double byteCompression) {

    public static Comparison of(Map<String, Double> model, Map<String, Double> reference) {
        return new Comparison(
                100 * (get(reference, Metric.ACCURACY) - get(model, Metric.ACCURACY)),
                get(reference, Metric.LATENCY_MS_B1) / get(model, Metric.LATENCY_MS_B1),
                get(reference, Metric.PARAMS) / get(model, Metric.PARAMS),
                get(reference, Metric.BYTES) / get(model, Metric.BYTES));
    }

    private static double get(Map<String, Double> m, Metric k) {
        Double v = m.get(k.key());
        return v == null ? Double.NaN : v;
    }
}

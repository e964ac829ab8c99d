package dev.netpress.measure;

/**
 * The names under which a model's measurements travel (model cards, events, dashboards): the
 * one list of them, so no code spells a metric name by hand.
 */
public enum Metric {
    ACCURACY("accuracy"),
    TOP5("top5"),
    LOSS("loss"),
    PARAMS("params"),
    NONZERO_PARAMS("nonzero_params"),
    SPARSITY("sparsity"),
    MACS("macs"),
    BYTES("bytes"),
    LATENCY_MS_B1("latency_ms_b1"),
    LATENCY_P95_MS_B1("latency_p95_ms_b1"),
    THROUGHPUT_B64("throughput_b64"),
    /** The lineage's first model's batch-1 latency, timed in the same run as {@link #LATENCY_MS_B1}. */
    BASELINE_LATENCY_MS_B1("baseline_latency_ms_b1");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}

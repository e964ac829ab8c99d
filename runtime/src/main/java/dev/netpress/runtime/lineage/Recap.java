package dev.netpress.runtime.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.netpress.measure.Metric;
import dev.netpress.runtime.event.EventError;

/**
 * The recap of a lineage: per step the model's size, cost, speed and accuracy, and the final model
 * against the submitted one. Figures a step did not measure are null ("-" in the text): only the
 * evaluate stage measures latency, so most rows have none.
 *
 * @param rows one per step, oldest first
 * @param totals the last step against step 0 (the submitted model)
 */
public record Recap(String lineageId, String recipe, Lineage.Status status, List<Row> rows, Totals totals) {
    /**
     * One step.
     *
     * @param latencyMs batch-1 latency in milliseconds
     * @param accuracy a fraction, as the metrics carry it (the text shows per cent)
     * @param wallMs the stage's wall time on this model
     * @param error why a stage gave up on this step's output, or null
     */
    public record Row(int step, String stage, Long params, Long macs, Long bytes, Double latencyMs, Double accuracy,
                      long wallMs, EventError error) {
    }

    /**
     * The final model against the submitted one; a figure is null when either side lacks it.
     *
     * @param compression submitted params / final params
     * @param macsRatio submitted MACs / final MACs
     * @param bytesRatio submitted bytes / final bytes
     * @param speedup submitted batch-1 latency / final batch-1 latency
     * @param accuracyChangePoints final accuracy - submitted accuracy, in percentage points (negative: worse)
     * @param wallMs the stages' wall time summed over every step
     */
    public record Totals(Double compression, Double macsRatio, Double bytesRatio, Double speedup,
                         Double accuracyChangePoints, long wallMs) {
    }

    public Recap {
        Objects.requireNonNull(status, "status");
        rows = List.copyOf(rows);
        Objects.requireNonNull(totals, "totals");
    }

    /** The recap of a lineage's steps as they stand. */
    public static Recap of(Lineage lineage) {
        List<Row> rows = new ArrayList<>();
        for (Lineage.Step s : lineage.steps()) {
            rows.add(new Row(s.step(), s.stage(), count(s, Metric.PARAMS), count(s, Metric.MACS),
                count(s, Metric.BYTES), s.metric(Metric.LATENCY_MS_B1.key()).orElse(null),
                s.metric(Metric.ACCURACY.key()).orElse(null), s.timings().durationMs(), s.error()));
        }
        long wall = rows.stream().mapToLong(Row::wallMs).sum();
        Row first = rows.isEmpty() || rows.get(0).step() != 0 ? null : rows.get(0);
        Row last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        Totals totals = first == null
            ? new Totals(null, null, null, null, null, wall)
            : new Totals(ratio(first, last, r -> asDouble(r.params())), ratio(first, last, r -> asDouble(r.macs())),
                ratio(first, last, r -> asDouble(r.bytes())), speedup(first, last, lineage),
                first.accuracy() == null || last.accuracy() == null ? null
                    : 100 * (last.accuracy() - first.accuracy()),
                wall);
        return new Recap(lineage.lineageId(), lineage.recipe(), lineage.status(), rows, totals);
    }

    /**
     * Prefers the evaluate stage's own comparison: it times the baseline beside the model in one run,
     * whereas latencies recorded by different stages at different times are not comparable.
     */
    private static Double speedup(Row first, Row last, Lineage lineage) {
        Lineage.Step lastStep = lineage.steps().get(lineage.steps().size() - 1);
        Double baseline = lastStep.metric(Metric.BASELINE_LATENCY_MS_B1.key()).orElse(null);
        if (baseline != null && last.latencyMs() != null) {
            return baseline / last.latencyMs();
        }
        return ratio(first, last, Row::latencyMs);
    }

    private static Long count(Lineage.Step step, Metric metric) {
        return step.metric(metric.key()).map(Math::round).orElse(null);
    }

    private static Double asDouble(Long value) {
        return value == null ? null : value.doubleValue();
    }

    /** before / after; null when either is missing or after is zero (no finite ratio to show). */
    private static Double ratio(Row first, Row last, Function<Row, Double> figure) {
        Double before = figure.apply(first);
        Double after = figure.apply(last);
        return before == null || after == null || after == 0 ? null : before / after;
    }

    /** A fixed-width table for people: one row per step, the totals, and why a stage gave up if one did. */
    public String text() {
        int stageWidth = Math.max("stage".length(), rows.stream().mapToInt(r -> r.stage().length()).max().orElse(0));
        String row = "%4s  %-" + stageWidth + "s  %13s  %15s  %13s  %10s  %8s  %8s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "lineage %s  recipe %s  status %s%n", lineageId, recipe,
            status.name().toLowerCase(Locale.ROOT)));
        sb.append(String.format(Locale.ROOT, row, "step", "stage", "params", "MACs", "bytes", "latency ms",
            "accuracy", "wall s"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, row, r.step(), r.stage(), grouped(r.params()), grouped(r.macs()),
                grouped(r.bytes()), fixed("%.3f", r.latencyMs()),
                r.accuracy() == null ? "-" : fixed("%.2f%%", 100 * r.accuracy()), fixed("%.1f", r.wallMs() / 1e3)));
        }
        sb.append(String.format(Locale.ROOT,
            "vs submitted: params %s  MACs %s  bytes %s  latency %s  accuracy %s  wall %s%n",
            times(totals.compression()), times(totals.macsRatio()), times(totals.bytesRatio()),
            times(totals.speedup()), totals.accuracyChangePoints() == null ? "-"
                : fixed("%+.2f pt", totals.accuracyChangePoints()),
            fixed("%.1f s", totals.wallMs() / 1e3)));
        for (Row r : rows) {
            if (r.error() != null) {
                EventError e = r.error();
                sb.append(String.format(Locale.ROOT, "step %d (%s): %s gave up after %d attempt%s: %s: %s%n",
                    r.step(), r.stage(), e.stage(), e.attempts(), e.attempts() == 1 ? "" : "s", e.kind(),
                    e.reason()));
            }
        }
        return sb.toString();
    }

    /** The recap as JSON (camelCase fields, nulls kept so every row has the same shape). */
    public String toJson() {
        try {
            return LineageSerde.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recap always serialises", e);
        }
    }

    private static String grouped(Long v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String fixed(String format, Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String times(Double v) {
        return fixed("%.2fx", v);
    }
}

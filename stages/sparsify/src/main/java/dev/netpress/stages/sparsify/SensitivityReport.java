package dev.netpress.stages.sparsify;

import java.util.List;
import java.util.Locale;

/**
 * What a {@link SensitivityScan} measured and the per-layer sparsity it chose.
 *
 * @param denseAccuracy validation accuracy of the untouched model
 * @param totalParams the model's parameter count
 * @param totalMacs the model's MACs per sample
 * @param curves one curve per scanned layer, in the layers' order
 * @param allocation the chosen per-layer sparsity
 */
public record SensitivityReport(double denseAccuracy, long totalParams, long totalMacs, List<SensitivityCurve> curves,
        SparsityAllocation allocation) {
    public SensitivityReport {
        curves = List.copyOf(curves);
    }

    /** The allocation for another target or objective, from the same curves (no rescan). */
    public SparsityAllocation allocate(double target, Objective objective) {
        return SparsityAllocation.greedy(curves, objective, target,
                objective == Objective.PARAMS ? totalParams : totalMacs);
    }

    /** A table: per layer its accuracy at each level and the chosen sparsity, then the predicted removal. */
    public String format() {
        double[] levels = curves.get(0).levels();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s", "layer"));
        for (int i = 1; i < levels.length; i++) {
            b.append(String.format(Locale.ROOT, " %7s", fmt(levels[i]) + "%"));
        }
        b.append(String.format(Locale.ROOT, " %8s%n", "chosen"));
        for (SensitivityCurve c : curves) {
            b.append(String.format(Locale.ROOT, "%-16s", c.layer()));
            double[] acc = c.accuracy();
            for (int i = 1; i < acc.length; i++) {
                b.append(String.format(Locale.ROOT, " %7.4f", acc[i]));
            }
            b.append(String.format(Locale.ROOT, " %7s%%%n", fmt(allocation.layerSparsity().get(c.layer()))));
        }
        b.append(String.format(Locale.ROOT, "dense accuracy %.4f; target %.2f%% of %s; predicted removal: %.2f%% of "
                + "params (%d), %.2f%% of MACs (%d)", denseAccuracy, allocation.target(), allocation.objective(),
                100.0 * allocation.params() / totalParams, allocation.params(), 100.0 * allocation.macs() / totalMacs,
                allocation.macs()));
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

package dev.netpress.measure;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of measurements. */
public final class Stats {
    private Stats() {}

    public static double median(Collection<Double> values) {
        return percentile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.5);
    }

    /** Linear interpolation between the closest ranks of sorted values (numpy's default). */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }
}

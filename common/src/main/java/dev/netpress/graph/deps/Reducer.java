package dev.netpress.graph.deps;

import java.util.List;

/** How per-channel scores of a group's member slices combine into one score per channel. */
public enum Reducer {
    SUM, MEAN, MAX;

    /** Combines equally long score arrays element-wise. */
    public double[] reduce(List<double[]> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("nothing to reduce");
        }
        int n = scores.get(0).length;
        double[] out = new double[n];
        if (this == MAX) {
            java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        }
        for (double[] s : scores) {
            if (s.length != n) {
                throw new IllegalArgumentException("score arrays differ in length: " + n + " and " + s.length);
            }
            for (int i = 0; i < n; i++) {
                out[i] = this == MAX ? Math.max(out[i], s[i]) : out[i] + s[i];
            }
        }
        if (this == MEAN) {
            for (int i = 0; i < n; i++) {
                out[i] /= scores.size();
            }
        }
        return out;
    }
}

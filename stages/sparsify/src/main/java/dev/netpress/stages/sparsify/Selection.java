package dev.netpress.stages.sparsify;

import java.util.Arrays;

/** Picks the lowest-scoring entries, exactly as many as asked, ties going to the lower index. */
final class Selection {
    private Selection() {}

    /** Marks the {@code k} lowest scores; among equal scores the lower indices are marked first. */
    static boolean[] lowest(float[] scores, int k) {
        if (k < 0 || k > scores.length) {
            throw new IllegalArgumentException("cannot pick " + k + " of " + scores.length);
        }
        boolean[] picked = new boolean[scores.length];
        if (k == 0) {
            return picked;
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float threshold = sorted[k - 1];
        int below = 0;
        for (float v : scores) {
            if (Float.compare(v, threshold) < 0) {
                below++;
            }
        }
        int ties = k - below; // how many scores equal to the threshold still go
        for (int i = 0; i < scores.length; i++) {
            int c = Float.compare(scores[i], threshold);
            if (c < 0 || (c == 0 && ties-- > 0)) {
                picked[i] = true;
            }
        }
        return picked;
    }

    /** How many groups of {@code n} a fraction removes, rounded half up. */
    static int count(double fraction, int n) {
        return (int) Math.min(n, Math.round(fraction * n));
    }
}

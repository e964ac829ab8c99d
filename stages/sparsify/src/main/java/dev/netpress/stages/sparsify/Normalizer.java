package dev.netpress.stages.sparsify;

/**
 * Rescales one layer's group scores, so that a global ranking compares layers on a common
 * scale. Every one here is increasing, so it never changes the order within a layer. Returns a
 * new array.
 */
@FunctionalInterface
public interface Normalizer {
    /** Float32 machine epsilon, as in fasterai, to keep divisions finite. */
    float EPS = Math.ulp(1f);

    float[] normalize(float[] scores);

    static Normalizer none() {
        return float[]::clone;
    }

    /** {@code s / Σs}. */
    static Normalizer sum() {
        return s -> scale(s, 0, total(s));
    }

    /** Min-max scaling to [0, 1]: {@code (s - min) / (max - min + eps)}. */
    static Normalizer standardization() {
        return s -> {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return scale(s, min, max - min + EPS);
        };
    }

    /** {@code s / mean(s)}. */
    static Normalizer mean() {
        return s -> scale(s, 0, total(s) / s.length);
    }

    /** {@code s / max(s)}. */
    static Normalizer max() {
        return s -> {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : s) {
                max = Math.max(max, v);
            }
            return scale(s, 0, max);
        };
    }

    /** {@code (s - mean) / (std + eps)}, with the unbiased standard deviation (0 for a single score). */
    static Normalizer gaussian() {
        return s -> {
            double mean = total(s) / s.length;
            double squares = 0;
            for (float v : s) {
                squares += (v - mean) * (v - mean);
            }
            double std = s.length > 1 ? Math.sqrt(squares / (s.length - 1)) : 0;
            return scale(s, mean, std + EPS);
        };
    }

    private static double total(float[] s) {
        double t = 0;
        for (float v : s) {
            t += v;
        }
        return t;
    }

    private static float[] scale(float[] s, double offset, double divisor) {
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) ((s[i] - offset) / divisor);
        }
        return out;
    }
}

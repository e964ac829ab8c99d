package dev.netpress.stages.sparsify;

import dev.netpress.tensor.Dims;

/**
 * N:M semi-structured sparsity (2:4 on sparse tensor cores): in every run of {@code m}
 * consecutive weights along the input axis (axis 1), the {@code n} that score highest stay. A
 * layer whose input axis is not a multiple of {@code m} cannot carry the pattern and is left dense.
 *
 * @param n weights kept per run
 * @param m run length
 */
public record NmPattern(int n, int m) {
    public NmPattern {
        if (n < 1 || m < 2 || n >= m) {
            throw new IllegalArgumentException("N:M sparsity needs 1 ≤ N < M, got " + n + ":" + m);
        }
    }

    /** Parses {@code "N:M"}, e.g. {@code "2:4"}. */
    public static NmPattern parse(String text) {
        String[] parts = text.trim().split(":");
        try {
            if (parts.length == 2) {
                return new NmPattern(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("N:M pattern must look like 2:4, got '" + text + "'");
    }

    /** Whether a weight of this shape can carry the pattern. */
    public boolean fits(Dims weight) {
        return weight.rank() >= 2 && weight.get(1) % m == 0;
    }

    /** A full-shape mask keeping the {@code n} best of each run (among equal scores the lower index goes first). */
    public float[] mask(float[] scores, Dims weight) {
        if (!fits(weight)) {
            throw new IllegalArgumentException("input axis of " + weight + " is not a multiple of " + m);
        }
        int inner = Math.toIntExact(weight.numel() / ((long) weight.get(0) * weight.get(1))); // kh·kw for a conv
        int runsPerUnit = weight.get(1) / m;
        float[] mask = new float[scores.length];
        float[] run = new float[m];
        for (int o = 0; o < weight.get(0); o++) {
            for (int r = 0; r < runsPerUnit; r++) {
                for (int p = 0; p < inner; p++) {
                    int base = (o * weight.get(1) + r * m) * inner + p;
                    for (int j = 0; j < m; j++) {
                        run[j] = scores[base + j * inner];
                    }
                    boolean[] dropped = Selection.lowest(run, m - n);
                    for (int j = 0; j < m; j++) {
                        mask[base + j * inner] = dropped[j] ? 0f : 1f;
                    }
                }
            }
        }
        return mask;
    }
}

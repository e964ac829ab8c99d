package dev.netpress.data;

/**
 * Separable bilinear (triangle-filter) resampling with pixel centres at half-integer coordinates. When shrinking,
 * the filter widens by the shrink factor so every source pixel contributes (like PIL's resize) instead of aliasing;
 * when enlarging it is ordinary bilinear interpolation with edge pixels clamped.
 */
final class Resampler {
    private Resampler() {}

    /** Taps of a 1-D resampling: output {@code o} reads {@code weights[o]} from source {@code first[o]} onwards. */
    private record Taps(int[] first, float[][] weights) {
        static Taps of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            int[] first = new int[out];
            float[][] weights = new float[out][];
            for (int o = 0; o < out; o++) {
                double center = (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support));
                int hi = Math.min(in, (int) Math.ceil(center + support));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    w[j - lo] = Math.max(0, 1 - Math.abs((j + 0.5 - center) / support));
                    sum += w[j - lo];
                }
                first[o] = lo;
                weights[o] = new float[w.length];
                for (int k = 0; k < w.length; k++) {
                    weights[o][k] = (float) (w[k] / sum);
                }
            }
            return new Taps(first, weights);
        }
    }

    /**
     * Resamples the box of {@code boxH × boxW} pixels at ({@code top}, {@code left}) of each channel of a CHW image
     * of {@code h × w} pixels to {@code outH × outW}.
     */
    static float[] resize(float[] src, int channels, int h, int w,
                          int top, int left, int boxH, int boxW, int outH, int outW) {
        Taps tx = Taps.of(boxW, outW);
        Taps ty = Taps.of(boxH, outH);
        float[] rows = new float[boxH * outW];
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            for (int y = 0; y < boxH; y++) {
                int srcRow = plane + (top + y) * w + left;
                for (int x = 0; x < outW; x++) {
                    float[] wt = tx.weights[x];
                    int s = srcRow + tx.first[x];
                    float acc = 0;
                    for (int k = 0; k < wt.length; k++) {
                        acc += wt[k] * src[s + k];
                    }
                    rows[y * outW + x] = acc;
                }
            }
            int dst = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                float[] wt = ty.weights[y];
                int r0 = ty.first[y];
                for (int x = 0; x < outW; x++) {
                    float acc = 0;
                    for (int k = 0; k < wt.length; k++) {
                        acc += wt[k] * rows[(r0 + k) * outW + x];
                    }
                    out[dst + y * outW + x] = acc;
                }
            }
        }
        return out;
    }
}

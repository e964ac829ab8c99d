package dev.netpress.exec;

/** Plain-Java reference implementations of the ops, on NCHW float arrays, for the tests. */
final class Reference {
    private Reference() {}

    static float[] conv2d(float[] x, int n, int c, int h, int w, float[] wt, float[] bias, int outC, int kh, int kw,
            int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        int cg = c / groups;
        int og = outC / groups;
        float[] y = new float[n * outC * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < outC; o++) {
                int g = o / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias == null ? 0 : bias[o];
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = g * cg + ci;
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int yi = i * sh - ph + u * dh;
                                    int xj = j * sw - pw + v * dw;
                                    if (yi >= 0 && yi < h && xj >= 0 && xj < w) {
                                        acc += x[((b * c + ch) * h + yi) * w + xj] * wt[((o * cg + ci) * kh + u) * kw + v];
                                    }
                                }
                            }
                        }
                        y[((b * outC + o) * oh + i) * ow + j] = (float) acc;
                    }
                }
            }
        }
        return y;
    }

    static float[] pool(float[] x, int n, int c, int h, int w, int k, int s, int p, boolean max, boolean countPad) {
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        float[] y = new float[n * c * oh * ow];
        for (int b = 0; b < n * c; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int yi = i * s - p + u;
                            int xj = j * s - p + v;
                            if (yi >= 0 && yi < h && xj >= 0 && xj < w) {
                                float val = x[(b * h + yi) * w + xj];
                                acc = max ? Math.max(acc, val) : acc + val;
                                count++;
                            } else if (countPad) {
                                count++;
                            }
                        }
                    }
                    y[(b * oh + i) * ow + j] = (float) (max ? acc : acc / count);
                }
            }
        }
        return y;
    }

    /** As torch's adaptive_avg_pool2d: bin i spans [floor(i*H/o), ceil((i+1)*H/o)). */
    static float[] adaptiveAvg(float[] x, int n, int c, int h, int w, int oh, int ow) {
        float[] y = new float[n * c * oh * ow];
        for (int b = 0; b < n * c; b++) {
            for (int i = 0; i < oh; i++) {
                int y0 = (int) Math.floor((double) i * h / oh);
                int y1 = (int) Math.ceil((double) (i + 1) * h / oh);
                for (int j = 0; j < ow; j++) {
                    int x0 = (int) Math.floor((double) j * w / ow);
                    int x1 = (int) Math.ceil((double) (j + 1) * w / ow);
                    double acc = 0;
                    for (int u = y0; u < y1; u++) {
                        for (int v = x0; v < x1; v++) {
                            acc += x[(b * h + u) * w + v];
                        }
                    }
                    y[(b * oh + i) * ow + j] = (float) (acc / ((y1 - y0) * (x1 - x0)));
                }
            }
        }
        return y;
    }

    /** Batch norm over N×C×S values; in training uses the batch's biased variance. */
    static float[] batchNorm(float[] x, int n, int c, int s, float[] gamma, float[] beta, float[] mean, float[] var,
            double eps, boolean training) {
        float[] y = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mu = mean[ch];
            double v = var[ch];
            if (training) {
                double sum = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        sum += x[(b * c + ch) * s + i];
                    }
                }
                mu = sum / (n * s);
                double sq = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        double d = x[(b * c + ch) * s + i] - mu;
                        sq += d * d;
                    }
                }
                v = sq / (n * s);
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    int idx = (b * c + ch) * s + i;
                    y[idx] = (float) ((x[idx] - mu) / Math.sqrt(v + eps) * gamma[ch] + beta[ch]);
                }
            }
        }
        return y;
    }

    static float[] linear(float[] x, int n, int in, float[] w, float[] bias, int out) {
        float[] y = new float[n * out];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    acc += x[b * in + i] * w[o * in + i];
                }
                y[b * out + o] = (float) acc;
            }
        }
        return y;
    }
}

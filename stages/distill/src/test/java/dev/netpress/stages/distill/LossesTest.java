package dev.netpress.stages.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each loss on small inputs against the formula evaluated by hand in double precision. */
class LossesTest {
    private static final double[][] S = {{1, 2, 3}, {0.5, -1, 0}};
    private static final double[][] T = {{3, 2, 1}, {0, 0, 2}};
    private static final int[] Y = {2, 1};
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray arr(double[][] v) {
        float[] flat = new float[v.length * v[0].length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[0].length; j++) {
                flat[i * v[0].length + j] = (float) v[i][j];
            }
        }
        return m.create(flat, new Shape(v.length, v[0].length));
    }

    private DistillLoss.Batch logitBatch() {
        return new DistillLoss.Batch(arr(S), arr(T), m.create(new long[] {Y[0], Y[1]}), List.of(), List.of());
    }

    private static double[] softmax(double[] x, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v / temp);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] / temp - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static double kl(double[] p, double[] q) { // KL(p ‖ q)
        double k = 0;
        for (int i = 0; i < p.length; i++) {
            k += p[i] * Math.log(p[i] / q[i]);
        }
        return k;
    }

    @Test
    void softTargetIsTemperatureScaledKl() {
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            expected += kl(softmax(T[i], 2), softmax(S[i], 2));
        }
        expected = expected / 2 * 4;
        assertEquals(expected, Losses.softTarget(2).compute(logitBatch()).getFloat(), 1e-5);
    }

    @Test
    void logitsIsMeanSquaredError() {
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                sum += Math.pow(S[i][j] - T[i][j], 2);
            }
        }
        assertEquals(sum / 6, Losses.logits().compute(logitBatch()).getFloat(), 1e-5);
    }

    @Test
    void mutualIsKlAtTemperatureOne() {
        double expected = (kl(softmax(T[0], 1), softmax(S[0], 1)) + kl(softmax(T[1], 1), softmax(S[1], 1))) / 2;
        assertEquals(expected, Losses.mutual().compute(logitBatch()).getFloat(), 1e-5);
    }

    @Test
    void decoupledSplitsTargetAndNonTargetTerms() {
        double alpha = 1, beta = 8, temp = 4;
        double tckd = 0, nckd = 0;
        for (int i = 0; i < 2; i++) {
            double[] ps = softmax(S[i], temp);
            double[] pt = softmax(T[i], temp);
            int y = Y[i];
            double[] bs = {ps[y], 1 - ps[y]};
            double[] bt = {pt[y], 1 - pt[y]};
            tckd += kl(bt, bs);
            double[] so = new double[2];
            double[] to = new double[2];
            for (int j = 0, k = 0; j < 3; j++) {
                if (j != y) {
                    so[k] = S[i][j];
                    to[k++] = T[i][j];
                }
            }
            nckd += kl(softmax(to, temp), softmax(so, temp));
        }
        double expected = (alpha * tckd / 2 + beta * nckd / 2) * temp * temp;
        assertEquals(expected, Losses.decoupled(alpha, beta, temp).compute(logitBatch()).getFloat(), 1e-3 * expected);
    }

    /** Feature maps: batch 2, student 2 channels, teacher 3 channels, 1×2 spatial. */
    private static final double[][][] FS = {{{1, 2}, {0, -1}}, {{0.5, 0.5}, {1, 0}}};
    private static final double[][][] FT = {{{2, 0}, {1, 1}, {0, 1}}, {{1, 1}, {0, 2}, {1, 0}}};

    private NDArray fmap(double[][][] v) {
        int b = v.length, c = v[0].length, w = v[0][0].length;
        float[] flat = new float[b * c * w];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < c; j++) {
                for (int k = 0; k < w; k++) {
                    flat[(i * c + j) * w + k] = (float) v[i][j][k];
                }
            }
        }
        return m.create(flat, new Shape(b, c, 1, w));
    }

    private DistillLoss.Batch featureBatch(double[][][] s, double[][][] t) {
        return new DistillLoss.Batch(arr(S), arr(T), m.create(new long[] {2, 1}), List.of(fmap(s)), List.of(fmap(t)));
    }

    private static double[] attention(double[][] channels) {
        double[] a = new double[channels[0].length];
        for (double[] ch : channels) {
            for (int k = 0; k < a.length; k++) {
                a[k] += ch[k] * ch[k] / channels.length;
            }
        }
        double norm = 0;
        for (double v : a) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < a.length; k++) {
            a[k] /= norm;
        }
        return a;
    }

    @Test
    void attentionComparesNormalisedSpatialMaps() {
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            double[] as = attention(FS[i]);
            double[] at = attention(FT[i]);
            for (int k = 0; k < 2; k++) {
                sum += Math.pow(as[k] - at[k], 2);
            }
        }
        assertEquals(sum / 4, Losses.attention(2).compute(featureBatch(FS, FT)).getFloat(), 1e-5);
    }

    @Test
    void fitnetAndActivationBoundariesOnEqualShapes() {
        double[][][] t = {{{2, 0}, {1, -1}}, {{-1, 1}, {0, 2}}};
        double mse = 0, ab = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    double s = FS[i][j][k], tv = t[i][j][k];
                    mse += Math.pow(s - tv, 2);
                    if (tv > 0 && s <= 1) {
                        ab += Math.pow(s - 1, 2);
                    } else if (tv <= 0 && s > -1) {
                        ab += Math.pow(s + 1, 2);
                    }
                }
            }
        }
        assertEquals(mse / 8, Losses.fitnet().compute(featureBatch(FS, t)).getFloat(), 1e-5);
        assertEquals(ab / 8, Losses.activationBoundaries(1).compute(featureBatch(FS, t)).getFloat(), 1e-5);
    }

    @Test
    void similarityComparesRowNormalisedGramMatrices() {
        double[][] gs = gram(FS);
        double[][] gt = gram(FT);
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                sum += Math.pow(gs[i][j] - gt[i][j], 2);
            }
        }
        assertEquals(sum / 4, Losses.similarity().compute(featureBatch(FS, FT)).getFloat(), 1e-5);
    }

    private static double[][] gram(double[][][] f) {
        double[][] flat = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            flat[i] = java.util.Arrays.stream(f[i]).flatMapToDouble(java.util.Arrays::stream).toArray();
        }
        double[][] g = new double[f.length][f.length];
        for (int i = 0; i < f.length; i++) {
            double norm = 0;
            for (int j = 0; j < f.length; j++) {
                double dot = 0;
                for (int k = 0; k < flat[i].length; k++) {
                    dot += flat[i][k] * flat[j][k];
                }
                g[i][j] = dot;
                norm += dot * dot;
            }
            for (int j = 0; j < f.length; j++) {
                g[i][j] /= Math.sqrt(norm);
            }
        }
        return g;
    }
}

package dev.netpress.stages.factorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TruncatedSvdTest {
    private static final FactorizeOptions SKETCH = FactorizeOptions.percentRemoved(0.5);

    @Test
    void aRankThreeMatrixIsRebuiltExactlyAtRankThree() {
        int out = 40;
        int in = 60;
        float[] w = lowRank(new Random(1), out, in, new double[] {5, 2, 0.5});
        for (boolean randomized : new boolean[] {false, true}) {
            LowRank f = factor(w, out, in, new RankTarget.Fixed(3), randomized);
            assertEquals(3, f.rank());
            assertEquals(randomized, f.randomized());
            double actual = reconstructionError(w, f, out, in);
            assertTrue(actual <= 1e-4, (randomized ? "randomized" : "exact") + ": reconstruction error " + actual);
            assertTrue(f.relativeError() <= (randomized ? 2e-3 : 1e-6),
                    (randomized ? "randomized" : "exact") + ": reported error " + f.relativeError());
        }
    }

    @Test
    void exactPathMatchesEjmlSingularValuesAndError() {
        int out = 64;
        int in = 200;
        float[] w = gaussian(new Random(2), out * in);
        double[] sigma = singularValues(w, out, in);
        double total = Arrays.stream(sigma).map(x -> x * x).sum();
        int k = 20;
        LowRank f = ExactSvd.factor(w, out, in, new RankTarget.Fixed(k));
        for (int j = 0; j < k; j++) {
            // row j of the first factor is √σⱼ·vⱼᵀ and column j of the second is uⱼ·√σⱼ
            assertEquals(sigma[j], rowNorm(f.first(), j, in) * columnNorm(f.second(), j, out, k), 1e-4 * sigma[0]);
            assertEquals(rowNorm(f.first(), j, in), columnNorm(f.second(), j, out, k), 1e-5 * sigma[0]);
        }
        double optimum = Math.sqrt(Arrays.stream(sigma, k, sigma.length).map(x -> x * x).sum() / total);
        assertEquals(optimum, f.relativeError(), 1e-9);
        assertEquals(optimum, reconstructionError(w, f, out, in), 1e-5);
    }

    /** A decaying spectrum under noise, in both orientations, on both ways of applying W·Wᵀ. */
    @ParameterizedTest
    @CsvSource({"300, 900, 0.5", "300, 900, 0.9", "900, 300, 0.5", "900, 300, 0.9"})
    void randomizedErrorIsWithinOnePercentOfTheOptimum(int out, int in, double percent) {
        float[] w = decaying(new Random(3), out, in);
        double[] sigma = singularValues(w, out, in);
        int k = RankTarget.percentRank(percent, Math.min(out, in));
        double optimum = tailShare(sigma, k);
        LowRank f = factor(w, out, in, new RankTarget.Fixed(k), true);
        double actual = reconstructionError(w, f, out, in);
        assertTrue(actual <= 1.01 * optimum, "error " + actual + " against optimum " + optimum);
        assertEquals(actual, f.relativeError(), 1e-3, "reported against measured error");
    }

    @Test
    void energyRankAgreesWithTheExactSpectrum() {
        int out = 300;
        int in = 900;
        float[] w = decaying(new Random(4), out, in);
        double[] sigma = singularValues(w, out, in);
        double total = Arrays.stream(sigma).map(x -> x * x).sum();
        int expected = RankTarget.energyRank(Arrays.stream(sigma).map(x -> x * x).toArray(), total, 0.8);
        RankTarget target = new RankTarget.Energy(0.8, RankTarget.maxSavingRank(out, in));
        LowRank exact = factor(w, out, in, target, false);
        LowRank randomized = factor(w, out, in, target, true);
        assertEquals(expected, exact.rank());
        assertTrue(randomized.rank() >= expected && randomized.rank() <= expected + 2,
                "randomized energy rank " + randomized.rank() + ", exact " + expected);
        assertTrue(randomized.relativeError() <= Math.sqrt(1 - 0.8) + 1e-3, "error " + randomized.relativeError());

        // 99.99% of this spectrum needs more than the 224 ranks that still save parameters
        RankTarget tooMuch = new RankTarget.Energy(0.9999, RankTarget.maxSavingRank(out, in));
        LowRank none = factor(w, out, in, tooMuch, true);
        assertFalse(none.factored());
        assertTrue(none.rank() > RankTarget.maxSavingRank(out, in));
        assertFalse(factor(w, out, in, tooMuch, false).factored());
    }

    @Test
    void blockedGramMatrixEqualsThePlainProduct() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(gaussian(new Random(7), 301 * 500), new Shape(301, 500));
            float[] plain = a.matMul(a.transpose()).toFloatArray();
            float[] blocked = RandomizedSvd.gram(a, 4).toFloatArray();
            assertEquals(plain.length, blocked.length);
            for (int i = 0; i < plain.length; i++) {
                assertEquals(plain[i], blocked[i], 1e-3f, "element " + i);
            }
        }
    }

    @Test
    void rankRules() {
        assertEquals(256, RankTarget.percentRank(0.5, 512));
        assertEquals(1, RankTarget.percentRank(0.99, 10));
        assertEquals(9, RankTarget.percentRank(0.1, 10));
        assertEquals(255, RankTarget.maxSavingRank(512, 512));
        assertEquals(9, RankTarget.maxSavingRank(10, 512));
        assertEquals(0, RankTarget.maxSavingRank(1, 512));
        assertEquals(3521, RankTarget.maxSavingRank(4096, 25088));
        assertEquals(2, RankTarget.energyRank(new double[] {3, 1, 1}, 5, 0.8));
        assertEquals(4, RankTarget.energyRank(new double[] {3, 1, 1}, 6, 0.9));
    }

    private static LowRank factor(float[] w, int out, int in, RankTarget target, boolean randomized) {
        if (!randomized) {
            return ExactSvd.factor(w, out, in, target);
        }
        double norm = 0;
        for (float v : w) {
            norm += (double) v * v;
        }
        return RandomizedSvd.factor(w, out, in, norm, target, SKETCH);
    }

    /** Σ uᵢ·sᵢ·vᵢᵀ with Gaussian uᵢ, vᵢ. */
    static float[] lowRank(Random r, int out, int in, double[] scales) {
        double[] m = new double[out * in];
        for (double s : scales) {
            double[] u = new double[out];
            double[] v = new double[in];
            for (int i = 0; i < out; i++) {
                u[i] = r.nextGaussian();
            }
            for (int i = 0; i < in; i++) {
                v[i] = r.nextGaussian();
            }
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    m[i * in + j] += s * u[i] * v[j];
                }
            }
        }
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }

    /** A low-rank part with geometrically decaying scales plus Gaussian noise. */
    static float[] decaying(Random r, int out, int in) {
        int rank = Math.min(out, in) / 2;
        double[] scales = new double[rank];
        for (int i = 0; i < rank; i++) {
            scales[i] = 3 * Math.exp(-i / 25.0);
        }
        float[] w = lowRank(r, out, in, scales);
        for (int i = 0; i < w.length; i++) {
            w[i] += (float) r.nextGaussian();
        }
        return w;
    }

    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Descending singular values by EJML. */
    static double[] singularValues(float[] w, int out, int in) {
        DMatrixRMaj m = new DMatrixRMaj(out, in);
        for (int i = 0; i < w.length; i++) {
            m.data[i] = w[i];
        }
        double[] s = SingularOps_DDRM.singularValues(m);
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    static double tailShare(double[] sigma, int k) {
        double total = Arrays.stream(sigma).map(x -> x * x).sum();
        return Math.sqrt(Arrays.stream(sigma, k, sigma.length).map(x -> x * x).sum() / total);
    }

    /** ‖W − second·first‖_F / ‖W‖_F, in double. */
    static double reconstructionError(float[] w, LowRank f, int out, int in) {
        int k = f.rank();
        double diff = 0;
        double norm = 0;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double v = 0;
                for (int j = 0; j < k; j++) {
                    v += (double) f.second()[o * k + j] * f.first()[j * in + i];
                }
                double d = w[o * in + i] - v;
                diff += d * d;
                norm += (double) w[o * in + i] * w[o * in + i];
            }
        }
        return Math.sqrt(diff / norm);
    }

    private static double rowNorm(float[] m, int row, int cols) {
        double s = 0;
        for (int i = 0; i < cols; i++) {
            s += (double) m[row * cols + i] * m[row * cols + i];
        }
        return Math.sqrt(s);
    }

    private static double columnNorm(float[] m, int col, int rows, int cols) {
        double s = 0;
        for (int i = 0; i < rows; i++) {
            s += (double) m[i * cols + col] * m[i * cols + col];
        }
        return Math.sqrt(s);
    }
}

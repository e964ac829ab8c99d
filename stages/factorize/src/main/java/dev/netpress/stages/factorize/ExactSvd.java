package dev.netpress.stages.factorize;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Truncated SVD by EJML's exact (compact, double-precision) SVD, for weights small enough that
 * its O(min²·max) Java cost is negligible. The error comes from the discarded singular values.
 */
final class ExactSvd {
    private ExactSvd() {}

    static LowRank factor(float[] w, int out, int in, RankTarget target) {
        DMatrixRMaj a = new DMatrixRMaj(out, in);
        for (int i = 0; i < w.length; i++) {
            a.data[i] = w[i];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, in, true, true, true);
        if (!svd.decompose(a)) {
            throw new IllegalStateException("EJML's SVD did not converge on a " + out + "×" + in + " weight");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj sigma = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, sigma, v, false);
        int r = Math.min(out, in);
        double[] squares = new double[r];
        double total = 0;
        for (int j = 0; j < r; j++) {
            squares[j] = sigma.get(j, j) * sigma.get(j, j);
            total += squares[j];
        }
        int k;
        if (target instanceof RankTarget.Energy e) {
            k = RankTarget.energyRank(squares, total, e.threshold());
            if (k > e.maxRank()) {
                return LowRank.tooLarge(k, false, false);
            }
        } else {
            k = ((RankTarget.Fixed) target).rank();
        }
        // balanced split: each factor carries √σ, so neither layer's scale dwarfs the other's
        float[] first = new float[k * in];
        float[] second = new float[out * k];
        double discarded = 0;
        for (int j = 0; j < r; j++) {
            if (j >= k) {
                discarded += squares[j];
                continue;
            }
            double root = Math.sqrt(sigma.get(j, j));
            for (int o = 0; o < out; o++) {
                second[o * k + j] = (float) (u.get(o, j) * root);
            }
            for (int i = 0; i < in; i++) {
                first[j * in + i] = (float) (v.get(i, j) * root);
            }
        }
        return LowRank.of(k, first, second, total == 0 ? 0 : Math.sqrt(discarded / total), false);
    }
}

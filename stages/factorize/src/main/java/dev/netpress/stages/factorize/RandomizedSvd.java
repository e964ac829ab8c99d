package dev.netpress.stages.factorize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.netpress.exec.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Truncated SVD by randomized subspace iteration (Halko, Martinsson &amp; Tropp 2011, Alg. 4.4,
 * then the SVD of the projected matrix as in Alg. 5.1), for weights too large for an exact SVD.
 * The products with the weight run in libtorch (multi-threaded BLAS); EJML does the small dense
 * decompositions (Cholesky and symmetric eigen of l×l matrices).
 *
 * <p>It works on the short side: A is W or Wᵀ, s×t with s ≤ t, and G = AAᵀ is s×s.
 * <ol>
 *   <li>Q = Ω, a Gaussian s×l test matrix, l = rank + oversampling (orthonormalised first only
 *       when l &gt; 3s/4, where Ω's condition grows);
 *   <li>1 + powerIterations times Q = orth((G + δI)·Q): the range finder, re-orthonormalised
 *       after every application;
 *   <li>T = Qᵀ(G + δI)Q = ZΛZᵀ by EJML's symmetric eigen-decomposition. This is the exact SVD of
 *       the l×t matrix QᵀA in disguise: its left singular vectors are Z and σ² = λ − δ;
 *   <li>U = Q·Z_k, and the layer becomes (U·√σ)(√σ⁻¹·UᵀA), both products with A in libtorch.
 * </ol>
 * G is formed once, from the row blocks of A on and above the diagonal (5/8 of s²·t
 * multiply-adds), when that is cheaper than applying A and Aᵀ at every step, which holds from
 * rank ≈ s/(2·(powerIterations + 2)); the energy rule, which may sketch several times, always
 * forms it and widens its sketch by half each time until the energy is reached. The shift
 * δ = 10⁻⁶·‖A‖²_F leaves eigenvectors alone but bounds the condition of every sketch by about 10⁶,
 * so Cholesky-QR in double precision cannot break down on a rank-deficient weight. orth is
 * Cholesky-QR: R = chol(YᵀY) in EJML, Q = Y·R⁻¹ with R⁻¹ from libtorch; the final basis gets a
 * second pass (CholeskyQR2) to be orthonormal to working precision.
 *
 * <p>The reported error is √(‖A‖² − ‖UᵀA‖²)/‖A‖ from the float32 products, so it carries their
 * rounding: about ±10⁻³ when the true error is near zero, negligible at the errors of layers worth
 * factorizing.
 */
final class RandomizedSvd {
    private static final double SHIFT = 1e-6;
    /** The energy rule's first sketch width, unless twice the oversampling is wider. */
    private static final int FIRST_ENERGY_SKETCH = 256;
    private static final int GRAM_BLOCKS = 4;

    private final NDManager manager;
    private final NDArray weight;
    private final NDArray a;
    private final boolean outIsShort;
    private final int s;
    private final int t;
    private final double squaredNorm;
    private final double delta;
    private final FactorizeOptions options;
    private NDArray gram;

    private RandomizedSvd(NDManager manager, float[] w, int out, int in, double squaredNorm, FactorizeOptions options) {
        this.manager = manager;
        this.weight = manager.create(w, new Shape(out, in));
        this.outIsShort = out <= in;
        this.a = outIsShort ? weight : weight.transpose();
        this.s = Math.min(out, in);
        this.t = Math.max(out, in);
        this.squaredNorm = squaredNorm;
        this.delta = SHIFT * squaredNorm;
        this.options = options;
    }

    /** {@code squaredNorm} is ‖W‖²_F, positive and finite. */
    static LowRank factor(float[] w, int out, int in, double squaredNorm, RankTarget target, FactorizeOptions options) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            RandomizedSvd r = new RandomizedSvd(m, w, out, in, squaredNorm, options);
            return target instanceof RankTarget.Energy e ? r.byEnergy(e) : r.byRank(((RankTarget.Fixed) target).rank());
        }
    }

    private LowRank byRank(int k) {
        int l = Math.min(s, k + options.oversampling());
        int applications = options.powerIterations() + 2;
        if ((double) s * (t + (double) applications * l) < 2.0 * applications * t * l) {
            formGram();
        }
        NDArray q = basis(l);
        return factors(q, ritz(projected(q)), k);
    }

    private LowRank byEnergy(RankTarget.Energy target) {
        formGram();
        int p = options.oversampling();
        int widest = Math.min(s, target.maxRank() + 1 + p);
        double goal = target.threshold() * squaredNorm;
        for (int l = Math.min(widest, Math.max(FIRST_ENERGY_SKETCH, 2 * p)); ; l = Math.min(widest, l + l / 2)) {
            int usable = l == s ? s : l - p;
            NDArray q = basis(l);
            DMatrixRMaj projected = projected(q);
            // the trace is the energy the whole sketch captures: without it, no eigen-decomposition is worth its cost
            if (trace(projected) - l * delta >= goal) {
                Ritz ritz = ritz(projected);
                // Ritz values never exceed the true σ², so this rank never keeps less than the asked energy
                int k = RankTarget.energyRank(Arrays.copyOf(ritz.values, usable), squaredNorm, target.threshold());
                if (k <= target.maxRank()) {
                    return factors(q, ritz, k);
                }
                if (k <= usable) {
                    return LowRank.tooLarge(k, false, true);
                }
            }
            q.close();
            if (l == widest) {
                return LowRank.tooLarge(target.maxRank() + 1, true, true);
            }
        }
    }

    private void formGram() {
        if (gram == null) {
            gram = gram(a, s >= GRAM_BLOCKS * 256 ? GRAM_BLOCKS : 1);
        }
    }

    /**
     * AAᵀ from the products of A's row blocks on and above the diagonal, mirrored below it: with
     * four blocks that is 10 of 16 block products, 5/8 of a plain matMul's work.
     */
    static NDArray gram(NDArray a, int blocks) {
        long rows = a.getShape().get(0);
        List<NDArray> temporaries = new ArrayList<>();
        NDArray[] parts = new NDArray[blocks];
        for (int i = 0; i < blocks; i++) {
            parts[i] = keep(temporaries, a.get(new NDIndex("{}:{}", i * rows / blocks, (i + 1) * rows / blocks)));
        }
        NDArray[][] g = new NDArray[blocks][blocks];
        NDList blockRows = new NDList();
        for (int i = 0; i < blocks; i++) {
            for (int j = 0; j < blocks; j++) {
                g[i][j] = keep(temporaries, j >= i ? parts[i].matMul(keep(temporaries, parts[j].transpose()))
                        : g[j][i].transpose());
            }
            blockRows.add(keep(temporaries, NDArrays.concat(new NDList(g[i]), 1)));
        }
        NDArray result = NDArrays.concat(blockRows, 0);
        temporaries.forEach(NDArray::close);
        return result;
    }

    /** An orthonormal s×l basis (float64) of the dominant column space of A. */
    private NDArray basis(int l) {
        if (l >= s) {
            return manager.eye(s).toType(DataType.FLOAT64, false);
        }
        // a Gaussian s×l matrix has condition below about 14 up to l = 3s/4: the first sketch needs no orthonormal start
        NDArray q = 4L * l <= 3L * s ? gaussian(l) : cholQr(gaussian(l));
        for (int i = 0; i <= options.powerIterations(); i++) {
            NDArray y = timesShiftedGram(q);
            q.close();
            q = cholQr(y);
            y.close();
        }
        NDArray again = cholQr(q);
        q.close();
        return again;
    }

    private NDArray gaussian(int l) {
        SplittableRandom random = new SplittableRandom(options.seed());
        double[] g = new double[s * l];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian();
        }
        return manager.create(g, new Shape(s, l));
    }

    /** (G + δI)·q for a float64 s×l matrix q; the product with A runs in float32. */
    private NDArray timesShiftedGram(NDArray q) {
        try (NDArray q32 = q.toType(DataType.FLOAT32, false)) {
            NDArray gq;
            if (gram != null) {
                gq = gram.matMul(q32);
            } else {
                try (NDArray atq = a.transpose().matMul(q32)) {
                    gq = a.matMul(atq);
                }
            }
            try (NDArray g64 = gq.toType(DataType.FLOAT64, false); NDArray shifted = q.mul(delta)) {
                gq.close();
                return g64.add(shifted);
            }
        }
    }

    /**
     * Cholesky-QR: Q = Y·R⁻¹ with RᵀR = YᵀY. Should the Gram matrix not be numerically definite,
     * a tiny diagonal shift makes it so (shifted Cholesky-QR, Fukaya et al. 2020); the basis is
     * then a little off orthonormal, which the next pass repairs.
     */
    private NDArray cholQr(NDArray y) {
        int rows = (int) y.getShape().get(0);
        int l = (int) y.getShape().get(1);
        DMatrixRMaj c;
        try (NDArray yt = y.transpose(); NDArray gramY = yt.matMul(y)) {
            c = DMatrixRMaj.wrap(l, l, gramY.toDoubleArray());
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(l, true);
        if (!chol.decompose(c.copy())) {
            double shift = 11.0 * ((double) rows * l + (double) l * (l + 1)) * Math.ulp(1.0) * trace(c);
            for (int i = 0; i < l; i++) {
                c.add(i, i, shift);
            }
            if (!chol.decompose(c)) {
                throw new IllegalStateException("Cholesky-QR failed on a " + rows + "×" + l + " sketch");
            }
        }
        DMatrixRMaj lower = chol.getT(null);
        try (NDArray lo = manager.create(lower.data, new Shape(l, l)); NDArray inv = lo.inverse();
                NDArray invT = inv.transpose()) {
            return y.matMul(invT);
        }
    }

    /** T = Qᵀ(G + δI)Q as an EJML matrix, symmetrised against rounding. */
    private DMatrixRMaj projected(NDArray q) {
        int l = (int) q.getShape().get(1);
        DMatrixRMaj m;
        try (NDArray gq = timesShiftedGram(q); NDArray qt = q.transpose(); NDArray tt = qt.matMul(gq)) {
            m = DMatrixRMaj.wrap(l, l, tt.toDoubleArray());
        }
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < i; j++) {
                double v = (m.get(i, j) + m.get(j, i)) / 2;
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
        return m;
    }

    /** Ritz values σ² (shift removed), descending, and the matching eigenvectors of T. */
    private record Ritz(double[] values, DMatrixRMaj[] vectors) {}

    private Ritz ritz(DMatrixRMaj projected) {
        int l = projected.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(l, true, true);
        if (!eig.decompose(projected)) {
            throw new IllegalStateException("EJML's symmetric eigen-decomposition did not converge (size " + l + ")");
        }
        Integer[] order = IntStream.range(0, l).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> eig.getEigenvalue(i).real).reversed());
        double[] values = new double[l];
        DMatrixRMaj[] vectors = new DMatrixRMaj[l];
        for (int i = 0; i < l; i++) {
            values[i] = eig.getEigenvalue(order[i]).real - delta;
            vectors[i] = eig.getEigenVector(order[i]);
        }
        return new Ritz(values, vectors);
    }

    /** The layer's two factors at rank k from the basis Q and its Ritz vectors. */
    private LowRank factors(NDArray q, Ritz ritz, int k) {
        int l = (int) q.getShape().get(1);
        double[] zk = new double[l * k];
        for (int j = 0; j < k; j++) {
            double[] v = ritz.vectors[j].data;
            for (int r = 0; r < l; r++) {
                zk[r * k + j] = v[r];
            }
        }
        float[] u;
        float[] data;
        try (NDArray z = manager.create(zk, new Shape(l, k)); NDArray u64 = q.matMul(z);
                NDArray u32 = u64.toType(DataType.FLOAT32, false)) {
            u = u32.toFloatArray();
            // outIsShort: UᵀW, the k×in first factor before scaling; otherwise W·U, the out×k second one
            try (NDArray ut = u32.transpose(); NDArray p = outIsShort ? ut.matMul(weight) : weight.matMul(u32)) {
                data = p.toFloatArray();
            }
        }
        int out = outIsShort ? s : t;
        int in = outIsShort ? t : s;
        double[] squares = new double[k];
        for (int i = 0; i < data.length; i++) {
            int j = outIsShort ? i / in : i % k;
            squares[j] += (double) data[i] * data[i];
        }
        double kept = 0;
        double[] root = new double[k];
        for (int j = 0; j < k; j++) {
            kept += squares[j];
            // row or column j of the data has norm σⱼ: √σⱼ on each side balances the factors
            root[j] = squares[j] > 0 ? Math.sqrt(Math.sqrt(squares[j])) : 1;
        }
        float[] first = new float[k * in];
        float[] second = new float[out * k];
        if (outIsShort) {
            for (int i = 0; i < data.length; i++) {
                first[i] = (float) (data[i] / root[i / in]);
            }
            for (int i = 0; i < u.length; i++) {
                second[i] = (float) (u[i] * root[i % k]);
            }
        } else {
            for (int i = 0; i < data.length; i++) {
                second[i] = (float) (data[i] / root[i % k]);
            }
            for (int i = 0; i < u.length; i++) {
                first[(i % k) * in + i / k] = (float) (u[i] * root[i % k]);
            }
        }
        return LowRank.of(k, first, second, Math.sqrt(Math.max(0, squaredNorm - kept) / squaredNorm), true);
    }

    private static NDArray keep(List<NDArray> temporaries, NDArray x) {
        temporaries.add(x);
        return x;
    }

    private static double trace(DMatrixRMaj m) {
        double sum = 0;
        for (int i = 0; i < m.numRows; i++) {
            sum += m.get(i, i);
        }
        return sum;
    }
}

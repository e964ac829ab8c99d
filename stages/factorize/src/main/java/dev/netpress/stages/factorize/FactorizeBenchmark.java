package dev.netpress.stages.factorize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

/**
 * Times factorization of torchvision VGG16's first classifier layer size, 4096×25088, and checks
 * the randomized SVD's error against EJML's exact one on a 512×2048 matrix of the same kind. Not
 * part of the test suite; run it by hand with 2 GB of heap (the weight, its float copy and the
 * factors live on the Java heap; libtorch's copies do not):
 * {@code java -Xmx2g -Dai.djl.offline=true -cp <classpath> dev.netpress.stages.factorize.FactorizeBenchmark}.
 *
 * <p>The matrices are Gaussian noise of entry scale 1/√in (a bulk of singular values in
 * [1 − √(out/in), 1 + √(out/in)]) plus a low-rank part with singular values 20·e^(−i/100),
 * i &lt; out/8: a decaying head over a flat bulk, as in trained layers. Times are wall-clock and
 * process CPU seconds; on a shared machine the CPU seconds are the steadier figure. The pieces
 * section times single products and decompositions at the sizes the 50% run meets.
 */
public final class FactorizeBenchmark {
    private static final int OUT = 4096;
    private static final int IN = 25088;

    private FactorizeBenchmark() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        out.printf(Locale.ROOT, "factorize benchmark: %d cores, heap %d MB, load %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        Tensor big = matrix(OUT, IN, 7);
        int rank = RankTarget.percentRank(0.5, OUT);
        pieces(big, rank + FactorizeOptions.DEFAULT_OVERSAMPLING, out);
        for (FactorizeOptions o : List.of(FactorizeOptions.percentRemoved(0.5), FactorizeOptions.energy(0.9))) {
            Clock c = Clock.start();
            FactorizeResult r = LinearFactorizer.factorize(layer(big), o.withLayers(List.of("fc")));
            out.printf(Locale.ROOT, "%d×%d, %s: %s s wall, %s s cpu: %s%n", OUT, IN, o.ruleDescription(),
                    c.wall(), c.cpu(), r.describe());
        }
        compareWithExact(out);
        out.printf(Locale.ROOT, "load at the end: %s%n", loadAverage());
    }

    /** Exact and randomized on 512×2048, interleaved, twice each. */
    private static void compareWithExact(PrintStream out) {
        Graph g = layer(matrix(512, 2048, 8));
        for (FactorizeOptions rule : List.of(FactorizeOptions.percentRemoved(0.5), FactorizeOptions.energy(0.9))) {
            FactorizeOptions exact = rule.withLayers(List.of("fc")).withRandomized(Long.MAX_VALUE,
                    rule.oversampling(), rule.powerIterations());
            FactorizeOptions randomized = exact.withRandomized(0, rule.oversampling(), rule.powerIterations());
            double[] seconds = new double[2];
            FactorizeResult.Factorized[] found = new FactorizeResult.Factorized[2];
            for (int rep = 0; rep < 2; rep++) {
                for (int which = 0; which < 2; which++) {
                    int w = (rep + which) % 2; // alternate which one goes first
                    Clock c = Clock.start();
                    FactorizeResult r = LinearFactorizer.factorize(g, w == 0 ? exact : randomized);
                    seconds[w] += c.wallSeconds() / 2;
                    found[w] = r.factorized().get(0);
                }
            }
            out.printf(Locale.ROOT, "512×2048, %s: exact rank %d error %.5f in %.2f s; randomized rank %d error %.5f"
                    + " in %.2f s; error ratio %.4f, time ratio %.2f%n", rule.ruleDescription(), found[0].rank(),
                    found[0].relativeError(), seconds[0], found[1].rank(), found[1].relativeError(), seconds[1],
                    found[1].relativeError() / found[0].relativeError(), seconds[1] / seconds[0]);
        }
    }

    /** One product of each kind and one of each small decomposition the randomized SVD runs. */
    private static void pieces(Tensor w, int l, PrintStream out) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            NDArray a = m.create(w.toFloats(), new Shape(OUT, IN));
            NDArray q = m.randomNormal(new Shape(IN, l));
            Clock c = Clock.start();
            a.matMul(q).close();
            out.printf(Locale.ROOT, "libtorch float32 %d×%d·%d×%d: %s s wall, %s s cpu, %.0f GFLOP/s, %.0f GFLOP per cpu-s%n",
                    OUT, IN, IN, l, c.wall(), c.cpu(), 2.0 * OUT * IN * l / c.wallSeconds() / 1e9,
                    2.0 * OUT * IN * l / c.cpuSeconds() / 1e9);
            NDArray y = m.randomNormal(new Shape(OUT, l)).toType(DataType.FLOAT64, false);
            c = Clock.start();
            NDArray gram = y.transpose().matMul(y);
            out.printf(Locale.ROOT, "libtorch float64 Gram %d×%d: %s s wall, %s s cpu, %.0f GFLOP/s%n",
                    OUT, l, c.wall(), c.cpu(), 2.0 * OUT * l * l / c.wallSeconds() / 1e9);
            NDArray spd = gram.add(m.eye(l).toType(DataType.FLOAT64, false).mul(OUT));
            c = Clock.start();
            spd.inverse().close();
            out.printf(Locale.ROOT, "libtorch float64 inverse %d: %s s wall, %s s cpu%n", l, c.wall(), c.cpu());
            DMatrixRMaj s = DMatrixRMaj.wrap(l, l, spd.toDoubleArray());
            c = Clock.start();
            DecompositionFactory_DDRM.chol(l, true).decompose(s.copy());
            out.printf(Locale.ROOT, "EJML Cholesky %d: %s s wall, %s s cpu%n", l, c.wall(), c.cpu());
            c = Clock.start();
            DecompositionFactory_DDRM.eig(l, true, true).decompose(s.copy());
            out.printf(Locale.ROOT, "EJML symmetric eigen %d with vectors: %s s wall, %s s cpu%n", l, c.wall(), c.cpu());
            int n = 1024;
            DMatrixRMaj x = DMatrixRMaj.wrap(n, n, m.randomNormal(new Shape(n, n)).toType(DataType.FLOAT64, false)
                    .toDoubleArray());
            c = Clock.start();
            CommonOps_DDRM.mult(x, x, new DMatrixRMaj(n, n));
            out.printf(Locale.ROOT, "EJML multiply %d×%d·%d×%d: %s s wall, %.1f GFLOP/s%n", n, n, n, n, c.wall(),
                    2.0 * n * n * n / c.wallSeconds() / 1e9);
        }
    }

    /** A one-layer graph, fc [out, in] with a zero bias, reading input x. */
    private static Graph layer(Tensor weight) {
        int out = weight.shape().get(0);
        return Graph.builder().input("x", Dims.of(weight.shape().get(1)))
                .add(new Node("fc", Op.LINEAR, List.of("x"), Attrs.NONE,
                        Map.of("weight", weight, "bias", Tensor.zeros(Dims.of(out)))))
                .output("fc").build();
    }

    /** Gaussian noise of scale 1/√in plus a low-rank part with singular values about 20·e^(−i/100). */
    static Tensor matrix(int out, int in, long seed) {
        int rank = out / 8;
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[out * rank];
        float[] y = new float[rank * in];
        for (int i = 0; i < x.length; i++) {
            // columns of X and rows of Y have norm about 1, so the scales are about the singular values
            x[i] = (float) (r.nextGaussian() / Math.sqrt(out) * 20 * Math.exp(-(i % rank) / 100.0));
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (r.nextGaussian() / Math.sqrt(in));
        }
        float[] w;
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter();
                NDArray lowRank = m.create(x, new Shape(out, rank)).matMul(m.create(y, new Shape(rank, in)))) {
            w = lowRank.toFloatArray();
        }
        double noise = 1 / Math.sqrt(in);
        for (int i = 0; i < w.length; i++) {
            w[i] += (float) (noise * r.nextGaussian());
        }
        return Tensor.ofFloats(Dims.of(out, in), w);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Wall-clock and whole-process CPU time since start. */
    private record Clock(long wallStart, long cpuStart) {
        static Clock start() {
            return new Clock(System.nanoTime(), cpuNanos());
        }

        double wallSeconds() {
            return (System.nanoTime() - wallStart) / 1e9;
        }

        double cpuSeconds() {
            return (cpuNanos() - cpuStart) / 1e9;
        }

        String wall() {
            return String.format(Locale.ROOT, "%.2f", wallSeconds());
        }

        String cpu() {
            return String.format(Locale.ROOT, "%.2f", cpuSeconds());
        }

        private static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }
}

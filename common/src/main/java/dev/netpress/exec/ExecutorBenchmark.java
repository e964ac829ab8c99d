package dev.netpress.exec;

import ai.djl.engine.Engine;
import dev.netpress.train.Gradients;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.netpress.data.Batch;
import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphSummary;
import dev.netpress.graph.Node;
import dev.netpress.tensor.Tensor;
import dev.netpress.train.LossFunction;
import dev.netpress.train.OptimizerSpec;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The graph executor ({@link GraphBlock}) against the same network built from DJL's own layers in
 * a {@link SequentialBlock}, with the same weights, in one JVM. Not part of the test suite; run it
 * by hand (from the repository root):
 *
 * <pre>
 * mvn -q -B -o -pl common compile exec:exec -Dexec.executable=java \
 *   -Dexec.args="-Dai.djl.offline=true -Xss4m -cp %classpath dev.netpress.exec.ExecutorBenchmark"
 * </pre>
 *
 * <p>Three figures, each the median and 95th percentile of per-iteration wall time:
 * <ul>
 *   <li>batch-1 latency: eval mode under {@link NoGrad};
 *   <li>batch-N inference (N = 64 by default): eval mode under {@link NoGrad};
 *   <li>training step at batch N: forward in training mode, cross-entropy, backward, AdamW update
 *       of every trainable parameter and reading the loss back. Both contenders run the same hand
 *       loop, the one {@link dev.netpress.train.Learner} runs (no DJL Trainer, so the figures
 *       compare the executors, not the training frameworks).
 * </ul>
 * Every iteration, input creation and output read-back included, runs in a sub-manager that is
 * closed inside the timed region. The contenders are interleaved: each figure is measured in
 * rounds of {@code iterations} of one then {@code iterations} of the other, the order alternating
 * between rounds, after a warm-up of both, so machine noise falls on both alike. Inputs are
 * Fashion-MNIST training images padded to 32×32. Before timing, the outputs of both networks on
 * one batch are compared; they must agree to 1e-4.
 */
public final class ExecutorBenchmark {
    /** Largest |ours − DJL| allowed between the two networks' outputs. */
    public static final double TOLERANCE = 1e-4;

    private ExecutorBenchmark() {}

    /**
     * What to run.
     *
     * @param model zoo name
     * @param config zoo options (the input must be one channel of at least 28×28: Fashion-MNIST
     *     images are padded to it)
     * @param batchSize the batch of the batch-N inference and training figures
     * @param rounds interleaved rounds per figure
     * @param warmup untimed iterations of each contender before a figure's rounds
     * @param batch1Iterations iterations per round of the batch-1 figure
     * @param batchIterations iterations per round of the batch-N inference figure
     * @param trainIterations iterations per round of the training figure
     */
    public record Options(String model, ZooConfig config, int batchSize, int rounds, int warmup,
            int batch1Iterations, int batchIterations, int trainIterations) {
        public Options {
            if (batchSize < 1 || rounds < 1 || warmup < 0 || batch1Iterations < 1 || batchIterations < 1
                    || trainIterations < 1) {
                throw new IllegalArgumentException("benchmark sizes must be positive");
            }
            if (config.inChannels() != 1 || config.imageSize() < 28 || (config.imageSize() - 28) % 2 != 0) {
                throw new IllegalArgumentException("the benchmark feeds Fashion-MNIST: one channel, 28 + 2k pixels");
            }
        }

        /** The benchmark: vgg16_bn/4 on 32×32 Fashion-MNIST, batch 64; under a minute on 2 idle cores. */
        public static Options defaults() {
            return new Options("vgg16_bn", ZooConfig.fashionMnist(), 64, 5, 10, 150, 25, 15);
        }

        public Options withIterations(int rounds, int warmup, int batch1, int batch, int train) {
            return new Options(model, config, batchSize, rounds, warmup, batch1, batch, train);
        }

        public Options withModel(String name, ZooConfig c) {
            return new Options(name, c, batchSize, rounds, warmup, batch1Iterations, batchIterations, trainIterations);
        }

        public Options withBatchSize(int n) {
            return new Options(model, config, n, rounds, warmup, batch1Iterations, batchIterations, trainIterations);
        }
    }

    /** Median and 95th percentile of one contender's iteration times, in milliseconds. */
    public record Stats(double medianMs, double p95Ms, int samples) {
        static Stats of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
            int p95 = Math.max(0, (int) Math.ceil(0.95 * n) - 1);
            return new Stats(median / 1e6, s[p95] / 1e6, n);
        }
    }

    /** One figure for both contenders; {@link #ratio()} is ours / DJL's median. */
    public record Comparison(String name, Stats ours, Stats djl) {
        public double ratio() {
            return ours.medianMs() / djl.medianMs();
        }
    }

    /**
     * @param maxAbsDiff largest |ours − DJL| over the outputs for one batch, eval mode
     * @param intraOpThreads libtorch's intra-op thread count during the run
     */
    public record Result(double maxAbsDiff, int intraOpThreads, Comparison batch1, Comparison batchN,
            Comparison train) {
        public List<Comparison> figures() {
            return List.of(batch1, batchN, train);
        }
    }

    public static void main(String[] args) {
        Options o = Options.defaults();
        if (args.length > 0) {
            o = o.withModel(args[0], o.config());
        }
        run(System.out, o);
    }

    public static Result run(PrintStream out, Options o) {
        Engine.getEngine("PyTorch"); // loads libtorch before the first direct JNI call
        Graph graph = Zoo.build(o.model(), o.config());
        GraphSummary summary = GraphSummary.of(graph);
        out.printf("%s: %,d parameters, %,d MACs per image; intra-op threads %d, inter-op %d%n", o.model(),
                summary.parameters(), summary.macs(), JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        List<float[]> batches = fashionMnist(o);
        long[] shapeN = {o.batchSize(), 1, o.config().imageSize(), o.config().imageSize()};
        long[] shape1 = {1, 1, o.config().imageSize(), o.config().imageSize()};
        int image = o.config().imageSize() * o.config().imageSize();
        List<float[]> singles = new ArrayList<>();
        for (float[] b : batches) {
            for (int i = 0; i < 4; i++) {
                singles.add(Arrays.copyOfRange(b, i * image, (i + 1) * image));
            }
        }
        int[] labels = new int[o.batchSize()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % o.config().numClasses();
        }

        try (NDManager oursManager = NDManager.newBaseManager(); NDManager djlManager = NDManager.newBaseManager()) {
            Contender ours = new Contender("graph executor", GraphBlock.create(graph, oursManager), oursManager);
            Contender djl = new Contender("DJL SequentialBlock", sequential(graph, djlManager), djlManager);

            double diff = maxAbsDiff(ours, djl, batches.get(0), shapeN);
            out.printf("max |ours - DJL| over one batch of %d logits (eval): %.3g%n", o.batchSize(), diff);
            if (!(diff <= TOLERANCE)) {
                throw new IllegalStateException("the two networks disagree: max |diff| " + diff + " > " + TOLERANCE);
            }

            Comparison b1 = compare("batch-1 latency (eval, no grad)", o, o.batch1Iterations(), ours, djl,
                    c -> c.infer(next(c, singles), shape1));
            Comparison bn = compare("batch-" + o.batchSize() + " inference (eval, no grad)", o, o.batchIterations(),
                    ours, djl, c -> c.infer(next(c, batches), shapeN));
            Comparison tr = compare("train step, batch " + o.batchSize() + " (fwd+CE+bwd+AdamW)", o,
                    o.trainIterations(), ours, djl, c -> c.trainStep(next(c, batches), shapeN, labels));
            Result r = new Result(diff, JniUtils.getNumThreads(), b1, bn, tr);
            print(out, o, r);
            return r;
        }
    }

    private static void print(PrintStream out, Options o, Result r) {
        out.printf("%n%-42s %21s %21s %7s%n", "", "graph executor", "DJL SequentialBlock", "ratio");
        out.printf("%-42s %10s %10s %10s %10s %7s%n", "", "median", "p95", "median", "p95", "ours/DJL");
        for (Comparison c : r.figures()) {
            out.printf("%-42s %7.2f ms %7.2f ms %7.2f ms %7.2f ms %7.2f%n", c.name(), c.ours().medianMs(),
                    c.ours().p95Ms(), c.djl().medianMs(), c.djl().p95Ms(), c.ratio());
        }
        Comparison tr = r.train();
        out.printf("training throughput: %.0f images/s (ours) vs %.0f images/s (DJL)%n",
                o.batchSize() * 1000 / tr.ours().medianMs(), o.batchSize() * 1000 / tr.djl().medianMs());
        out.printf("(%d rounds, interleaved, each after %d warm-up iterations; samples per contender: %d / %d / %d)%n",
                o.rounds(), o.warmup(), r.batch1().ours().samples(), r.batchN().ours().samples(),
                r.train().ours().samples());
    }

    private interface Step {
        void run(Contender c);
    }

    private static Comparison compare(String name, Options o, int iterations, Contender a, Contender b, Step step) {
        for (int i = 0; i < o.warmup(); i++) {
            step.run(a);
            step.run(b);
        }
        long[] ta = new long[o.rounds() * iterations];
        long[] tb = new long[o.rounds() * iterations];
        int k = 0;
        for (int r = 0; r < o.rounds(); r++) {
            Contender first = r % 2 == 0 ? a : b;
            Contender second = r % 2 == 0 ? b : a;
            long[] tFirst = first == a ? ta : tb;
            long[] tSecond = first == a ? tb : ta;
            for (int i = 0; i < iterations; i++) {
                tFirst[k + i] = time(first, step);
            }
            for (int i = 0; i < iterations; i++) {
                tSecond[k + i] = time(second, step);
            }
            k += iterations;
        }
        return new Comparison(name, Stats.of(ta), Stats.of(tb));
    }

    private static long time(Contender c, Step step) {
        long t0 = System.nanoTime();
        step.run(c);
        return System.nanoTime() - t0;
    }

    private static float[] next(Contender c, List<float[]> inputs) {
        return inputs.get(c.cursor++ % inputs.size());
    }

    private static double maxAbsDiff(Contender a, Contender b, float[] x, long[] shape) {
        float[] ya = a.forwardEval(x, shape);
        float[] yb = b.forwardEval(x, shape);
        if (ya.length != yb.length) {
            throw new IllegalStateException("output sizes differ: " + ya.length + " vs " + yb.length);
        }
        double max = 0;
        for (int i = 0; i < ya.length; i++) {
            max = Math.max(max, Math.abs((double) ya[i] - yb[i]));
        }
        return max;
    }

    /** One network with its parameters, optimizer state and input cursor. */
    private static final class Contender {
        final String name;
        final Block block;
        final NDManager manager;
        final ParameterStore parameters;
        final Optimizer optimizer;
        final List<Parameter> trainable = new ArrayList<>();
        final LossFunction loss = LossFunction.crossEntropy();
        int cursor;
        float sink;

        Contender(String name, Block block, NDManager manager) {
            this.name = name;
            this.block = block;
            this.manager = manager;
            this.parameters = new ParameterStore(manager, false);
            this.optimizer = OptimizerSpec.adam().build(ai.djl.training.tracker.Tracker.fixed(1e-4f));
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable.add(p.getValue());
                }
            }
        }

        float[] forwardEval(float[] x, long[] shape) {
            try (NoGrad ng = NoGrad.enter(); NDManager sub = manager.newSubManager()) {
                NDArray in = sub.create(x, new Shape(shape));
                return block.forward(parameters, new NDList(in), false).head().toFloatArray();
            }
        }

        void infer(float[] x, long[] shape) {
            float[] y = forwardEval(x, shape);
            sink += y[0];
        }

        /** The step {@link dev.netpress.train.Learner} runs, on any block. */
        void trainStep(float[] x, long[] shape, int[] labels) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray in = sub.create(x, new Shape(shape));
                long[] y = new long[labels.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = labels[i];
                }
                NDArray target = sub.create(y);
                NDArray l;
                try (GradientCollector gc = Gradients.collect()) {
                    NDArray logits = block.forward(parameters, new NDList(in), true).head();
                    l = loss.compute(logits, target);
                    gc.backward(l);
                }
                for (Parameter p : trainable) {
                    NDArray w = p.getArray();
                    try (NDArray g = w.getGradient()) {
                        optimizer.update(p.getId(), w, g);
                    }
                }
                sink += l.getFloat();
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The first batches of the Fashion-MNIST training split, padded to the configured size. */
    private static List<float[]> fashionMnist(Options o) {
        int pad = (o.config().imageSize() - 28) / 2;
        List<float[]> out = new ArrayList<>();
        try (DataLoader loader = DataLoader.builder(FashionMnist.bundled(Split.TRAIN), o.batchSize())
                .transform(new Pad(pad)).dropLast(true).build()) {
            Iterator<Batch> it = loader.epoch(0).iterator();
            while (it.hasNext() && out.size() < 4) {
                out.add(it.next().x());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no Fashion-MNIST batch of " + o.batchSize());
        }
        return out;
    }

    /**
     * The graph rebuilt from DJL's own layers, initialised and given the graph's weights. Only
     * chains of the ops VGG uses are supported.
     */
    static SequentialBlock sequential(Graph graph, NDManager manager) {
        SequentialBlock seq = new SequentialBlock();
        List<Node> withParams = new ArrayList<>();
        List<Block> paramBlocks = new ArrayList<>();
        String previous = graph.inputs().get(0).name();
        for (Node n : graph.nodes()) {
            if (n.inputs().size() != 1 || !n.inputs().get(0).equals(previous)) {
                throw new IllegalArgumentException("only chains are supported; node '" + n.name() + "' is not");
            }
            previous = n.name();
            Block b = djlBlock(n);
            seq.add(b);
            if (!n.params().isEmpty()) {
                withParams.add(n);
                paramBlocks.add(b);
            }
        }
        long[] in = graph.inputs().get(0).shape().withBatch(1);
        seq.initialize(manager, DataType.FLOAT32, new Shape(in));
        for (int i = 0; i < withParams.size(); i++) {
            Node n = withParams.get(i);
            PairList<String, Parameter> ps = paramBlocks.get(i).getDirectParameters();
            for (Map.Entry<String, Tensor> e : n.params().entrySet()) {
                Parameter p = ps.get(djlParameterName(n, e.getKey()));
                NDArray a = p.getArray();
                if (!Arrays.equals(a.getShape().getShape(), e.getValue().shape().toLongArray())) {
                    throw new IllegalStateException(n.name() + "." + e.getKey() + ": DJL shape " + a.getShape()
                            + " vs " + e.getValue().shape());
                }
                a.set(e.getValue().toFloats());
            }
        }
        return seq;
    }

    private static Block djlBlock(Node n) {
        Attrs a = n.attrs();
        return switch (n.op()) {
            case CONV2D -> {
                long[] w = n.param("weight").shape().toLongArray();
                yield Conv2d.builder().setFilters((int) w[0]).setKernelShape(new Shape(w[2], w[3]))
                        .optStride(pair(a.getPair("stride", new int[] {1, 1})))
                        .optPadding(pair(a.getPair("padding", new int[] {0, 0})))
                        .optDilation(pair(a.getPair("dilation", new int[] {1, 1})))
                        .optGroups(a.getInt("groups", 1)).optBias(n.param("bias") != null).build();
            }
            // DJL's momentum is the weight of the old running value: DJL 0.9 == PyTorch 0.1
            case BATCHNORM -> BatchNorm.builder().optEpsilon((float) a.getDouble("eps", 1e-5))
                    .optMomentum((float) (1 - a.getDouble("momentum", 0.1))).build();
            case RELU -> Activation.reluBlock();
            case MAXPOOL -> {
                int[] k = a.getPair("kernel", new int[] {1, 1});
                yield Pool.maxPool2dBlock(pair(k), pair(a.getPair("stride", k)),
                        pair(a.getPair("padding", new int[] {0, 0})), a.getBool("ceil_mode", false));
            }
            case GLOBAL_AVGPOOL -> Pool.globalAvgPool2dBlock();
            case ADAPTIVE_AVGPOOL -> {
                int[] s = a.getPair("output_size", new int[] {1, 1});
                if (s[0] != 1 || s[1] != 1) {
                    throw new IllegalArgumentException("DJL has no adaptive average pool to " + s[0] + "×" + s[1]);
                }
                yield Pool.globalAvgPool2dBlock();
            }
            case FLATTEN -> Blocks.batchFlattenBlock();
            case LINEAR -> Linear.builder().setUnits(n.param("weight").shape().get(0))
                    .optBias(n.param("bias") != null).build();
            case DROPOUT -> Dropout.builder().optRate((float) a.getDouble("p", 0.5)).build();
            default -> throw new IllegalArgumentException("no DJL layer for " + n.op() + " in this benchmark");
        };
    }

    private static String djlParameterName(Node n, String role) {
        return switch (n.op()) {
            case BATCHNORM -> switch (role) {
                case "weight" -> "gamma";
                case "bias" -> "beta";
                case "running_mean" -> "runningMean";
                case "running_var" -> "runningVar";
                default -> throw new IllegalArgumentException(role);
            };
            default -> role;
        };
    }

    private static Shape pair(int[] p) {
        return new Shape(p[0], p[1]);
    }
}

package dev.netpress.stages.prune;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Small zoo models for Fashion-MNIST-shaped input, and running them. */
final class Models {
    static final int BATCH = 2;

    private Models() {}

    static Graph zoo(String name) {
        return Zoo.build(name, ZooConfig.builder().optInChannels(1).optWidth(0.25).optImageSize(32).optNumClasses(10)
                .optSmallInputStem(true).optVggPoolSize(1).optClassifierHidden(64).optInit(ZooConfig.Init.LAYER_DEFAULT)
                .optSeed(3).build());
    }

    /**
     * The model with random batch-norm parameters and statistics, as after training: with the zoo's
     * identity batch norms a wrongly sliced statistic would go unnoticed.
     */
    static Graph withTrainedLookingBatchNorms(Graph g, long seed) {
        Random r = new Random(seed);
        return g.mapNodes(n -> {
            if (n.op() != Op.BATCHNORM) {
                return n;
            }
            int c = n.param("weight").shape().get(0);
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("weight", values(c, () -> 0.5f + r.nextFloat()));
            p.put("bias", values(c, () -> (float) r.nextGaussian() * 0.2f));
            p.put("running_mean", values(c, () -> (float) r.nextGaussian() * 0.2f));
            p.put("running_var", values(c, () -> 0.5f + r.nextFloat()));
            return n.withParams(p);
        });
    }

    private static Tensor values(int n, java.util.function.Supplier<Float> f) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.get();
        }
        return Tensor.ofFloats(Dims.of(n), v);
    }

    static float[] input(long seed) {
        Random r = new Random(seed);
        float[] x = new float[BATCH * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static float[] run(Graph g, float[] x) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            Shape shape = new Shape(g.inputs().get(0).shape().withBatch(BATCH));
            return block.forward(new ParameterStore(m, false), new NDList(m.create(x, shape)), false).head().toFloatArray();
        }
    }

    static DataLoader data(int examples) {
        return DataLoader.builder(FashionMnist.bundled(Split.TRAIN).first(examples), BATCH).transform(new Pad(2)).build();
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("outputs differ in length: " + a.length + " and " + b.length);
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}

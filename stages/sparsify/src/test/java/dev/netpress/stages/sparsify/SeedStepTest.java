package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.data.Batch;
import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.stages.prune.Prune;
import dev.netpress.stages.prune.PruneOptions;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The seed step of the pipeline: the baseline vgg16_bn/4, briefly trained, sparsified to 50% of
 * its conv filters (global context, large_final, cos schedule) while fine-tuning for 2 epochs,
 * then pruned: the zeroed filters are removed and the outputs stay the same.
 */
class SeedStepTest {
    @Test
    void halfOfTheBaselinesConvFiltersGoWithTheirBatchNorms() {
        try (DataLoader train = DataLoader.builder(FashionMnist.bundled(Split.TRAIN), 64).transform(new Pad(2))
                        .shuffle(true).seed(1).prefetch(true).build();
                DataLoader valid = DataLoader.builder(FashionMnist.bundled(Split.TEST), 256).transform(new Pad(2)).build()) {
            Graph trained;
            double dense;
            try (Learner l = Learner.builder(Zoo.build("vgg16_bn", ZooConfig.fashionMnist()), train).optValid(valid)
                    .optSeed(1).build()) {
                List<EpochResult> r = l.fitOneCycle(1, 1e-3);
                trained = l.graph();
                dense = r.get(0).accuracy();
            }
            // the ramp ends at 3/4 of fine-tuning: one-cycle's learning rate is near zero at the very end,
            // too low to recover from the last filters removed there
            SparsifyOptions o = SparsifyOptions.builder().optSparsity(50).optGranularity("filter").optContext("global")
                    .optCriteria("large_final").optSchedule("cos").optEnd(0.75).optEpochs(2).optLr(1e-3).build();
            SparsifyResult r = Sparsify.apply(trained, train, valid, o);
            System.out.printf(Locale.ROOT, "accuracy: %.4f dense after 1 epoch, %.4f at 50%% of conv filters%n", dense,
                    r.accuracy());

            Graph g = r.graph();
            int filters = 0;
            int dead = 0;
            for (Node conv : g.nodes()) {
                if (conv.op() != Op.CONV2D) {
                    continue;
                }
                float[] w = conv.param("weight").toFloats();
                float[] bias = conv.param("bias").toFloats();
                Node bn = g.consumers(conv.name()).get(0);
                assertEquals(Op.BATCHNORM, bn.op());
                float[] gamma = bn.param("weight").toFloats();
                float[] beta = bn.param("bias").toFloats();
                int units = conv.param("weight").shape().get(0);
                int per = w.length / units;
                for (int o2 = 0; o2 < units; o2++) {
                    int zeros = 0;
                    for (int i = o2 * per; i < (o2 + 1) * per; i++) {
                        zeros += w[i] == 0f ? 1 : 0;
                    }
                    filters++;
                    if (zeros == per) {
                        dead++;
                        // == rather than assertEquals: a masked negative value is -0.0, which is zero too
                        assertTrue(bias[o2] == 0f, conv.name() + " bias " + o2 + " is " + bias[o2]);
                        assertTrue(gamma[o2] == 0f, bn.name() + " gamma " + o2 + " is " + gamma[o2]);
                        assertTrue(beta[o2] == 0f, bn.name() + " beta " + o2 + " is " + beta[o2]);
                    } else {
                        assertEquals(0, zeros, conv.name() + " filter " + o2 + " is partly zero");
                    }
                }
            }
            assertEquals(1056, filters);
            assertTrue(Math.abs(dead - filters / 2) <= 1, dead + " of " + filters + " filters are zero");
            assertTrue(r.accuracy() > 0.5, "accuracy " + r.accuracy());

            // then prune: the zeroed filters leave the model, which shrinks and computes the same
            Graph pruned = Prune.apply(g, PruneOptions.builder().build()).graph();
            long convBefore = convParams(g);
            long convAfter = convParams(pruned);
            System.out.printf(Locale.ROOT, "conv parameters %,d -> %,d (%.2fx), all parameters %,d -> %,d%n", convBefore,
                    convAfter, (double) convBefore / convAfter, g.parameterCount(), pruned.parameterCount());
            assertTrue(convBefore >= 2 * convAfter, convBefore + " -> " + convAfter);
            Batch b = valid.epoch(0).iterator().next();
            float[] sparse = logits(g, b);
            float[] small = logits(pruned, b);
            double worst = 0;
            for (int i = 0; i < sparse.length; i++) {
                worst = Math.max(worst, Math.abs(sparse[i] - small[i]));
            }
            assertTrue(worst <= 1e-4, "max |difference| of logits " + worst);
        }
    }

    private static long convParams(Graph g) {
        return g.nodes().stream().filter(n -> n.op() == Op.CONV2D)
                .mapToLong(n -> n.param("weight").numel() + n.param("bias").numel()).sum();
    }

    private static float[] logits(Graph g, Batch b) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            return GraphBlock.create(g, m).forward(new ParameterStore(m, false),
                    new NDList(m.create(b.x(), new Shape(b.shape()))), false).head().toFloatArray();
        }
    }
}

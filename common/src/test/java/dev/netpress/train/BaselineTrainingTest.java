package dev.netpress.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.graph.Graph;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The baseline: vgg16_bn/4 on the bundled Fashion-MNIST reaches ≥ 88% in 3 epochs. */
class BaselineTrainingTest {
    @Test
    void vgg16BnQuarterWidthReaches88PercentInThreeEpochs() {
        Graph g = Zoo.build("vgg16_bn", ZooConfig.fashionMnist());
        try (DataLoader train = DataLoader.builder(FashionMnist.bundled(Split.TRAIN), 64).transform(new Pad(2))
                        .shuffle(true).seed(1).prefetch(true).build();
                DataLoader valid = DataLoader.builder(FashionMnist.bundled(Split.TEST), 256).transform(new Pad(2)).build();
                Learner learner = Learner.builder(g, train).optValid(valid).optSeed(1)
                        .addCallback(new ProgressCallback(System.out, false)).build()) {
            List<EpochResult> epochs = learner.fitOneCycle(3, 1e-3);
            assertEquals(3, epochs.size());
            double acc = epochs.get(2).accuracy();
            assertTrue(acc >= 0.88, "accuracy " + acc);
            assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss());
        }
    }
}

package dev.netpress.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.graph.Graph;
import dev.netpress.tensor.Dims;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every zoo model runs on the engine, and its saved-and-loaded artifact gives identical outputs. */
class ZooExecutionTest {
    static java.util.List<String> models() {
        return Zoo.names();
    }

    @ParameterizedTest
    @MethodSource("models")
    void savedAndLoadedModelGivesBitIdenticalOutputs(String name, @TempDir Path dir) throws Exception {
        ZooConfig c = ZooConfig.builder().optWidth(0.125).optImageSize(32).optNumClasses(10).optSmallInputStem(true)
                .optVggPoolSize(1).optClassifierHidden(64).optSeed(3).build();
        Graph g = Zoo.build(name, c);
        LoadedArtifact back = Artifacts.load(Artifacts.save(new Artifact(g, ModelCard.of(name, "lineage-1", "zoo:" + name)),
                dir.resolve(name + ".safetensors")).path());
        float[] x = new float[4 * 3 * 32 * 32];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] before = run(g, x);
        float[] after = run(back.graph(), x);
        assertEquals(4 * 10, before.length);
        assertArrayEquals(before, after, "outputs must be bit-identical after save and load");
    }

    private static float[] run(Graph g, float[] x) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            Dims in = g.inputs().get(0).shape();
            return block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(in.withBatch(4)))), false)
                    .head().toFloatArray();
        }
    }
}

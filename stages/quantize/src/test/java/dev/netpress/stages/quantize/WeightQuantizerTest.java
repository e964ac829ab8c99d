package dev.netpress.stages.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphException;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightQuantizerTest {
    @Test
    void perChannelSymmetricValuesAreExact() {
        // channel 0: max 2 → scale 2/127; channel 1 all zero → scale 1, stays zero
        Graph g = Graph.builder().input("x", Dims.of(3))
                .add(new Node("fc", Op.LINEAR, List.of("x"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(2, 3), 2f, -1f, 0.5f, 0f, 0f, 0f))))
                .output("fc").build();
        QuantizeResult r = WeightQuantizer.quantize(g, QuantizeOptions.defaults());
        Node q = r.graph().node("fc");
        assertEquals(DType.I8, q.param("weight").dtype());
        float[] values = q.param("weight").toFloats();
        assertEquals(127f, values[0]);
        assertEquals(-64f, values[1]); // -1 / (2/127) = -63.5 rounds half to even
        assertEquals(32f, values[2]); // 0.5 / (2/127) = 31.75
        assertEquals(0f, values[3]);
        float[] scales = q.param("weight_scale").toFloats();
        assertEquals(2f / 127, scales[0], 1e-9);
        assertEquals(1f, scales[1]);
        assertEquals(24.0 / (6 + 2 * 4), r.compression(), 1e-9); // 24 float bytes → 6 int8 bytes + 2 float scales
    }

    @Test
    void quantizedBaselineIsAboutFourTimesSmallerAndComputesNearlyTheSame(@TempDir Path dir) throws Exception {
        Graph g = Zoo.build("vgg16_bn", ZooConfig.fashionMnist());
        QuantizeResult r = WeightQuantizer.quantize(g, QuantizeOptions.defaults());
        assertEquals(16, r.layers().size()); // 13 convs + 3 linears
        r.layers().forEach(l -> assertTrue(l.maxRelativeError() <= 0.5 / 127 + 1e-6, l.toString()));
        assertEquals(g.parameterCount(), r.graph().parameterCount());

        ModelCard card = ModelCard.of("vgg16_bn", "l1", "test");
        long before = Artifacts.save(new Artifact(g, card), dir.resolve("f32.safetensors")).bytes();
        long after = Artifacts.save(new Artifact(r.graph(), card), dir.resolve("i8.safetensors")).bytes();
        assertTrue((double) before / after > 3.5, "artifact " + before + " → " + after + " bytes");

        LoadedArtifact back = Artifacts.load(dir.resolve("i8.safetensors"));
        float[] x = new float[8 * 32 * 32];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        float[] ref = run(g, x);
        float[] quant = run(back.graph(), x);
        double dot = 0, a2 = 0, b2 = 0;
        for (int i = 0; i < ref.length; i++) {
            dot += ref[i] * quant[i];
            a2 += ref[i] * ref[i];
            b2 += quant[i] * quant[i];
        }
        assertTrue(dot / Math.sqrt(a2 * b2) > 0.999, "cosine similarity of logits " + dot / Math.sqrt(a2 * b2));
        assertTrue(Files.size(dir.resolve("i8.safetensors")) == after);
    }

    @Test
    void skippedLayersStayFloatAndUnknownNamesAreRefused() {
        Graph g = Zoo.build("vgg11_bn", ZooConfig.fashionMnist());
        QuantizeResult r = WeightQuantizer.quantize(g, QuantizeOptions.defaults().withSkip(List.of("features.0", "classifier.6")));
        assertEquals(DType.F32, r.graph().node("features.0").param("weight").dtype());
        assertEquals(DType.I8, r.graph().node("features.4").param("weight").dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightQuantizer.quantize(g, QuantizeOptions.defaults().withSkip(List.of("nope"))));
        assertTrue(e.getMessage().contains("'nope'"));
    }

    @Test
    void anInt8WeightWithoutScalesIsAnInvalidGraph() {
        GraphException e = assertThrows(GraphException.class, () -> Graph.builder().input("x", Dims.of(3))
                .add(new Node("fc", Op.LINEAR, List.of("x"), Attrs.NONE,
                        Map.of("weight", Tensor.ofFloats(Dims.of(2, 3), new float[6]).to(DType.I8))))
                .output("fc").build());
        assertTrue(e.getMessage().contains("weight_scale"), e.getMessage());
    }

    private static float[] run(Graph g, float[] x) {
        try (NDManager m = NDManager.newBaseManager(); NoGrad ng = NoGrad.enter()) {
            GraphBlock block = GraphBlock.create(g, m);
            return block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(8, 1, 32, 32))), false)
                    .head().toFloatArray();
        }
    }
}

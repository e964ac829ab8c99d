package dev.netpress.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphJson;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArtifactTest {
    /** Every zoo architecture at a size that saves in milliseconds. */
    static Graph tinyModel(String name) {
        return Zoo.build(name, ZooConfig.builder().optWidth(0.125).optImageSize(32).optNumClasses(10)
                .optSmallInputStem(true).optVggPoolSize(1).optClassifierHidden(64).build());
    }

    static ModelCard card(String name) {
        return ModelCard.of(name, "lineage-" + name, "zoo:" + name)
                .withMetric("accuracy", 0.9137).withMetric("params", 1_256_442)
                .withProvenance("dataset", "fashion-mnist");
    }

    static Stream<String> zooNames() {
        return Zoo.names().stream();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static void assertSameArtifact(Artifact expected, Artifact actual) {
        assertEquals(GraphJson.write(expected.graph()), GraphJson.write(actual.graph()));
        assertEquals(expected.card(), actual.card());
        Map<String, Tensor> want = expected.graph().tensors();
        Map<String, Tensor> got = actual.graph().tensors();
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
        want.forEach((name, t) -> assertTrue(t.contentEquals(got.get(name)), name));
    }

    @ParameterizedTest
    @MethodSource("zooNames")
    void everyZooModelRoundTripsBitExactly(String name, @TempDir Path dir) throws Exception {
        Artifact artifact = new Artifact(tinyModel(name), card(name));
        Path file = dir.resolve(name + ".safetensors");

        ArtifactRef saved = Artifacts.save(artifact, file);
        LoadedArtifact loaded = Artifacts.load(file);

        assertSameArtifact(artifact, loaded.artifact());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(sha256(bytes), saved.sha256());
        assertEquals(saved, loaded.ref());
        assertEquals(bytes.length, saved.bytes());
        assertSameArtifact(artifact, Artifacts.load(file, saved.sha256().toUpperCase()).artifact());
    }

    @Test
    void savingIsDeterministicAndLoadingThenSavingChangesNothing(@TempDir Path dir) throws IOException {
        Artifact artifact = new Artifact(tinyModel("resnet18"), card("resnet18"));
        ArtifactRef a = Artifacts.save(artifact, dir.resolve("a.safetensors"));
        ArtifactRef b = Artifacts.save(artifact, dir.resolve("b.safetensors"));
        ArtifactRef c = Artifacts.save(Artifacts.load(a.path()).artifact(), dir.resolve("c.safetensors"));

        byte[] first = Files.readAllBytes(a.path());
        assertArrayEquals(first, Files.readAllBytes(b.path()));
        assertArrayEquals(first, Files.readAllBytes(c.path()));
        assertEquals(a.sha256(), b.sha256());
        assertEquals(a.sha256(), c.sha256());
    }

    @Test
    void halfPrecisionAndInt8TensorsRoundTrip(@TempDir Path dir) throws IOException {
        Tensor w1 = Tensor.ofFloats(Dims.of(3, 4), 1f, -2f, 0.5f, 65504f, 1e-7f, -0f, 3.25f, 7f, 8f, -9f, 10f, 0.1f);
        Tensor w2 = Tensor.of(DType.I8, Dims.of(2, 3), ByteBuffer.wrap(new byte[] {-128, -1, 0, 1, 42, 127}));
        Graph g = Graph.builder().input("x", Dims.of(4))
                .add(new Node("fc1", Op.LINEAR, List.of("x"), null,
                        Map.of("weight", w1.to(DType.F16), "bias", Tensor.ofFloats(Dims.of(3), 1f, Float.NaN, -3e38f).to(DType.BF16))))
                .add(new Node("fc2", Op.LINEAR, List.of("fc1"), null,
                        Map.of("weight", w2, "bias", Tensor.ofFloats(Dims.of(2), 0.25f, -0.75f),
                                "weight_scale", Tensor.ofFloats(Dims.of(2), 0.01f, 0.02f))))
                .output("fc2").build();
        Artifact artifact = new Artifact(g, ModelCard.of("mixed", "l1", "test"));
        Path file = dir.resolve("mixed.safetensors");

        Artifacts.save(artifact, file);
        LoadedArtifact loaded = Artifacts.load(file);

        assertSameArtifact(artifact, loaded.artifact());
        assertEquals(DType.F16, loaded.graph().node("fc1").param("weight").dtype());
        assertEquals(DType.BF16, loaded.graph().node("fc1").param("bias").dtype());
        assertEquals(DType.I8, loaded.graph().node("fc2").param("weight").dtype());
    }

    @Test
    void saveLeavesNoTemporaryFileAndReplacesAnExistingArtifact(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Artifacts.save(new Artifact(tinyModel("vgg11"), card("vgg11")), file);
        ArtifactRef second = Artifacts.save(new Artifact(tinyModel("mobilenet_v2"), card("mobilenet_v2")), file);

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals("mobilenet_v2", Artifacts.load(file, second.sha256()).card().name());
    }

    @Test
    void aFailedSaveLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.createDirectory(file); // the final rename cannot replace a directory
        Artifact artifact = new Artifact(tinyModel("vgg11"), card("vgg11"));

        assertThrows(IOException.class, () -> Artifacts.save(artifact, file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void cardJsonRoundTripsAndIgnoresUnknownFields() {
        ModelCard root = card("vgg16_bn");
        assertEquals(root, ModelCard.fromJson(root.toJson()));
        assertNull(root.parentSha256());

        String parent = "ab".repeat(32);
        ModelCard child = root.derive("prune", parent).withMetric("params", 1e5).withMetric("params", 2e5);
        assertEquals(Map.of("params", 2e5), child.metrics());
        assertEquals(root.lineageId(), child.lineageId());
        assertEquals(parent, child.parentSha256());
        assertTrue(child.provenance().isEmpty());
        assertEquals(0.9137, root.metrics().get("accuracy"));

        String newer = root.toJson().replaceFirst("\\{", "{\"addedLater\":{\"x\":[1,2]},");
        assertEquals(root, ModelCard.fromJson(newer));
    }

    @Test
    void cardRefusesMissingNameAndBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"lineageId\":\"l\",\"createdBy\":\"zoo\"}"));
        assertTrue(e.getMessage().contains("needs a non-empty name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson("{\"name\":"));
        assertTrue(e.getMessage().contains("does not parse"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelCard.of("m", "l", "t").withMetric("acc", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ModelCard.of("m", "l", "t").withParent("/tmp/parent"));
        assertNotEquals(ModelCard.of("m", "l", "t"), ModelCard.of("m", "l", "t").withProvenance("seed", "0"));
    }
}

package dev.netpress.artifact;

import static dev.netpress.artifact.ArtifactTest.card;
import static dev.netpress.artifact.ArtifactTest.tinyModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netpress.artifact.ArtifactException.Kind;
import dev.netpress.graph.GraphException;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCorruptionTest {
    @TempDir
    Path dir;
    private Path file;
    private ArtifactRef saved;

    @BeforeEach
    void saveOne() throws IOException {
        file = dir.resolve("vgg11.safetensors");
        saved = Artifacts.save(new Artifact(tinyModel("vgg11"), card("vgg11")), file);
    }

    private static ArtifactException assertKind(Kind kind, String messagePart, Executable load) {
        ArtifactException e = assertThrows(ArtifactException.class, load);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        return e;
    }

    /** The saved artifact's parts, as a writer of a damaged or foreign file would start from. */
    private SafetensorsFile parts() throws IOException {
        return Safetensors.read(file);
    }

    /** Writes {@code file} anew beside it, then moves it in: its tensors may be mapped from the old file. */
    private void replace(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path edited = dir.resolve("edited.safetensors");
        Safetensors.write(tensors, metadata, edited);
        Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes {@code file} anew from edited parts, with a content digest that matches them. */
    private void rewrite(String graphJson, String cardJson, Map<String, Tensor> tensors) throws IOException {
        Map<String, String> metadata = new HashMap<>(parts().metadata());
        metadata.put("graph", graphJson);
        metadata.put("card", cardJson);
        metadata.put("content_sha256", Artifacts.contentSha256(graphJson, cardJson, tensors));
        replace(tensors, metadata);
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nothing-here.safetensors");
        assertKind(Kind.NOT_FOUND, missing + ": artifact file not found", () -> Artifacts.load(missing));
        assertKind(Kind.NOT_FOUND, "is a directory", () -> Artifacts.load(dir));
    }

    @Test
    void truncatedFile() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        ArtifactException e = assertKind(Kind.CORRUPT, "(OFFSETS_OUT_OF_RANGE)", () -> Artifacts.load(file));
        assertInstanceOf(SafetensorsException.class, e.getCause());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        // with the expected hash, the whole-file check fires first
        assertKind(Kind.CHECKSUM_MISMATCH, saved.sha256(), () -> Artifacts.load(file, saved.sha256()));
    }

    @Test
    void flippedDataByteIsCaughtByTheEmbeddedDigest() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long last = f.length() - 1; // the data region ends the file
            f.seek(last);
            int b = f.read();
            f.seek(last);
            f.write(b ^ 0x10);
        }
        assertKind(Kind.CHECKSUM_MISMATCH, "content was altered", () -> Artifacts.load(file));
    }

    @Test
    void wrongExpectedSha() {
        String other = "0".repeat(64);
        ArtifactException e = assertKind(Kind.CHECKSUM_MISMATCH, other, () -> Artifacts.load(file, other));
        assertTrue(e.getMessage().contains(saved.sha256()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Artifacts.load(file, "abc"));
    }

    @Test
    void plainSafetensorsFileIsNotAnArtifact() throws IOException {
        Map<String, Tensor> tensors = Map.of("w", Tensor.ofFloats(Dims.of(1), 1f));
        Safetensors.write(tensors, null, file);
        assertKind(Kind.NOT_AN_ARTIFACT, "has no 'format' entry", () -> Artifacts.load(file));
        Safetensors.write(tensors, Map.of("format", "pt"), file); // as Hugging Face writes them
        assertKind(Kind.NOT_AN_ARTIFACT, "of format 'pt'", () -> Artifacts.load(file));
    }

    @Test
    void otherFormatVersion() throws IOException {
        SafetensorsFile parts = parts();
        Map<String, String> metadata = new HashMap<>(parts.metadata());
        metadata.put("format", "netpress.artifact/9");
        replace(parts.tensors(), metadata);
        ArtifactException e = assertKind(Kind.UNSUPPORTED_FORMAT, "'netpress.artifact/9' is not supported",
                () -> Artifacts.load(file));
        assertTrue(e.getMessage().contains("this build reads netpress.artifact/1"), e.getMessage());
    }

    @Test
    void graphWithAChannelMismatchNamesTheNode() throws IOException {
        SafetensorsFile parts = parts();
        ObjectNode graph = (ObjectNode) new ObjectMapper().readTree(parts.metadata().get("graph"));
        for (var node : graph.get("nodes")) {
            if (node.get("name").asText().equals("features.3")) { // the second conv now reads the 3-channel input
                ((ArrayNode) node.get("inputs")).removeAll().add("input");
            }
        }
        rewrite(graph.toString(), parts.metadata().get("card"), parts.tensors());

        ArtifactException e = assertKind(Kind.INVALID_GRAPH, "node 'features.3': channel mismatch",
                () -> Artifacts.load(file));
        assertEquals("features.3", assertInstanceOf(GraphException.class, e.getCause()).node());
    }

    @Test
    void weightsOfAnotherModel() throws IOException {
        SafetensorsFile parts = parts();
        rewrite(parts.metadata().get("graph"), parts.metadata().get("card"), tinyModel("resnet18").tensors());
        assertKind(Kind.INVALID_GRAPH, "node 'features.0': tensor 'features.0.weight' is missing from the weights",
                () -> Artifacts.load(file));

        // same names, other shapes: a vgg11 for one-channel images under the graph for three
        Map<String, Tensor> grey = Zoo.build("vgg11", ZooConfig.builder().optInChannels(1).optWidth(0.125)
                .optImageSize(32).optNumClasses(10).optVggPoolSize(1).optClassifierHidden(64).build()).tensors();
        rewrite(parts.metadata().get("graph"), parts.metadata().get("card"), grey);
        assertKind(Kind.INVALID_GRAPH, "node 'features.0': channel mismatch", () -> Artifacts.load(file));
    }

    @Test
    void brokenCard() throws IOException {
        SafetensorsFile parts = parts();
        rewrite(parts.metadata().get("graph"), "{\"name\": \"vgg11\", ", parts.tensors());
        assertKind(Kind.INVALID_CARD, "model card JSON does not parse", () -> Artifacts.load(file));

        rewrite(parts.metadata().get("graph"), "{\"lineageId\":\"l\",\"createdBy\":\"zoo\"}", parts.tensors());
        assertKind(Kind.INVALID_CARD, "needs a non-empty name", () -> Artifacts.load(file));
    }

    @Test
    void missingArtifactEntry() throws IOException {
        SafetensorsFile parts = parts();
        Map<String, String> metadata = new HashMap<>(parts.metadata());
        metadata.remove("card");
        replace(parts.tensors(), metadata);
        assertKind(Kind.CORRUPT, "no 'card' entry", () -> Artifacts.load(file));
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(f.length()).array();
            f.write(length);
        }
        assertKind(Kind.CORRUPT, "(HEADER_OUT_OF_BOUNDS)", () -> Artifacts.load(file));
    }
}

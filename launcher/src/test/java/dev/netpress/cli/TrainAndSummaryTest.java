package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short training run (one epoch on 512 images, a small VGG), then {@code summary} of what it saved. */
class TrainAndSummaryTest {
    @TempDir
    static Path dir;

    static Path artifact;
    static Cli.Result train;

    @BeforeAll
    static void trainOnce() {
        artifact = dir.resolve("m.safetensors");
        train = Cli.run("train", "--epochs", "1", "--limit", "512", "--model", "vgg11_bn", "--width", "0.125",
                "--classifier-hidden", "64", "--out", artifact.toString());
    }

    @Test
    void trainSavesALoadableArtifactWithMetricsAndProvenance() throws Exception {
        assertEquals(0, train.exit(), train.transcript());
        LoadedArtifact loaded = Artifacts.load(artifact);
        ModelCard card = loaded.card();
        assertEquals("vgg11_bn", card.name());
        assertEquals("zoo:vgg11_bn", card.createdBy());
        assertTrue(card.metrics().keySet().containsAll(List.of("accuracy", "loss", "params", "nonzero_params", "macs")),
                card.metrics().toString());
        double accuracy = card.metrics().get("accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertEquals(loaded.graph().parameterCount(), card.metrics().get("params").longValue());
        assertEquals(loaded.graph().macs(), card.metrics().get("macs").longValue());
        assertEquals("512", card.provenance().get("train_examples"));
        assertEquals("1", card.provenance().get("epochs"));
        assertEquals("fashion-mnist", card.provenance().get("dataset"));
        assertEquals("0.125", card.provenance().get("width"));
    }

    @Test
    void trainPrintsProgressTableAccuracyAndTheFilesSha256() throws Exception {
        assertEquals(0, train.exit(), train.transcript());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(artifact)));
        assertTrue(train.out().contains("sha256       " + sha), train.transcript());
        assertTrue(train.out().contains("train_loss"), "progress table: " + train.transcript());
        assertTrue(train.out().contains("classifier.6"), "summary table: " + train.transcript());
        assertTrue(train.out().contains("on 2,000 test images"), train.transcript());
        assertTrue(train.out().contains(artifact.toString()), train.transcript());
        assertTrue(train.out().contains(String.format(Locale.ROOT, "%,d bytes", Files.size(artifact))), train.transcript());
    }

    @Test
    void summaryPrintsCardTableAndSha256() throws Exception {
        Cli.Result r = Cli.run("summary", artifact.toString());
        assertEquals(0, r.exit(), r.transcript());
        LoadedArtifact loaded = Artifacts.load(artifact);
        for (String expected : List.of("name         vgg11_bn", "lineage      " + loaded.card().lineageId(),
                "created by   zoo:vgg11_bn", "parent       none", "accuracy", "features.0", "conv2d",
                String.format(Locale.ROOT, "parameters %,d", loaded.graph().parameterCount()), "sha256       " + loaded.sha256())) {
            assertTrue(r.out().contains(expected), expected + " missing from\n" + r.transcript());
        }
        assertEquals("", r.err());
    }

    @Test
    void summaryJsonIsOneObjectWithCardRowsTotalsAndHash() throws Exception {
        Cli.Result r = Cli.run("summary", "--json", artifact.toString());
        assertEquals(0, r.exit(), r.transcript());
        assertEquals(1, r.out().lines().count(), "one line of JSON: " + r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        LoadedArtifact loaded = Artifacts.load(artifact);
        assertEquals(List.of("path", "sha256", "bytes", "card", "rows", "totals"),
                StreamSupport.stream(((Iterable<String>) json::fieldNames).spliterator(), false).toList());
        assertEquals(loaded.sha256(), json.get("sha256").asText());
        assertEquals(Files.size(artifact), json.get("bytes").asLong());
        assertEquals("vgg11_bn", json.get("card").get("name").asText());
        assertTrue(json.get("card").get("metrics").has("accuracy"));
        assertEquals(loaded.graph().parameterCount(), json.get("totals").get("parameters").asLong());
        assertEquals(loaded.graph().macs(), json.get("totals").get("macs").asLong());
        assertEquals(loaded.graph().nodes().size(), json.get("rows").size());
        JsonNode first = json.get("rows").get(0);
        assertEquals("features.0", first.get("node").asText());
        assertEquals("conv2d", first.get("op").asText());
        long rowParams = 0;
        for (JsonNode row : json.get("rows")) {
            rowParams += row.get("params").asLong();
        }
        assertEquals(loaded.graph().parameterCount(), rowParams);
    }
}

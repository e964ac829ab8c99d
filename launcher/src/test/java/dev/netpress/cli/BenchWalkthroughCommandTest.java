package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough program on a slice of the bundled data: every step runs through its technique,
 * every artifact it names loads with its lineage, and the recap's counts match the artifacts. The
 * benchmark's figures themselves come from full runs, recorded in the issue notes.
 */
class BenchWalkthroughCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryStepAndPrintsTheRecap() throws Exception {
        Path json = dir.resolve("recap.json");
        Cli.Result r = Cli.run("bench", "walkthrough", "--limit", "256", "--valid-limit", "128", "--epochs", "1",
                "--teacher-epochs", "1", "--teacher-width", "0.375", "--rounds", "1", "--runs", "5",
                "--set", "sparsified.epochs=1", "--set", "recovered.epochs=1", "--work", dir.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.transcript());
        assertTrue(r.out().contains("goals: parameters ≥ 3.5x"), r.out());
        assertTrue(r.out().contains("distillation: teacher"), r.out());

        JsonNode recap = new ObjectMapper().readTree(json.toFile()).get("recap");
        List<String> steps = new ArrayList<>();
        recap.forEach(row -> steps.add(row.get("step").asText()));
        assertEquals(List.of("baseline", "teacher", "distilled", "sparsified", "pruned", "recovered", "factorized",
                "folded", "int8"), steps);
        String lineage = null;
        for (JsonNode row : recap) {
            Path file = Path.of(row.get("artifact").asText());
            LoadedArtifact a = Artifacts.load(file);
            assertEquals(Files.size(file), row.get("bytes").asLong(), row.get("step").asText());
            assertEquals(a.graph().parameterCount(), row.get("params").asLong(), row.get("step").asText());
            assertEquals(a.graph().macs(), row.get("macs").asLong(), row.get("step").asText());
            double accuracy = row.get("accuracy").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, row.toString());
            assertTrue(row.get("latencyMs").asDouble() > 0, row.toString());
            lineage = lineage == null ? a.card().lineageId() : lineage;
            assertEquals(lineage, a.card().lineageId(), "one lineage for every model of the walkthrough");
        }
        // each compression step shrinks or keeps the student; pruning and int8 shrink it for real
        for (int i = 3; i < recap.size(); i++) {
            assertTrue(recap.get(i).get("params").asLong() <= recap.get(i - 1).get("params").asLong(), recap.toString());
        }
        assertTrue(recap.get(4).get("params").asLong() < recap.get(3).get("params").asLong(), "prune removed nothing");
        assertTrue(recap.get(8).get("bytes").asLong() * 3 < recap.get(7).get("bytes").asLong(), "int8 is not ~4x smaller");
        LoadedArtifact last = Artifacts.load(Path.of(recap.get(8).get("artifact").asText()));
        assertTrue(last.artifact().graph().nodes().stream().anyMatch(n -> n.param("weight") != null
                && n.param("weight").dtype() == DType.I8));
    }

    @Test
    void aBadOverrideIsAUsageError() {
        Cli.Result r = Cli.run("bench", "walkthrough", "--set", "nosuch.x=1", "--work", dir.toString());
        assertEquals(2, r.exit(), r.transcript());
        assertTrue(r.err().contains("no step 'nosuch'"), r.err());
        Cli.Result bad = Cli.run("bench", "walkthrough", "--set", "sparsified.target=150", "--work", dir.toString());
        assertEquals(2, bad.exit(), bad.transcript());
        assertTrue(bad.err().contains("sparsified:"), bad.err());
    }

    @Test
    void distillBenchComparesPlainAndDistilledStudentsPerSeed() {
        Cli.Result r = Cli.run("bench", "distill", "--seeds", "1", "--epochs", "1", "--teacher-epochs", "1",
                "--teacher-width", "0.375", "--limit", "256", "--valid-limit", "128");
        assertEquals(0, r.exit(), r.transcript());
        assertTrue(r.out().matches("(?s).*\\n1 +\\d+\\.\\d\\d% +\\d+\\.\\d\\d% +[+-]\\d+\\.\\d\\d\\n.*"), r.out());
        assertTrue(r.out().contains("of 1 seed(s)"), r.out());
        assertTrue(r.out().matches("(?s).*teacher \\(vgg16_bn at width 0.375\\): \\d+\\.\\d\\d% on the same validation.*"),
                r.out());
    }
}

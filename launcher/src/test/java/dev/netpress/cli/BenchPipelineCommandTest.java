package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench pipeline --quick}: real broker, store and stages, the smallest sizes. */
class BenchPipelineCommandTest {
    private static final String MS = "\\d+\\.\\d ms";

    @TempDir
    Path dir;

    @Test
    void printsHopOverheadThroughputAndGoalsWithNumbers() throws Exception {
        Path json = dir.resolve("bench.json");
        Cli.Result r = Cli.run("bench", "pipeline", "--quick", "--json", json.toString());
        assertEquals(0, r.exit(), r.transcript());
        String out = r.out();
        assertTrue(Pattern.compile("pipeline hop \\(produce → output committed\\)\\s+" + MS + "\\s+" + MS).matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("in-process apply \\(load → fold → save\\)\\s+" + MS + "\\s+" + MS).matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("overhead = hop − the stage.s load, technique and save = -?\\d+\\.\\d ms").matcher(out).find(), out);
        assertTrue(Pattern.compile("1 replica .*: 4 models in\\s+\\d+\\.\\d s = \\d+\\.\\d\\d models/min").matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("2 replicas .*: \\d models in\\s+\\d+\\.\\d s = \\d+\\.\\d\\d models/min").matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("≤ 100 ms: (met|NOT met)").matcher(out).find(), out);
        assertTrue(!out.contains("sparsifying"), "the stages' progress goes to their logs, not the table: " + out);

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, doc.get("hops").size());
        for (JsonNode hop : doc.get("hops")) {
            assertTrue(hop.get("hop_median_ms").asDouble() > 0, hop.toString());
            assertTrue(hop.get("stage_phase_median_ms").get("technique").asDouble() > 0, hop.toString());
        }
        assertTrue(doc.get("hops").get(0).get("artifact_bytes").asLong() < 2_000_000);
        assertTrue(doc.get("throughput").get("2_replica_models_per_min").asDouble() > 0);
    }

    @Test
    void refusesASingleRun() {
        Cli.Result r = Cli.run("bench", "pipeline", "--runs", "1");
        assertEquals(2, r.exit(), r.transcript());
        assertTrue(r.err().contains("--runs must be at least 2"), r.err());
    }
}

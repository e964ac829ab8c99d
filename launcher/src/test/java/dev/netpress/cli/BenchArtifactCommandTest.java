package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench artifact} on the smallest model it makes (one 16.8 MB layer). */
class BenchArtifactCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsThroughputAndLeavesNothingBehind() throws Exception {
        Cli.Result r = Cli.run("bench", "artifact", "--mb", "1", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.transcript());
        assertTrue(r.out().contains("save: ") && r.out().contains("load: ") && r.out().contains("MB/s"), r.out());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void refusesAMissingDirectory() {
        Cli.Result r = Cli.run("bench", "artifact", "--dir", dir.resolve("nope").toString());
        assertEquals(2, r.exit(), r.transcript());
        assertTrue(r.err().contains("no such directory"), r.err());
    }
}

package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.ModelCard;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code summary} on files that are not sound artifacts: exit code 2 and the load error in one line. */
class SummaryErrorsTest {
    @TempDir
    Path dir;

    /** Runs summary, expecting it to refuse; returns the error's first line. */
    private static String refused(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.exit(), r.transcript());
        assertEquals("", r.out());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return r.err().lines().findFirst().orElseThrow();
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("missing.safetensors");
        String line = refused("summary", missing.toString());
        assertTrue(line.contains(missing.toString()) && line.contains("not found"), line);
    }

    @Test
    void alteredWeightsFailTheChecksum() throws Exception {
        Path file = dir.resolve("tiny.safetensors");
        Artifacts.save(new Artifact(Zoo.build("vgg11", ZooConfig.fashionMnist().toBuilder().optWidth(0.0625)
                .optClassifierHidden(8).build()), ModelCard.of("tiny", "test", "test")), file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long last = raf.length() - 1; // tensor data is at the end of a safetensors file
            raf.seek(last);
            int b = raf.read();
            raf.seek(last);
            raf.write(b ^ 0x01);
        }
        String line = refused("summary", "--json", file.toString());
        assertTrue(line.contains("checksum mismatch") && line.contains("digest"), line);
    }

    @Test
    void notAnArtifact() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a model");
        String line = refused("summary", file.toString());
        assertTrue(line.contains("cannot load artifact") && line.contains(file.toString()), line);
    }
}

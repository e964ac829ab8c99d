package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad options stop {@code train} with exit code 2 and one clear line, before any data is read or training starts;
 * a run that diverges exits with 1.
 */
class TrainErrorsTest {
    @TempDir
    Path dir;

    /** Runs train with {@code args}, expecting it to refuse; returns the error's first line. */
    private String refused(String... args) {
        Path out = dir.resolve("never.safetensors");
        String[] full = new String[args.length + 3];
        full[0] = "train";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--out";
        full[args.length + 2] = out.toString();
        Cli.Result r = Cli.run(full);
        assertEquals(2, r.exit(), r.transcript());
        assertEquals("", r.out(), "nothing runs: " + r.transcript());
        assertFalse(Files.exists(out));
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().contains("Try 'netpress train --help'"), r.err());
        return r.err().lines().findFirst().orElseThrow();
    }

    @Test
    void unknownModelListsTheZoo() {
        String line = refused("--model", "vgg12");
        assertTrue(line.contains("'--model'") && line.contains("vgg12"), line);
        for (String name : Zoo.names()) {
            assertTrue(line.contains(name), name + " not listed: " + line);
        }
    }

    @Test
    void epochsBelowOne() {
        String line = refused("--epochs", "0");
        assertTrue(line.contains("'--epochs'") && line.contains("at least 1"), line);
    }

    @Test
    void nonPositiveLearningRate() {
        assertTrue(refused("--lr", "0").contains("'--lr'"));
        assertTrue(refused("--lr", "-1e-3").contains("'--lr'"));
    }

    @Test
    void nonPositiveWidth() {
        assertTrue(refused("--width", "0").contains("'--width'"));
    }

    @Test
    void otherBadNumbers() {
        assertTrue(refused("--batch-size", "0").contains("'--batch-size'"));
        assertTrue(refused("--dropout", "1").contains("'--dropout'"));
        assertTrue(refused("--limit", "0").contains("'--limit'"));
        assertTrue(refused("--epochs", "three").contains("'three' is not an int"));
    }

    @Test
    void unknownOptimizer() {
        assertTrue(refused("--optimizer", "rmsprop").contains("adam or sgd"));
    }

    @Test
    void badDatasetSpec() {
        String line = refused("--dataset", "mnist");
        assertTrue(line.contains("'--dataset'") && line.contains("csv:FILE.csv:ROOT:LABEL_COLUMN"), line);
        assertTrue(refused("--dataset", "csv:a.csv:root").contains("'--dataset'"));
    }

    @Test
    void missingDatasetPath() {
        Path missing = dir.resolve("no-such-dir");
        String line = refused("--dataset", "fashion-mnist:" + missing);
        assertTrue(line.contains(missing + ": no such directory"), line);
        assertTrue(refused("--dataset", "csv:" + dir.resolve("x.csv") + ":" + dir + ":label").contains("no such file"));
    }

    @Test
    void datasetDirectoryWithoutTheFiles() {
        String line = refused("--dataset", "fashion-mnist:" + dir);
        assertTrue(line.contains("train-images-idx3-ubyte"), line);
    }

    @Test
    void imagesTooSmallForTheModel() {
        String line = refused("--model", "vgg11", "--image-size", "8", "--limit", "1");
        assertTrue(line.contains("'--image-size'") && line.contains("too small"), line);
    }

    @Test
    void aDivergedRunExitsWith1AndSavesNothing() {
        Path out = dir.resolve("diverged.safetensors");
        Cli.Result r = Cli.run("train", "--model", "vgg11_bn", "--width", "0.125", "--classifier-hidden", "16",
                "--limit", "64", "--epochs", "1", "--lr", "1e30", "--out", out.toString());
        assertEquals(1, r.exit(), r.transcript());
        assertTrue(r.err().startsWith("training diverged, nothing saved: "), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void withoutTheShortHandlerInputErrorsStillExitWith2() {
        Cli.Result r = Cli.run(new CommandLine(new Netpress()), "train", "--epochs", "0");
        assertEquals(2, r.exit(), r.transcript());
        assertTrue(r.err().startsWith("Invalid value for option '--epochs'"), r.err());
    }
}

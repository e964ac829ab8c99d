package dev.netpress.cli;

import dev.netpress.artifact.ArtifactBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netpress bench artifact}: runs {@link ArtifactBenchmark}. */
@Command(name = "artifact", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Saves and loads a synthetic artifact of chained 2048×2048 linear layers and prints the save"
            + " and load throughput and the resident memory a load takes."})
final class BenchArtifactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mb", paramLabel = "MB", defaultValue = "100",
            description = "Target artifact size in megabytes (10^6 bytes, rounded to whole 16.8 MB layers) (default: ${DEFAULT-VALUE}).")
    long megabytes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
            description = "Where to write the artifact, deleted afterwards (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        if (megabytes < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--mb': " + megabytes + " must be at least 1");
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--dir': " + dir
                    + ": no such directory");
        }
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        ArtifactBenchmark.run(dir, megabytes * 1_000_000, out);
        out.flush();
        return 0;
    }
}

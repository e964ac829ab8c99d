package dev.netpress.cli;

import dev.netpress.stages.prune.PruneBenchmark;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netpress bench prune}: runs {@link PruneBenchmark}. */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prunes vgg16_bn/4 by 50% and resnet18 by 30% of channels and prints parameters, MACs, batch-1"
            + " latency and batch-64 throughput before and after, timed side by side."})
final class BenchPruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved timing rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--runs", defaultValue = "100", description = "Timed batch-1 passes per round (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        if (rounds < 1 || runs < 5) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1 and --runs at least 5");
        }
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        PruneBenchmark.run(PruneBenchmark.defaultCases(), rounds, runs, out);
        out.flush();
        return 0;
    }
}

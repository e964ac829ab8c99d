package dev.netpress.cli;

import dev.netpress.exec.ExecutorBenchmark;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netpress bench executor}: runs {@link ExecutorBenchmark}. */
@Command(name = "executor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs vgg16_bn/4 on the graph executor and as DJL's SequentialBlock with the same weights, and"
            + " prints batch-1 latency, batch-64 inference and a training step of each, timed in interleaved rounds."})
final class BenchExecutorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1");
        }
        ExecutorBenchmark.Options d = ExecutorBenchmark.Options.defaults();
        ExecutorBenchmark.Options o = d.withIterations(rounds, d.warmup(), d.batch1Iterations(), d.batchIterations(),
                d.trainIterations());
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        ExecutorBenchmark.run(out, o);
        out.flush();
        return 0;
    }
}

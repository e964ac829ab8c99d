package dev.netpress.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netpress bench}: the benchmarks, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures how fast parts of netpress run. Run by hand; the figures depend on the machine.",
        subcommands = {
            BenchArtifactCommand.class,
            BenchDistillCommand.class,
            BenchExecutorCommand.class,
            BenchPipelineCommand.class,
            BenchPruneCommand.class,
            BenchWalkthroughCommand.class,
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}

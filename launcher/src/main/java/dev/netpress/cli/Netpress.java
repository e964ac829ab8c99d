package dev.netpress.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code netpress} command. Each subcommand is a class of its own, listed in {@code subcommands} below; adding
 * one takes that class and one line here.
 *
 * <p>Exit codes: 0 on success, 2 for anything wrong with the command line or its inputs (options, dataset, artifact
 * files), 1 when a run fails on its own (e.g. training diverges).
 */
@Command(name = "netpress", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Compresses neural networks: a pipeline of stage services on Kafka, or one technique at a time.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            StageCommand.class,
            SubmitCommand.class,
            ReportCommand.class,
            TopicsCommand.class,
            TrainCommand.class,
            SummaryCommand.class,
            BenchCommand.class,
        })
public final class Netpress implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** The command line as {@link #main} runs it: errors in the input are reported in one line, without usage. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Netpress());
        // techniques are found on the class path, so their command is assembled rather than declared
        cl.addSubcommand("apply", ApplyCommand.commandLine());
        return cl.setParameterExceptionHandler(new ShortErrorHandler());
    }

    public static void main(String[] args) {
        // before any DJL class loads: DJL reads it once, and must never try to download a native library
        System.setProperty("ai.djl.offline", "true");
        System.exit(commandLine().execute(args));
    }
}

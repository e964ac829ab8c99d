package dev.netpress.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a bad command line or input as its message and a pointer to {@code --help}, instead of picocli's default
 * of the message followed by the whole usage text, in which a one-line error is easily missed. Only a command that
 * groups subcommands (e.g. {@code netpress} alone) still gets its usage, as that is the list of what to type next.
 */
final class ShortErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        if (cmd.getSubcommands().isEmpty()) {
            err.printf("Try '%s --help' for more information.%n", cmd.getCommandSpec().qualifiedName());
        } else {
            cmd.usage(err, cmd.getColorScheme());
        }
        err.flush();
        CommandLine.IExitCodeExceptionMapper mapper = cmd.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(ex) : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}

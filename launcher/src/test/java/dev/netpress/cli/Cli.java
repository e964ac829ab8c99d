package dev.netpress.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code netpress} in-process, as {@link Netpress#main} would, capturing what it prints. */
final class Cli {
    /** A finished run: exit code, standard output and standard error. */
    record Result(int exit, String out, String err) {
        /** Both streams, for assertion messages. */
        String transcript() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {}

    static Result run(String... args) {
        return run(Netpress.commandLine(), args);
    }

    static Result run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}

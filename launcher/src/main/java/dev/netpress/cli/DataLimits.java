package dev.netpress.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --limit} and {@code --valid-limit}: a slice of the data for quick runs, checked as they are set. */
final class DataLimits {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    Integer limit;
    Integer validLimit;

    @Option(names = "--limit", paramLabel = "N", description = "First N training examples only (quick runs).")
    void limit(Integer n) {
        limit = atLeastOne("--limit", n);
    }

    @Option(names = "--valid-limit", paramLabel = "N", description = "First N test examples only (quick runs).")
    void validLimit(Integer n) {
        validLimit = atLeastOne("--valid-limit", n);
    }

    private Integer atLeastOne(String option, Integer n) {
        if (n != null && n < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + n);
        }
        return n;
    }
}

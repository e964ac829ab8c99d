package dev.netpress.runtime.stage;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;

/**
 * A technique for the runtime's tests only: returns its input unchanged after a wait (a job of a chosen length),
 * and can fail its first applications with an I/O error (a job that passes on retry).
 */
public final class SleepTechnique implements Technique<SleepTechnique.Options> {
    record Options(long millis, int failFirst) {
    }

    private int applications;

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String description() {
        return "test only: waits, then returns the model unchanged";
    }

    @Override
    public List<OptionDef> options() {
        return List.of(new OptionDef("millis", "0", "how long the job takes"),
            new OptionDef("fail_first", "0", "how many applications fail before one passes"));
    }

    @Override
    public Options parse(OptionValues v) {
        return new Options(v.longValue("millis"), v.integer("fail_first"));
    }

    @Override
    public TechniqueResult apply(Graph input, Options options, TechniqueContext context) throws IOException {
        if (applications++ < options.failFirst()) {
            throw new IOException("simulated failure " + applications + " of " + options.failFirst());
        }
        try {
            Thread.sleep(options.millis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sleeping", e);
        }
        return TechniqueResult.of(input, Map.of(), "slept " + options.millis() + " ms");
    }
}

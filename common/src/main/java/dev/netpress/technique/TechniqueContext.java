package dev.netpress.technique;

import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.data.DataLoader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * What a technique may use besides its input graph: the data it fine-tunes or measures on,
 * other artifacts it names (a teacher, the lineage's first model), the input's own artifact,
 * and a log. The stage runtime and the command line each provide one.
 */
public interface TechniqueContext {
    /** Training data (shuffled); the caller owns and closes it. */
    DataLoader train();

    /** Validation data (fixed order); the caller owns and closes it. */
    DataLoader valid();

    /** The input's artifact (its card holds the metrics recorded so far). */
    LoadedArtifact input();

    /** Another artifact by reference: a path or URI as the provider understands it. */
    LoadedArtifact resolve(String reference) throws IOException;

    PrintStream log();
}

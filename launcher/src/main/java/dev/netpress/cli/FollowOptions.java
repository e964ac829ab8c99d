package dev.netpress.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code demo} and {@code run} follow a model: for how long, and where the recap's JSON goes. */
final class FollowOptions {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M",
            description = "Give up following the model after this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the recap as JSON.")
    Path json;
}

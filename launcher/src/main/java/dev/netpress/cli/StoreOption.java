package dev.netpress.cli;

import dev.netpress.runtime.store.ArtifactStore;
import dev.netpress.runtime.store.ArtifactStores;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Opens the store a {@code --store} option names; {@code file:DIR} is a directory relative to here. */
final class StoreOption {
    private StoreOption() {}

    static ArtifactStore open(CommandLine cl, String uri) {
        String full = uri.startsWith("file:") && !uri.startsWith("file:/")
                ? Path.of(uri.substring("file:".length())).toAbsolutePath().toUri().toString() : uri;
        try {
            return ArtifactStores.open(full);
        } catch (IllegalArgumentException | IOException e) {
            throw new ParameterException(cl, "--store " + uri + ": " + e.getMessage());
        }
    }
}

package dev.netpress.artifact;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an artifact file is and what it is: the SHA-256 (lowercase hex) and size of the whole
 * file. Events name artifacts by this, and {@link Artifacts#load(Path, String)} checks the hash.
 */
public record ArtifactRef(Path path, String sha256, long bytes) {
    public ArtifactRef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}

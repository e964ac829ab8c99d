package dev.netpress.runtime.store;

import java.util.Objects;

/** An object in an {@link ArtifactStore}: where it is, and what an event must say about it. */
public record StoredArtifact(String uri, String sha256, long bytes) {
    public StoredArtifact {
        Objects.requireNonNull(uri, "uri");
        Sha256.requireHex(sha256);
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
    }
}

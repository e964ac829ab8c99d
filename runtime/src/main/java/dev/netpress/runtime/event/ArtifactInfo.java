package dev.netpress.runtime.event;

import java.util.Objects;

import dev.netpress.runtime.store.StoredArtifact;

/** Where a stage's output model is and how to check it: what a reader passes to the artifact store. */
public record ArtifactInfo(String uri, String sha256, long bytes, String format) {
    public ArtifactInfo {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(format, "format");
    }

    /** An object just stored, in the given artifact format (e.g. {@code Artifacts.FORMAT}). */
    public static ArtifactInfo of(StoredArtifact stored, String format) {
        return new ArtifactInfo(stored.uri(), stored.sha256(), stored.bytes(), format);
    }
}

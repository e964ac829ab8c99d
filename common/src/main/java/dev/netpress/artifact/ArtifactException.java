package dev.netpress.artifact;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An artifact file that cannot be loaded. Like {@link SafetensorsException} it is an
 * {@link IOException}: a bad file is an input problem, not a programming error. Every message
 * starts with the file's path; {@link #kind()} says what went wrong so callers need not parse it.
 */
public final class ArtifactException extends IOException {
    /** What is wrong with the file. */
    public enum Kind {
        /** No file at the path. */
        NOT_FOUND,
        /** The safetensors container is broken (truncated, damaged), or our metadata is incomplete. */
        CORRUPT,
        /** A valid safetensors file that is not a netpress artifact (no artifact format in its metadata). */
        NOT_AN_ARTIFACT,
        /** A netpress artifact of a format version this build does not read. */
        UNSUPPORTED_FORMAT,
        /** The file's SHA-256 differs from the expected one, or its content from its embedded digest. */
        CHECKSUM_MISMATCH,
        /** The graph is malformed or does not fit the weights stored with it. */
        INVALID_GRAPH,
        /** The model card is not valid JSON or lacks a required field. */
        INVALID_CARD
    }

    private final Kind kind;

    public ArtifactException(Kind kind, Path file, String message) {
        this(kind, file, message, null);
    }

    public ArtifactException(Kind kind, Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}

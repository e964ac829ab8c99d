package dev.netpress.runtime.stage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import dev.netpress.artifact.ArtifactException;
import dev.netpress.graph.GraphException;
import dev.netpress.runtime.event.BadEventException;
import dev.netpress.runtime.store.StoreException;
import dev.netpress.train.TrainingDivergedException;

/**
 * Why a job failed, in the terms of a dead-letter event: a {@link #kind()} a program can act on, a reason for a
 * person, and whether another attempt could succeed. Failures that depend only on the event, the artifact or
 * the options (a bad event, a missing or damaged artifact, a model the technique refuses, a divergence from
 * the same seed) go to the dead-letter topic at once: a retry would fail the same way.
 */
final class JobFailure extends Exception {
    /** The kinds of {@link dev.netpress.runtime.event.EventError#kind()} a stage writes. */
    enum Kind {
        /** The record is not a model event this build reads (with the {@link BadEventException} kind after a colon). */
        BAD_EVENT(false),
        /** No artifact at the event's URI. */
        ARTIFACT_NOT_FOUND(false),
        /** The stored bytes, or the artifact's content, do not have the digest they should. */
        CHECKSUM_MISMATCH(false),
        /** The event names an artifact outside the stage's store. */
        REFUSED_URI(false),
        /** The bytes are not a readable artifact of this build (truncated, not an artifact, bad graph or card). */
        CORRUPT_ARTIFACT(false),
        /** The technique refused the model or its options for this model (another shape, another class count). */
        REFUSED_BY_TECHNIQUE(false),
        /** Training diverged. */
        TRAINING_DIVERGED(false),
        /** The store failed (disk, network, permissions). */
        STORE_UNAVAILABLE(true),
        /** Any other failure of the job: an I/O error, a bug, memory. */
        JOB_FAILED(true);

        private final boolean retriable;

        Kind(boolean retriable) {
            this.retriable = retriable;
        }
    }

    private final Kind kind;
    private final String detail;

    JobFailure(Kind kind, String reason, Throwable cause) {
        this(kind, null, reason, cause);
    }

    private JobFailure(Kind kind, String detail, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.detail = detail;
    }

    Kind kind() {
        return kind;
    }

    /** The kind as written into the dead-letter event, e.g. {@code BAD_EVENT:MALFORMED_JSON}. */
    String kindName() {
        return detail == null ? kind.name() : kind.name() + ":" + detail;
    }

    boolean retriable() {
        return kind.retriable;
    }

    static JobFailure badEvent(BadEventException e) {
        return new JobFailure(Kind.BAD_EVENT, e.kind().name(), e.getMessage(), e);
    }

    /** A failure fetching the input (or a referenced) artifact from the store. */
    static JobFailure fromStore(StoreException e) {
        Kind kind = switch (e.kind()) {
            case NOT_FOUND -> Kind.ARTIFACT_NOT_FOUND;
            case CHECKSUM_MISMATCH -> Kind.CHECKSUM_MISMATCH;
            case REFUSED_URI -> Kind.REFUSED_URI;
            case BACKEND -> Kind.STORE_UNAVAILABLE;
        };
        return new JobFailure(kind, e.getMessage(), e);
    }

    /** A failure loading a downloaded artifact. */
    static JobFailure fromArtifact(ArtifactException e) {
        return fromArtifact(e, e.getMessage());
    }

    /** A failure loading the artifact at {@code uri}, downloaded to {@code file}: the reason names the URI. */
    static JobFailure fromArtifact(ArtifactException e, String uri, Path file) {
        String prefix = file + ": ";
        String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return fromArtifact(e, uri + ": " + message);
    }

    private static JobFailure fromArtifact(ArtifactException e, String message) {
        Kind kind = e.kind() == ArtifactException.Kind.CHECKSUM_MISMATCH ? Kind.CHECKSUM_MISMATCH : Kind.CORRUPT_ARTIFACT;
        return new JobFailure(kind, "artifact " + e.kind().name().toLowerCase(Locale.ROOT) + ": " + message, e);
    }

    /** A failure thrown by the technique, or while resolving what it referenced. */
    static JobFailure fromTechnique(String technique, Throwable e) {
        if (e instanceof JobFailure f) {
            return f;
        }
        if (e instanceof StoreException s) {
            return fromStore(s);
        }
        if (e instanceof ArtifactException a) {
            return fromArtifact(a);
        }
        if (e instanceof TrainingDivergedException) {
            return new JobFailure(Kind.TRAINING_DIVERGED, technique + ": " + e.getMessage(), e);
        }
        if (e instanceof IllegalArgumentException || e instanceof GraphException) {
            return new JobFailure(Kind.REFUSED_BY_TECHNIQUE, technique + " refused the model: " + e.getMessage(), e);
        }
        return other(technique, e);
    }

    /** Anything else: worth another attempt. */
    static JobFailure other(String during, Throwable e) {
        String what = e instanceof IOException ? "I/O error" : e.getClass().getSimpleName();
        return new JobFailure(Kind.JOB_FAILED, during + " failed (" + what + "): " + e.getMessage(), e);
    }
}

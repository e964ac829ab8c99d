package dev.netpress.runtime.store;

import java.io.IOException;
import java.util.Objects;

/**
 * A store operation that failed. An {@link IOException}, like the artifact errors of {@code common}:
 * a missing or damaged object is an input problem. {@link #kind()} says what went wrong, so a stage can
 * tell a poison event (wrong checksum, missing object, refused URI) from a store that is down.
 */
public final class StoreException extends IOException {
    public enum Kind {
        /** No object at the URI. */
        NOT_FOUND,
        /** The bytes read or written do not have the SHA-256 they were said to have. */
        CHECKSUM_MISMATCH,
        /** The URI is malformed, of another scheme, or outside this store's root, bucket or prefix. */
        REFUSED_URI,
        /** The storage backend failed (disk, network, permissions). */
        BACKEND
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        this(kind, message, null);
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}

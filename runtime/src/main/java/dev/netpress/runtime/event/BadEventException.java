package dev.netpress.runtime.event;

import java.util.Objects;

/**
 * A Kafka record that is not a model event this build can process. A stage sends such a record to its
 * dead-letter topic with {@link #kind()} and the message, and goes on with the next one.
 */
public final class BadEventException extends Exception {
    public enum Kind {
        /** The value is not JSON (or not only JSON: trailing bytes, duplicate keys). */
        MALFORMED_JSON,
        /** JSON naming a schema version this build does not read. */
        UNSUPPORTED_SCHEMA,
        /** JSON of the right version that breaks its schema: a missing field, a bad value, an unknown field. */
        SCHEMA_VIOLATION,
        /** The record's CloudEvents headers are missing or wrong. */
        BAD_HEADERS
    }

    private final Kind kind;

    public BadEventException(Kind kind, String message) {
        this(kind, message, null);
    }

    public BadEventException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}

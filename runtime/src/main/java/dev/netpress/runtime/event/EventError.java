package dev.netpress.runtime.event;

import java.util.Objects;

/**
 * Why an event went to a dead-letter topic.
 *
 * @param reason what went wrong, for a person
 * @param kind a class of failure a program can act on (e.g. {@code CHECKSUM_MISMATCH}, {@code BAD_EVENT})
 * @param stage the stage that gave up
 * @param attempts how many times it tried
 */
public record EventError(String reason, String kind, String stage, int attempts) {
    public EventError {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stage, "stage");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0: " + attempts);
        }
    }
}

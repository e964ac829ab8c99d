package dev.netpress.runtime.event;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** When a stage worked on a model. Instants are kept to the millisecond: finer is noise in a pipeline. */
public record Timings(Instant startedAt, Instant finishedAt, long durationMs) {
    public Timings {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must be >= 0: " + durationMs);
        }
    }

    /** From a start and an end; the duration is the wall-clock difference. */
    public static Timings between(Instant startedAt, Instant finishedAt) {
        Instant start = startedAt.truncatedTo(ChronoUnit.MILLIS);
        Instant end = finishedAt.truncatedTo(ChronoUnit.MILLIS);
        return new Timings(start, end, Math.max(0, Duration.between(start, end).toMillis()));
    }
}

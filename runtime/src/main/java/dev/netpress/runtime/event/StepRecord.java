package dev.netpress.runtime.event;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** What one step did to a model: an entry of {@link ModelEvent#history()}. */
public record StepRecord(String stage, int step, UUID eventId, ArtifactInfo artifact, Map<String, String> options,
                         Map<String, Double> metrics, Timings timings) {
    public StepRecord {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(timings, "timings");
        options = ModelEvent.sortedCopy(options, "options");
        metrics = ModelEvent.checkedMetrics(metrics);
    }

    /** An immutable copy of a history list. */
    static List<StepRecord> copyOf(List<StepRecord> history) {
        return List.copyOf(Objects.requireNonNull(history, "history"));
    }
}

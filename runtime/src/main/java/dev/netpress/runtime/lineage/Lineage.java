package dev.netpress.runtime.lineage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import dev.netpress.runtime.event.ArtifactInfo;
import dev.netpress.runtime.event.EventError;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.event.StepRecord;
import dev.netpress.runtime.event.Timings;

/**
 * What happened to one model: every step seen for its lineage id, ordered by step index, one entry per
 * event id, and where the model stands now. Values are immutable; {@link #add} returns a new one.
 *
 * @param lineageId null only in {@link #empty()}, the start of a fold
 * @param recipe the recipe of the latest event
 * @param status the {@link Step#outcome()} of the last step
 * @param steps oldest first; steps of the same index in the order they were seen
 */
public record Lineage(String lineageId, String recipe, Status status, List<Step> steps) {
    /** Where a model stands. */
    public enum Status {
        /** On its way through the recipe's stages. */
        RUNNING,
        /** Passed the evaluate gate: the event is on the recipe's accepted sink. */
        ACCEPTED,
        /** Failed the evaluate gate: the event is on the recipe's rejected sink. */
        REJECTED,
        /** A stage gave up on it: the event is on a dead-letter topic. */
        FAILED
    }

    /**
     * One step's event.
     *
     * @param topic where the event was read; null when it is known only from a later event's history
     * @param error why a stage gave up on this step's output; null unless dead-lettered
     * @param outcome what this event says about the model: {@code RUNNING} unless it came from a sink or a
     *     dead-letter topic
     */
    public record Step(int step, String stage, UUID eventId, ArtifactInfo artifact, Map<String, String> options,
                       Map<String, Double> metrics, Timings timings, EventError error, String topic, Status outcome) {
        public Step {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(artifact, "artifact");
            Objects.requireNonNull(timings, "timings");
            Objects.requireNonNull(outcome, "outcome");
            // sorted, so that a lineage prints and serialises the same way every time
            options = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(options, "options")));
            metrics = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metrics, "metrics")));
        }

        static Step of(ModelEvent event, String topic, Status outcome) {
            return new Step(event.step(), event.stage(), event.eventId(), event.artifact(), event.options(),
                event.metrics(), event.timings(), event.error(), topic, outcome);
        }

        static Step of(StepRecord record) {
            return new Step(record.step(), record.stage(), record.eventId(), record.artifact(), record.options(),
                record.metrics(), record.timings(), null, null, Status.RUNNING);
        }

        /**
         * The same event seen again: a dead-letter copy (same event id, now with an error) or the record
         * itself after its history entry. What is known stays; what was missing is taken from the other.
         */
        Step merge(Step other) {
            Status merged = outcome == Status.FAILED || other.outcome == Status.FAILED ? Status.FAILED
                : outcome == Status.RUNNING ? other.outcome : outcome;
            return new Step(step, stage, eventId, artifact, options, metrics, timings,
                error != null ? error : other.error, topic != null ? topic : other.topic, merged);
        }

        /** A metric after this step, if the stage measured it. */
        public Optional<Double> metric(String name) {
            return Optional.ofNullable(metrics.get(name));
        }
    }

    public Lineage {
        Objects.requireNonNull(status, "status");
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    }

    /** A lineage with no steps yet. */
    public static Lineage empty() {
        return new Lineage(null, null, Status.RUNNING, List.of());
    }

    /**
     * This lineage with one more event folded in, and the earlier steps its history names that were not
     * seen yet (so a lineage is whole even if only the last topic was read). An event id already present
     * is merged, not added, which makes redelivered events harmless.
     *
     * @param topic where the event was read
     * @param outcome what the event says about the model (see {@link Step#outcome()})
     */
    public Lineage add(ModelEvent event, String topic, Status outcome) {
        if (lineageId != null && !lineageId.equals(event.lineageId())) {
            throw new IllegalArgumentException("event " + event.eventId() + " belongs to lineage "
                + event.lineageId() + ", not " + lineageId);
        }
        List<Step> out = new ArrayList<>(steps);
        for (StepRecord record : event.history()) {
            put(out, Step.of(record));
        }
        put(out, Step.of(event, topic, outcome));
        return new Lineage(event.lineageId(), event.recipe(), out.get(out.size() - 1).outcome(), out);
    }

    private static void put(List<Step> steps, Step step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).eventId().equals(step.eventId())) {
                steps.set(i, steps.get(i).merge(step));
                return;
            }
        }
        int at = steps.size();
        while (at > 0 && steps.get(at - 1).step() > step.step()) {
            at--;
        }
        steps.add(at, step);
    }

    /** Why the model failed: the error of the last step, when the lineage is {@link Status#FAILED}. */
    public Optional<EventError> failure() {
        return status == Status.FAILED ? Optional.ofNullable(steps.get(steps.size() - 1).error()) : Optional.empty();
    }
}

package dev.netpress.runtime.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a stage publishes about one model, in the JSON form of {@code schema/model-event-1.schema.json}
 * (see {@link EventCodec}). The Kafka key is the {@link #lineageId()}, so one model's events stay in order.
 *
 * <p>Events are enriched, never stripped: {@link #next} makes the following step's event with this
 * event's own record appended to {@link #history()}, so the last event of a recipe tells the model's
 * whole story.
 *
 * @param schema always {@link #SCHEMA}
 * @param parentEventId the event this one was made from; null for a submission
 * @param step recipe steps the model has been through: 0 for a submission, n after step n
 * @param stage the stage that produced the event ({@link #SUBMIT} for a submission)
 * @param options the stage's options as given
 * @param metrics the model's metrics after the stage
 * @param error null except on a dead-letter topic
 * @param history the earlier steps' records, oldest first
 */
public record ModelEvent(String schema, UUID eventId, String lineageId, UUID parentEventId, String recipe, int step,
                         String stage, ArtifactInfo artifact, Map<String, String> options, Map<String, Double> metrics,
                         Timings timings, EventError error, List<StepRecord> history) {
    /** The schema this build writes and reads. */
    public static final String SCHEMA = "netpress.model-event/1";
    /** The stage name of a submitted model's event. */
    public static final String SUBMIT = "submit";

    public ModelEvent {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("schema must be " + SCHEMA + ", not " + schema);
        }
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(lineageId, "lineageId");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(timings, "timings");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0: " + step);
        }
        options = sortedCopy(options, "options");
        metrics = checkedMetrics(metrics);
        history = StepRecord.copyOf(history);
    }

    /** The event that submits a model to a recipe: step 0, no parent, no history. */
    public static ModelEvent submitted(String lineageId, String recipe, ArtifactInfo artifact,
                                       Map<String, Double> metrics, Timings timings) {
        return new ModelEvent(SCHEMA, UUID.randomUUID(), lineageId, null, recipe, 0, SUBMIT, artifact, Map.of(),
            metrics, timings, null, List.of());
    }

    /** The event of the step after this one: same lineage and recipe, this event as parent and last history entry. */
    public ModelEvent next(String stage, int step, ArtifactInfo artifact, Map<String, String> options,
                           Map<String, Double> metrics, Timings timings) {
        List<StepRecord> longer = new ArrayList<>(history);
        longer.add(record());
        return new ModelEvent(SCHEMA, UUID.randomUUID(), lineageId, eventId, recipe, step, stage, artifact, options,
            metrics, timings, null, longer);
    }

    /** This event as it goes to a dead-letter topic: unchanged but for the reason it could not be processed. */
    public ModelEvent withError(EventError error) {
        return new ModelEvent(schema, eventId, lineageId, parentEventId, recipe, step, stage, artifact, options,
            metrics, timings, Objects.requireNonNull(error, "error"), history);
    }

    /** This event's own step, as the next event's history will hold it. */
    public StepRecord record() {
        return new StepRecord(stage, step, eventId, artifact, options, metrics, timings);
    }

    /** Sorted, so that encoding an event gives the same bytes every time. */
    static Map<String, String> sortedCopy(Map<String, String> map, String what) {
        Objects.requireNonNull(map, what);
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** JSON has no NaN or infinity: a metric that could not be measured is left out instead. */
    static Map<String, Double> checkedMetrics(Map<String, Double> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        metrics.forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("metric " + name + " must be a finite number, not " + value);
            }
        });
        return Collections.unmodifiableMap(new TreeMap<>(metrics));
    }
}

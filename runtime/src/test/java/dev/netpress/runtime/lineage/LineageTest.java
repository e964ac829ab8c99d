package dev.netpress.runtime.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import dev.netpress.runtime.event.EventError;
import dev.netpress.runtime.event.ModelEvent;

class LineageTest {
    private final List<ModelEvent> events = Fixtures.fourSteps("model-1");

    @Test
    void ordersStepsByIndexWhateverTheArrivalOrder() {
        // events without history, so that only the ordering puts each step in its place
        Lineage lineage = Lineage.empty()
            .add(withoutHistory(events.get(3)), "accepted", Lineage.Status.ACCEPTED)
            .add(withoutHistory(events.get(1)), "t1", Lineage.Status.RUNNING)
            .add(withoutHistory(events.get(0)), "in", Lineage.Status.RUNNING)
            .add(withoutHistory(events.get(2)), "t2", Lineage.Status.RUNNING);
        assertEquals(List.of(0, 1, 2, 3), lineage.steps().stream().map(Lineage.Step::step).toList());
        assertEquals(Lineage.Status.ACCEPTED, lineage.status(), "the last step decides, not the last arrival");
        assertEquals("model-1", lineage.lineageId());
        assertEquals("seed", lineage.recipe());
    }

    @Test
    void aRedeliveredEventIsFoldedOnce() {
        Lineage once = Lineage.empty();
        for (ModelEvent e : events) {
            once = once.add(e, "t" + e.step(), Lineage.Status.RUNNING);
        }
        Lineage twice = once.add(events.get(1), "t1", Lineage.Status.RUNNING);
        assertEquals(4, twice.steps().size());
        assertEquals(once, twice);
    }

    @Test
    void aLaterEventsHistoryFillsTheStepsNotSeenAndTheirOwnEventsCompleteThem() {
        Lineage fromLast = Lineage.empty().add(events.get(3), "accepted", Lineage.Status.ACCEPTED);
        assertEquals(List.of("submit", "distill", "prune", "evaluate"),
            fromLast.steps().stream().map(Lineage.Step::stage).toList());
        assertNull(fromLast.steps().get(1).topic(), "known from history only");
        assertEquals(events.get(1).metrics(), fromLast.steps().get(1).metrics());
        assertEquals(Lineage.Status.ACCEPTED, fromLast.status());

        Lineage late = fromLast.add(events.get(1), "t1", Lineage.Status.RUNNING);
        assertEquals(4, late.steps().size());
        assertEquals("t1", late.steps().get(1).topic());
        assertEquals(Lineage.Status.ACCEPTED, late.status(), "an earlier step arriving late changes nothing");
    }

    @Test
    void aDeadLetterCopyMarksItsStepFailedUntilALaterStepSucceeds() {
        EventError error = new EventError("sha256 mismatch", "CHECKSUM_MISMATCH", "prune", 3);
        Lineage failed = Lineage.empty()
            .add(events.get(0), "in", Lineage.Status.RUNNING)
            .add(events.get(1), "t1", Lineage.Status.RUNNING)
            .add(events.get(1).withError(error), "t1.dlq", Lineage.Status.FAILED);
        assertEquals(2, failed.steps().size(), "the dead-letter copy has the event id of the event it failed on");
        assertEquals(Lineage.Status.FAILED, failed.status());
        assertEquals(error, failed.failure().orElseThrow());
        assertEquals("t1", failed.steps().get(1).topic());

        Lineage replayed = failed.add(events.get(2), "t2", Lineage.Status.RUNNING);
        assertEquals(Lineage.Status.RUNNING, replayed.status());
        assertEquals(error, replayed.steps().get(1).error(), "the failure stays on record");
        assertEquals(Optional.empty(), replayed.failure());
    }

    @Test
    void refusesAnotherLineagesEvent() {
        Lineage one = Lineage.empty().add(events.get(0), "in", Lineage.Status.RUNNING);
        ModelEvent other = Fixtures.fourSteps("model-2").get(0);
        assertThrows(IllegalArgumentException.class, () -> one.add(other, "in", Lineage.Status.RUNNING));
    }

    private static ModelEvent withoutHistory(ModelEvent e) {
        return new ModelEvent(e.schema(), e.eventId(), e.lineageId(), e.parentEventId(), e.recipe(), e.step(),
            e.stage(), e.artifact(), e.options(), e.metrics(), e.timings(), e.error(), List.of());
    }

    @Test
    void readsBackFromTheStoreFormat() {
        Lineage lineage = Lineage.empty();
        for (ModelEvent e : events) {
            lineage = lineage.add(e, "t" + e.step(), Lineage.Status.RUNNING);
        }
        lineage = lineage.add(events.get(3).withError(new EventError("boom", "TECHNIQUE_FAILED", "quantize", 2)),
            "t3.dlq", Lineage.Status.FAILED);
        try (Serde<Lineage> serde = LineageSerde.serde()) {
            byte[] bytes = serde.serializer().serialize("changelog", lineage);
            assertEquals(lineage, serde.deserializer().deserialize("changelog", bytes));
        }
    }
}

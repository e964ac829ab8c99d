package dev.netpress.runtime.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {
    private final ModelEvent event = ModelEvent.submitted("lineage-7", "short", EventCodecTest.artifact(EventCodecTest.SHA_A),
            Map.of(), Timings.between(Instant.parse("2025-01-31T12:00:00Z"), Instant.parse("2025-01-31T12:00:02.5Z")))
        .next("prune", 1, EventCodecTest.artifact(EventCodecTest.SHA_B), Map.of(), Map.of(),
            Timings.between(Instant.parse("2025-01-31T12:00:03Z"), Instant.parse("2025-01-31T12:00:09Z")));

    @Test
    void writesAndReadsTheBinaryModeHeaders() throws BadEventException {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, "the input record's id".getBytes(StandardCharsets.UTF_8));
        CloudEventHeaders.write(headers, event);

        assertEquals("1.0", text(headers, "ce_specversion"));
        assertEquals(1, headers.toArray().length - 6, "one header per attribute, the old ce_id replaced");
        CloudEventHeaders.Attributes a = CloudEventHeaders.read(headers);
        assertEquals(event.eventId().toString(), a.id());
        assertEquals("netpress/prune", a.source());
        assertEquals("dev.netpress.model.prune", a.type());
        assertEquals(Instant.parse("2025-01-31T12:00:09Z"), a.time());
        assertEquals("lineage-7", a.subject());
        assertEquals("application/json", a.contentType());
        assertEquals(CloudEventHeaders.of(event), a);
    }

    @Test
    void aDeadLetterEventNamesTheStageThatGaveUp() throws BadEventException {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.write(headers, event.withError(new EventError("boom", "TECHNIQUE_FAILED", "fold", 3)));
        CloudEventHeaders.Attributes a = CloudEventHeaders.read(headers);
        assertEquals("netpress/fold", a.source());
        assertEquals(CloudEventHeaders.FAILED_TYPE, a.type());
    }

    @Test
    void refusesRecordsThatAreNotCloudEvents() {
        RecordHeaders none = new RecordHeaders();
        assertEquals(BadEventException.Kind.BAD_HEADERS,
            assertThrows(BadEventException.class, () -> CloudEventHeaders.read(none)).kind());

        for (Map.Entry<String, String> change : Map.of(
                "ce_specversion", "0.3",
                "ce_time", "yesterday",
                "content-type", "application/avro").entrySet()) {
            RecordHeaders headers = new RecordHeaders();
            CloudEventHeaders.write(headers, event);
            headers.remove(change.getKey());
            headers.add(change.getKey(), change.getValue().getBytes(StandardCharsets.UTF_8));
            BadEventException e = assertThrows(BadEventException.class, () -> CloudEventHeaders.read(headers));
            assertEquals(BadEventException.Kind.BAD_HEADERS, e.kind(), change.toString());
        }

        RecordHeaders noSource = new RecordHeaders();
        CloudEventHeaders.write(noSource, event);
        noSource.remove("ce_source");
        assertThrows(BadEventException.class, () -> CloudEventHeaders.read(noSource));
    }

    private static String text(RecordHeaders headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}

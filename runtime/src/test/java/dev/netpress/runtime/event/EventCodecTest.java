package dev.netpress.runtime.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {
    static final String SHA_A = "a".repeat(64);
    static final String SHA_B = "b".repeat(64);

    /** A second step's event as another implementation might write it: fields in any order, spaces. */
    static final String KNOWN = """
        {
          "schema": "netpress.model-event/1",
          "eventId": "3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c",
          "lineageId": "vgg16-2025-01-31",
          "parentEventId": "0b6f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
          "recipe": "walkthrough",
          "step": 1,
          "stage": "distill",
          "artifact": {"uri": "s3://models/runs/artifacts/%1$s.safetensors", "sha256": "%1$s",
                       "bytes": 1048576, "format": "netpress.artifact/1"},
          "options": {"epochs": "3", "alpha": "0.5"},
          "metrics": {"params": 1200000, "accuracy": 0.885},
          "timings": {"startedAt": "2025-01-31T12:00:00Z", "finishedAt": "2025-01-31T12:03:00.250Z", "durationMs": 180250},
          "error": null,
          "history": [
            {"stage": "submit", "step": 0, "eventId": "0b6f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
             "artifact": {"uri": "s3://models/runs/artifacts/%2$s.safetensors", "sha256": "%2$s",
                          "bytes": 2097152, "format": "netpress.artifact/1"},
             "options": {}, "metrics": {"params": 4000000},
             "timings": {"startedAt": "2025-01-31T11:59:59Z", "finishedAt": "2025-01-31T12:00:00Z", "durationMs": 1000}}
          ]
        }
        """.formatted(SHA_A, SHA_B);

    @Test
    void decodesKnownJson() throws BadEventException {
        ModelEvent e = EventCodec.decode(KNOWN.getBytes(StandardCharsets.UTF_8));
        assertEquals(UUID.fromString("3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c"), e.eventId());
        assertEquals("vgg16-2025-01-31", e.lineageId());
        assertEquals(UUID.fromString("0b6f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"), e.parentEventId());
        assertEquals("walkthrough", e.recipe());
        assertEquals(1, e.step());
        assertEquals("distill", e.stage());
        assertEquals(new ArtifactInfo("s3://models/runs/artifacts/" + SHA_A + ".safetensors", SHA_A, 1048576,
            "netpress.artifact/1"), e.artifact());
        assertEquals(Map.of("epochs", "3", "alpha", "0.5"), e.options());
        assertEquals(Map.of("params", 1.2e6, "accuracy", 0.885), e.metrics());
        assertEquals(Instant.parse("2025-01-31T12:03:00.250Z"), e.timings().finishedAt());
        assertEquals(180250, e.timings().durationMs());
        assertNull(e.error());
        assertEquals(1, e.history().size());
        assertEquals("submit", e.history().get(0).stage());
        assertEquals(e.parentEventId(), e.history().get(0).eventId());
    }

    @Test
    void roundTrip() throws BadEventException {
        ModelEvent decoded = EventCodec.decode(KNOWN.getBytes(StandardCharsets.UTF_8));
        byte[] encoded = EventCodec.encode(decoded);
        assertEquals(decoded, EventCodec.decode(encoded));
        assertEquals(new String(encoded, StandardCharsets.UTF_8),
            new String(EventCodec.encode(EventCodec.decode(encoded)), StandardCharsets.UTF_8), "encoding is stable");
    }

    @Test
    void eventsAreEnrichedStepByStep() throws BadEventException {
        Timings t = Timings.between(Instant.parse("2025-01-31T12:00:00.123456Z"), Instant.parse("2025-01-31T12:00:01Z"));
        assertEquals(877, t.durationMs(), "kept to the millisecond: 12:00:00.123 to 12:00:01");
        ModelEvent submitted = ModelEvent.submitted("lineage-1", "short", artifact(SHA_A), Map.of("params", 10.0), t);
        ModelEvent pruned = submitted.next("prune", 1, artifact(SHA_B), Map.of("ratio", "0.5"), Map.of("params", 5.0), t);
        ModelEvent folded = pruned.next("fold", 2, artifact("c".repeat(64)), Map.of(), Map.of("params", 4.0), t);

        assertEquals(submitted.eventId(), pruned.parentEventId());
        assertEquals(pruned.eventId(), folded.parentEventId());
        assertEquals(List.of(submitted.record(), pruned.record()), folded.history());
        assertEquals("lineage-1", folded.lineageId());

        ModelEvent failed = folded.withError(new EventError("artifact has the wrong shape", "INVALID_GRAPH", "evaluate", 3));
        ModelEvent back = EventCodec.decode(EventCodec.encode(failed));
        assertEquals(failed, back);
        assertEquals(3, back.error().attempts());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not JSON        | {"schema": "netpress.model-event/1",
        trailing bytes  | {"schema": "netpress.model-event/1"} garbage
        duplicate key   | {"schema": "netpress.model-event/1", "schema": "netpress.model-event/1"}
        plain text      | hello
        """)
    void malformedJson(String what, String json) {
        BadEventException e = assertThrows(BadEventException.class,
            () -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(BadEventException.Kind.MALFORMED_JSON, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("not JSON"), e.getMessage());
    }

    @Test
    void emptyValue() {
        BadEventException e = assertThrows(BadEventException.class, () -> EventCodec.decode(new byte[0]));
        assertEquals(BadEventException.Kind.MALFORMED_JSON, e.kind());
        assertEquals(BadEventException.Kind.MALFORMED_JSON,
            assertThrows(BadEventException.class, () -> EventCodec.decode(null)).kind());
    }

    @Test
    void unknownSchemaVersion() throws Exception {
        ObjectNode tree = known();
        tree.put("schema", "netpress.model-event/2");
        BadEventException e = assertThrows(BadEventException.class, () -> EventCodec.decode(bytes(tree)));
        assertEquals(BadEventException.Kind.UNSUPPORTED_SCHEMA, e.kind());
        assertTrue(e.getMessage().contains("netpress.model-event/2"), e.getMessage());
    }

    @Test
    void noSchemaField() throws Exception {
        ObjectNode tree = known();
        tree.remove("schema");
        BadEventException e = assertThrows(BadEventException.class, () -> EventCodec.decode(bytes(tree)));
        assertEquals(BadEventException.Kind.SCHEMA_VIOLATION, e.kind());
        assertTrue(e.getMessage().contains("'schema'"), e.getMessage());
    }

    @Test
    void notAnObject() {
        BadEventException e = assertThrows(BadEventException.class,
            () -> EventCodec.decode("[1, 2]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(BadEventException.Kind.SCHEMA_VIOLATION, e.kind());
        assertTrue(e.getMessage().contains("array"), e.getMessage());
    }

    /** Each row edits the known event at a JSON pointer: REMOVE, or a JSON value; the reason must name the field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        missing artifact     | /artifact                 | REMOVE  | artifact
        bad sha256           | /artifact/sha256          | "abc"   | sha256
        negative step        | /step                     | -1      | step
        fractional step      | /step                     | 1.5     | step
        metric as text       | /metrics/accuracy         | "high"  | accuracy
        option as number     | /options/epochs           | 3       | epochs
        unknown field        | /colour                   | "red"   | colour
        bad event id         | /eventId                  | "nope"  | eventId
        bad time             | /timings/startedAt        | "noon"  | startedAt
        other scheme         | /artifact/uri             | "http://x/y" | uri
        upper-case stage     | /stage                    | "Prune" | stage
        history entry broken | /history/0/timings        | REMOVE  | timings
        """)
    void schemaViolations(String what, String pointer, String value, String named) throws Exception {
        ObjectNode tree = known();
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        ObjectNode holder = (ObjectNode) (parent.isEmpty() ? tree : tree.at(parent));
        if (value.equals("REMOVE")) {
            holder.remove(field);
        } else {
            holder.set(field, new ObjectMapper().readTree(value));
        }
        BadEventException e = assertThrows(BadEventException.class, () -> EventCodec.decode(bytes(tree)));
        assertEquals(BadEventException.Kind.SCHEMA_VIOLATION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(named), what + " should be named in: " + e.getMessage());
    }

    @Test
    void encodeRefusesAnEventTheSchemaRefuses() {
        Timings t = Timings.between(Instant.EPOCH, Instant.EPOCH);
        ModelEvent bad = ModelEvent.submitted("lineage 1 with spaces", "short", artifact(SHA_A), Map.of(), t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventCodec.encode(bad));
        assertTrue(e.getMessage().contains("lineageId"), e.getMessage());
    }

    @Test
    void metricsMustBeFinite() {
        Timings t = Timings.between(Instant.EPOCH, Instant.EPOCH);
        assertThrows(IllegalArgumentException.class,
            () -> ModelEvent.submitted("l", "r", artifact(SHA_A), Map.of("accuracy", Double.NaN), t));
    }

    static ArtifactInfo artifact(String sha) {
        return new ArtifactInfo("file:///store/artifacts/" + sha + ".safetensors", sha, 1234, "netpress.artifact/1");
    }

    static ObjectNode known() throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(KNOWN);
    }

    static byte[] bytes(ObjectNode tree) throws Exception {
        return new ObjectMapper().writeValueAsBytes(tree);
    }
}

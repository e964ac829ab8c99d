package dev.netpress.runtime.event;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Model events to and from the JSON of {@code schema/model-event-1.schema.json}. Decoding checks the
 * schema before binding, so a bad event is refused with a reason that names the offending field
 * rather than with a Jackson stack trace; encoding checks it too, so a stage cannot publish what the
 * next one would refuse.
 */
public final class EventCodec {
    /** Where the schema lives on the class path (and, under src/main/resources, in the repository). */
    public static final String SCHEMA_RESOURCE = "/schema/model-event-1.schema.json";
    /** Enough violations to fix an event, few enough to fit a dead-letter reason. */
    private static final int MAX_REPORTED_VIOLATIONS = 5;

    private static final ObjectMapper JSON = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    private static final Schema SCHEMA = loadSchema();

    private EventCodec() {
    }

    /** The event in a Kafka record's value. */
    public static ModelEvent decode(byte[] value) throws BadEventException {
        if (value == null || value.length == 0) {
            throw new BadEventException(BadEventException.Kind.MALFORMED_JSON, "the record has no value");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (JacksonException e) {
            throw new BadEventException(BadEventException.Kind.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array", e);
        }
        if (!tree.isObject()) {
            throw new BadEventException(BadEventException.Kind.SCHEMA_VIOLATION,
                "a model event is a JSON object, not " + tree.getNodeType().name().toLowerCase());
        }
        JsonNode version = tree.get("schema");
        if (version == null) {
            throw new BadEventException(BadEventException.Kind.SCHEMA_VIOLATION,
                "no 'schema' field: cannot tell which event format this is");
        }
        if (!ModelEvent.SCHEMA.equals(version.asText(null))) {
            throw new BadEventException(BadEventException.Kind.UNSUPPORTED_SCHEMA,
                "event schema " + version + " is not supported; this build reads " + ModelEvent.SCHEMA);
        }
        List<String> violations = violations(tree);
        if (!violations.isEmpty()) {
            throw new BadEventException(BadEventException.Kind.SCHEMA_VIOLATION,
                "the event breaks " + ModelEvent.SCHEMA + ": " + String.join("; ", violations));
        }
        try {
            return JSON.treeToValue(tree, ModelEvent.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new BadEventException(BadEventException.Kind.SCHEMA_VIOLATION,
                "the event breaks " + ModelEvent.SCHEMA + ": " + rootMessage(e), e);
        }
    }

    /**
     * The JSON of an event.
     *
     * @throws IllegalArgumentException if the event breaks the schema (a stage name in upper case, a
     *     malformed SHA-256): a bug in the stage, which must not reach the topic
     */
    public static byte[] encode(ModelEvent event) {
        JsonNode tree = JSON.valueToTree(event);
        List<String> violations = violations(tree);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("event " + event.eventId() + " breaks " + ModelEvent.SCHEMA + ": "
                + String.join("; ", violations));
        }
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JacksonException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** What is wrong with a JSON document as a version-1 event, at most a few messages; empty when valid. */
    static List<String> violations(JsonNode tree) {
        List<Error> errors = SCHEMA.validate(tree);
        List<String> out = errors.stream().limit(MAX_REPORTED_VIOLATIONS).map(EventCodec::describe)
            .collect(Collectors.toList());
        if (errors.size() > MAX_REPORTED_VIOLATIONS) {
            out.add("and " + (errors.size() - MAX_REPORTED_VIOLATIONS) + " more");
        }
        return out;
    }

    /** "/artifact/sha256: does not match ...", with "event" standing for the top level, which has no path. */
    private static String describe(Error error) {
        String at = error.getInstanceLocation().toString();
        return (at.isEmpty() ? "event" : at) + ": " + error.getMessage();
    }

    private static Schema loadSchema() {
        try (InputStream in = EventCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + SCHEMA_RESOURCE, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof JacksonException j ? j.getOriginalMessage() : t.getMessage();
    }
}

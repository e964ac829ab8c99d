package dev.netpress.runtime.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents attributes on a Kafka record in binary mode (the Kafka protocol binding of CloudEvents 1.0):
 * {@code ce_*} headers, {@code content-type}, and the event JSON as the value. Tools that speak
 * CloudEvents can route and trace the pipeline's records without parsing the JSON; the JSON stays the
 * authority on the event's content.
 */
public final class CloudEventHeaders {
    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** The type of an event that a stage gave up on, on a dead-letter topic. */
    public static final String FAILED_TYPE = "dev.netpress.model.failed";

    /**
     * The attributes of one record.
     *
     * @param source {@code netpress/<stage>}: the stage that wrote the record
     * @param type {@code dev.netpress.model.<stage>}, or {@link #FAILED_TYPE} on a dead-letter topic
     * @param time when the stage finished (may be null when read from a record that does not say)
     * @param subject the lineage id, as in the record key
     */
    public record Attributes(String id, String source, String type, Instant time, String subject, String contentType) {
    }

    private CloudEventHeaders() {
    }

    /** The attributes for an event: the producing stage's, or for a dead-letter event the stage that gave up. */
    public static Attributes of(ModelEvent event) {
        boolean failed = event.error() != null;
        String stage = failed ? event.error().stage() : event.stage();
        return new Attributes(event.eventId().toString(), "netpress/" + stage,
            failed ? FAILED_TYPE : "dev.netpress.model." + event.stage(), event.timings().finishedAt(),
            event.lineageId(), JSON);
    }

    /** Sets the headers for an event, replacing any CloudEvents headers already there (say, the input record's). */
    public static void write(Headers headers, ModelEvent event) {
        Attributes a = of(event);
        set(headers, SPECVERSION, SPEC_VERSION);
        set(headers, ID, a.id());
        set(headers, SOURCE, a.source());
        set(headers, TYPE, a.type());
        set(headers, TIME, a.time().toString());
        set(headers, SUBJECT, a.subject());
        set(headers, CONTENT_TYPE, a.contentType());
    }

    /**
     * Reads the attributes of a record.
     *
     * @throws BadEventException ({@code BAD_HEADERS}) if a required attribute is missing, the spec version is
     *     not 1.0, the time is not RFC 3339, or the content type is not JSON
     */
    public static Attributes read(Headers headers) throws BadEventException {
        String version = get(headers, SPECVERSION);
        if (!SPEC_VERSION.equals(version)) {
            throw bad(version == null ? "no " + SPECVERSION + " header: not a CloudEvent"
                : "CloudEvents spec version " + version + " is not " + SPEC_VERSION);
        }
        String id = required(headers, ID);
        String source = required(headers, SOURCE);
        String type = required(headers, TYPE);
        String time = get(headers, TIME);
        Instant instant = null;
        if (time != null) {
            try {
                instant = OffsetDateTime.parse(time).toInstant();
            } catch (DateTimeParseException e) {
                throw bad(TIME + " is not an RFC 3339 time: " + time);
            }
        }
        String contentType = get(headers, CONTENT_TYPE);
        if (contentType != null && !contentType.split(";", 2)[0].strip().equalsIgnoreCase(JSON)) {
            throw bad("content type " + contentType + " is not " + JSON);
        }
        return new Attributes(id, source, type, instant, get(headers, SUBJECT), contentType);
    }

    private static void set(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String key) throws BadEventException {
        String value = get(headers, key);
        if (value == null || value.isEmpty()) {
            throw bad("no " + key + " header");
        }
        return value;
    }

    private static BadEventException bad(String message) {
        return new BadEventException(BadEventException.Kind.BAD_HEADERS, message);
    }
}

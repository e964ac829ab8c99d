package dev.netpress.runtime.lineage;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** {@link Lineage} values as JSON in the state store and its changelog topic, readable with any Kafka tool. */
final class LineageSerde {
    static final ObjectMapper JSON = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();

    private LineageSerde() {
    }

    static Serde<Lineage> serde() {
        Serializer<Lineage> serializer = (topic, lineage) -> {
            if (lineage == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(lineage);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a lineage always serialises", e);
            }
        };
        // only this app writes the store: a value that does not read back is a bug, not bad input
        Deserializer<Lineage> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, Lineage.class);
            } catch (IOException e) {
                throw new UncheckedIOException("a stored lineage does not read back", e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

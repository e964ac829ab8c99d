package dev.netpress.runtime.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

/**
 * The schema file as others will use it: read from the repository, not through the codec, with a
 * validator of their own. It must accept a known event and refuse one without a required field.
 */
class SchemaFileTest {
    private static final Path FILE = Path.of("src/main/resources/schema/model-event-1.schema.json");

    @Test
    void acceptsAKnownEventAndRefusesAMissingRequiredField() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode schemaNode = json.readTree(Files.readString(FILE));
        assertEquals("https://json-schema.org/draft/2020-12/schema", schemaNode.get("$schema").asText());
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);

        ObjectNode event = (ObjectNode) json.readTree(EventCodecTest.KNOWN);
        assertEquals(List.of(), schema.validate(event));

        for (JsonNode required : schemaNode.get("required")) {
            ObjectNode copy = event.deepCopy();
            copy.remove(required.asText());
            List<Error> errors = schema.validate(copy);
            assertFalse(errors.isEmpty(), "an event without " + required + " must be refused");
            assertTrue(errors.toString().contains(required.asText()), errors.toString());
        }
    }
}

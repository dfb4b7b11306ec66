package dev.eddy.core.partiql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Attribute values and items as the JSON request nodes a planned statement is sent as. */
final class JsonValues {
    static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.mapper(); // items' names up to 65 535 bytes

    private JsonValues() {
    }

    /** Written out and read back, so binaries become the base64 text the wire format has. */
    static JsonNode value(AttributeValue v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            AttributeValueJson.write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.createObjectNode();
        item.forEach((name, v) -> node.set(name, value(v)));
        return node;
    }
}

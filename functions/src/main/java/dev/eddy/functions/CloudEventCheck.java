package dev.eddy.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Locale;

/**
 * What a CloudEvent must be before Funqy gets it: its data a JSON object, as an operation's request
 * is. Binary mode (ce-* headers) needs a JSON content type; structured mode
 * ({@code application/cloudevents+json}) a JSON envelope whose {@code data} is an object. Anything
 * else gets the SerializationException the wire protocol sends for a body it cannot read, with
 * HTTP 400, where Funqy would answer 500 or a bare 400.
 */
final class CloudEventCheck {
    private static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.mapper(); // names up to 65 535 bytes

    private CloudEventCheck() {
    }

    static boolean isCloudEvent(String ceType, String contentType) {
        return ceType != null || isStructured(contentType);
    }

    /** Null when Funqy may have it, otherwise the error to answer. */
    static DynamoException problem(String ceType, String contentType, Buffer body) {
        boolean empty = body == null || body.length() == 0;
        if (isStructured(contentType)) {
            JsonNode envelope = empty ? null : parse(body);
            if (envelope == null || !envelope.isObject() || envelope.has("data_base64")) {
                return Errors.unparseable();
            }
            JsonNode data = envelope.get("data");
            JsonNode dataType = envelope.get("datacontenttype");
            boolean dataIsObject = data == null || data.isNull() || data.isObject();
            boolean typeIsJson = dataType == null || (dataType.isTextual() && isJson(dataType.asText()));
            return dataIsObject && typeIsJson ? null : Errors.unparseable();
        }
        if (!isJson(contentType)) {
            return Errors.unparseable();
        }
        if (empty) {
            return null; // an event with no data: the operation's request is {}
        }
        JsonNode data = parse(body);
        return data != null && data.isObject() ? null : Errors.unparseable();
    }

    private static boolean isStructured(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
    }

    /** application/json, or any type with the +json suffix, parameters aside. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static JsonNode parse(Buffer body) {
        try {
            return JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}

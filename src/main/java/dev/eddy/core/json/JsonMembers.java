package dev.eddy.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading members of a JSON object from a stream while keeping the order in which their problems are
 * reported: a member's conversion may fail, and its error is held back (the parser moves on past the
 * member) until the reader that knows the reporting order asks for it. DynamoDB reports a request's
 * problems in the order its validation checks them, not in the order the members happen to be sent.
 */
public final class JsonMembers {
    private JsonMembers() {
    }

    /** Reads one value; the parser stands on its first token and is left on its last. */
    @FunctionalInterface
    public interface MemberReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /**
     * A value, or the error its conversion met. Only DynamoDB errors are held back: a body that is
     * not JSON fails at once, whatever else is wrong with it.
     */
    public static Object readOrDefer(JsonParser p, MemberReader<?> reader) throws IOException {
        JsonStreamContext container = p.getParsingContext();
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            container = container.getParent();
        }
        try {
            return reader.read(p);
        } catch (DynamoException e) {
            skipTo(p, container);
            return new Deferred(e);
        }
    }

    /** An error held back by {@link #readOrDefer}. */
    public record Deferred(DynamoException error) {
    }

    /**
     * Moves past what is left of a value a reader stopped in, up to the object or array that holds
     * it: the parser is left on the value's last token, so reading that container goes on.
     */
    static void skipTo(JsonParser p, JsonStreamContext container) throws IOException {
        while (p.getParsingContext() != container) {
            if (p.nextToken() == null) {
                throw Errors.unparseable();
            }
        }
    }

    /** ExpressionAttributeNames: each value must be a string. */
    public static final MemberReader<Map<String, String>> NAMES = p -> {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw Errors.serialization(AttributeValueJson.wrongShape(t, "Map"));
        }
        // As in a tree: a name sent twice keeps its place and its last value, and only kept values are checked.
        Map<String, Object> names = new LinkedHashMap<>();
        boolean failed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            if (vt == JsonToken.VALUE_STRING) {
                names.put(name, p.getText());
            } else {
                names.put(name, new Deferred(Errors.serialization(AttributeValueJson.wrongShape(vt, "String"))));
                p.skipChildren();
                failed = true;
            }
        }
        if (failed) {
            for (Object v : names.values()) {
                if (v instanceof Deferred d) {
                    throw d.error();
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, String> checked = (Map<String, String>) (Map<String, ?>) names;
        return checked;
    };

    /**
     * ExpressionAttributeValues as sent: each key with its value, or the error reading the value met
     * (the keys are checked before the values are, see {@code Placeholders}).
     */
    public static final MemberReader<Map<String, Object>> VALUES = p -> {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw Errors.serialization(AttributeValueJson.wrongShape(t, "Map"));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            values.put(key, readOrDefer(p, v -> AttributeValueJson.read(v, 0, false)));
        }
        return values;
    };

    /** An item or key whose bad numbers and set repeats are reported in the validation envelope. */
    public static final MemberReader<Map<String, dev.eddy.core.model.AttributeValue>> ITEM =
            p -> AttributeValueJson.readItem(p, true);

    /** A key whose bad numbers and set repeats are reported bare (GetItem, Query, BatchGetItem). */
    public static final MemberReader<Map<String, dev.eddy.core.model.AttributeValue>> BARE_ITEM =
            p -> AttributeValueJson.readItem(p, false);
}

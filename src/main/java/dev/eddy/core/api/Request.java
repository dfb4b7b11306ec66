package dev.eddy.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request body being read by one operation. Members of the wrong JSON type fail at once with
 * SerializationException, as DynamoDB's reader does; constraint violations (null, length, range,
 * pattern, enum) are collected and reported together in DynamoDB's "N validation errors detected"
 * form by {@link #check()}.
 */
public final class Request {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    private final JsonNode body;
    private final boolean planned;
    private final List<String> violations = new ArrayList<>();

    public Request(JsonNode body) {
        this(body, false);
    }

    /**
     * @param planned a request a PartiQL statement was planned into, not one a client sent: rules
     *                DynamoDB applies only to its clients' requests (a Query's filter may not name the
     *                key) do not bind the planner
     */
    public Request(JsonNode body, boolean planned) {
        this.body = body;
        this.planned = planned;
    }

    public boolean planned() {
        return planned;
    }

    public JsonNode body() {
        return body;
    }

    /** The member's node, or null when absent or JSON null. */
    public JsonNode node(String member) {
        return member(body, member);
    }

    public static JsonNode member(JsonNode parent, String member) {
        JsonNode n = parent.get(member);
        return n == null || n.isNull() ? null : n;
    }

    public String string(String member) {
        return string(body, member);
    }

    public static String string(JsonNode parent, String member) {
        JsonNode n = member(parent, member);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "String"));
        }
        return n.textValue();
    }

    public Boolean bool(String member) {
        return bool(body, member);
    }

    public static Boolean bool(JsonNode parent, String member) {
        JsonNode n = member(parent, member);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "Boolean"));
        }
        return n.booleanValue();
    }

    /** A Long member (capacity units): DynamoDB's reader names the Java type in its errors. */
    public Long integer(String member) {
        return integer(body, member);
    }

    public static Long integer(JsonNode parent, String member) {
        JsonNode n = member(parent, member);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "Long"));
        }
        return n.longValue();
    }

    /** An Integer member (Limit, Segment, TotalSegments): "STRING_VALUE cannot be converted to Integer". */
    public Long int32(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "Integer"));
        }
        return n.longValue();
    }

    public JsonNode object(String member) {
        return object(body, member);
    }

    public static JsonNode object(JsonNode parent, String member) {
        JsonNode n = member(parent, member);
        if (n != null && !n.isObject()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "a structure"));
        }
        return n;
    }

    public JsonNode list(String member) {
        return list(body, member);
    }

    public static JsonNode list(JsonNode parent, String member) {
        JsonNode n = member(parent, member);
        if (n != null && !n.isArray()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "a list"));
        }
        return n;
    }

    // --- constraints --------------------------------------------------------------------------

    public void violation(String renderedValue, String path, String constraint) {
        violations.add(Errors.violation(renderedValue, path, constraint));
    }

    public boolean notNull(String path, Object value) {
        if (value == null) {
            violation("null", path, "Member must not be null");
            return false;
        }
        return true;
    }

    /** A table or index name: 3 to 255 characters of [a-zA-Z0-9_.-]. */
    public void name(String path, String value, boolean required) {
        if (value == null) {
            if (required) {
                notNull(path, null);
            }
            return;
        }
        length(path, value, 3, 255);
        if (!NAME.matcher(value).matches()) {
            violation(quote(value), path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }

    public void length(String path, String value, int min, int max) {
        if (value.length() < min) {
            violation(quote(value), path, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            violation(quote(value), path, "Member must have length less than or equal to " + max);
        }
    }

    public void range(String path, Long value, long min, long max) {
        if (value == null) {
            return;
        }
        if (value < min) {
            violation(quote(value.toString()), path, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            violation(quote(value.toString()), path, "Member must have value less than or equal to " + max);
        }
    }

    /**
     * A top-level string member that must be one of {@code allowed}; a value outside is collected
     * as a violation at the member's path (its name with a lower-case first letter).
     */
    public String oneOf(String member, List<String> allowed) {
        String value = string(member);
        oneOf(Character.toLowerCase(member.charAt(0)) + member.substring(1), value, allowed);
        return value;
    }

    public void oneOf(String path, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            violation(quote(value), path, "Member must satisfy enum value set: " + allowed);
        }
    }

    public static String quote(String value) {
        return "'" + value + "'";
    }

    /** Throws the collected violations, if any. */
    public void check() {
        if (!violations.isEmpty()) {
            throw Errors.constraintViolations(violations);
        }
    }
}

package dev.eddy.core.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.json.JsonMembers;
import dev.eddy.core.json.JsonMembers.MemberReader;
import dev.eddy.core.json.JsonReading;
import dev.eddy.core.json.WellFormedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request body being read by one operation. Members of the wrong JSON type fail with
 * SerializationException, as DynamoDB's reader does; constraint violations (null, length, range,
 * pattern, enum) are collected and reported together in DynamoDB's "N validation errors detected"
 * form by {@link #check()}.
 *
 * <p>A body from the wire is read in one streaming pass ({@link #parse}): scalar members are kept as
 * text, the members the operation's {@link RequestShape} names are read into their own form (an
 * item, ExpressionAttributeValues) as they go by, and the other structures into small trees. A
 * member's problems are held until the operation asks for the member, so they are reported in the
 * order the operation checks its request, whatever order the client sent the members in. A request
 * built on a tree (Funqy, a transaction's parts, a planned PartiQL statement) reads from the tree.
 */
public final class Request {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final ObjectMapper JSON = JsonReading.shared();

    /** The tree a request was built on; null for a streamed body. */
    private final JsonNode tree;
    /** A streamed body: the member names and what each holds (see {@link #memberValue}). */
    private final String[] names;
    private final Object[] values;
    private final int size;
    private final byte[] raw;
    private JsonNode rawTree;
    private final boolean planned;
    /**
     * When the request came in ({@link System#nanoTime()}): where its deadline counts from. A request
     * built for another's work (a planned statement, a transaction's part) has that one's.
     */
    private long received = System.nanoTime();
    private List<String> violations;

    /** A scalar member of a streamed body, as the parser met it. */
    private record Scalar(JsonToken token, String text) {
        JsonNode node() {
            return switch (token) {
                case VALUE_STRING -> TextNode.valueOf(text);
                case VALUE_TRUE -> BooleanNode.TRUE;
                case VALUE_FALSE -> BooleanNode.FALSE;
                default -> {
                    try {
                        yield JSON.readTree(text);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }
    }

    /** A member read by its shape's reader as the body streamed by. */
    private record Typed(MemberReader<?> reader, Object value) {
    }

    public Request(JsonNode body) {
        this(body, false);
    }

    /**
     * @param planned a request a PartiQL statement was planned into, not one a client sent: rules
     *                DynamoDB applies only to its clients' requests (a Query's filter may not name the
     *                key) do not bind the planner
     */
    public Request(JsonNode body, boolean planned) {
        this(body, planned, System.nanoTime());
    }

    /** A request built for {@code origin}'s work: it has {@code origin}'s time of arrival. */
    public Request(JsonNode body, boolean planned, Request origin) {
        this(body, planned, origin.received);
    }

    private Request(JsonNode body, boolean planned, long received) {
        this.received = received;
        this.tree = body;
        this.planned = planned;
        this.names = null;
        this.values = null;
        this.size = 0;
        this.raw = null;
    }

    private Request(byte[] raw, String[] names, Object[] values, int size) {
        this.tree = null;
        this.planned = false;
        this.names = names;
        this.values = values;
        this.size = size;
        this.raw = raw;
    }

    /**
     * Reads a raw body (DynamoDB JSON 1.0) in one pass: well-formed UTF-8, no escaped lone surrogate,
     * a JSON object (JSON null and an empty document are an empty request). A body that is not JSON
     * is refused with SerializationException before anything of it is checked.
     */
    public static Request parse(byte[] body, RequestShape shape) {
        if (body.length == 0) {
            throw Errors.unparseable();
        }
        WellFormedText.checkBody(body);
        try {
            if (WellFormedText.mayEscapeSurrogate(body)) {
                // rare: the strings are checked on a tree of the whole body, members it ignores included
                WellFormedText.checkStrings(JSON.readTree(body));
            }
            try (JsonParser p = JSON.getFactory().createParser(body)) {
                JsonToken first = p.nextToken();
                if (first == null || first == JsonToken.VALUE_NULL) {
                    return new Request(body, new String[0], new Object[0], 0);
                }
                if (first != JsonToken.START_OBJECT) {
                    throw Errors.serialization("Start of structure or map found where not expected.");
                }
                String[] names = new String[8];
                Object[] values = new Object[8];
                int size = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    Object value;
                    MemberReader<?> reader = shape.reader(name);
                    if (t == JsonToken.VALUE_NULL) {
                        value = null;
                    } else if (reader != null) {
                        Object read = JsonMembers.readOrDefer(p, reader);
                        value = read instanceof JsonMembers.Deferred ? read : new Typed(reader, read);
                    } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        value = JSON.readTree(p);
                    } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                        value = new Scalar(t, null);
                    } else {
                        value = new Scalar(t, p.getText());
                    }
                    int at = indexOf(names, size, name);
                    if (at < 0) {
                        if (size == names.length) {
                            names = java.util.Arrays.copyOf(names, size * 2);
                            values = java.util.Arrays.copyOf(values, size * 2);
                        }
                        at = size++;
                        names[at] = name;
                    }
                    values[at] = value; // a repeated member: the last one counts, as in a tree
                }
                return new Request(body, names, values, size);
            }
        } catch (JsonProcessingException | java.io.CharConversionException e) {
            // CharConversionException: Jackson took the bytes for UTF-16 or UTF-32 (they start with NULs)
            throw Errors.unparseable();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(String[] names, int size, String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean planned() {
        return planned;
    }

    /** When the request came in, as {@link System#nanoTime()} gives it. */
    public long received() {
        return received;
    }

    /**
     * Counts the request from {@code nanos} (its time of arrival, when that came before its parsing:
     * the front's, with the wait for a worker thread in it); a later time changes nothing.
     */
    public Request receivedAt(long nanos) {
        if (nanos - received < 0) {
            received = nanos;
        }
        return this;
    }

    /** The whole body as a tree (built on demand for a streamed body: only rare operations need it). */
    public JsonNode body() {
        if (tree != null) {
            return tree;
        }
        if (rawTree == null) {
            try {
                JsonNode t = JSON.readTree(raw);
                rawTree = t == null || !t.isObject() ? JSON.createObjectNode() : t;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rawTree;
    }

    /** What a streamed body holds for a member: null, a Scalar, a JsonNode, a Typed or a Deferred error. */
    private Object memberValue(String member) {
        int at = indexOf(names, size, member);
        return at < 0 ? null : values[at];
    }

    /** Whether the member is given (and not JSON null). */
    public boolean has(String member) {
        return tree != null ? member(tree, member) != null : memberValue(member) != null;
    }

    /** The member's node, or null when absent or JSON null. */
    public JsonNode node(String member) {
        if (tree != null) {
            return member(tree, member);
        }
        return asNode(member, memberValue(member));
    }

    private static JsonNode asNode(String member, Object v) {
        if (v == null || v instanceof JsonNode) {
            return (JsonNode) v;
        }
        if (v instanceof Scalar s) {
            return s.node();
        }
        throw new IllegalStateException(member + " is read by its own reader (RequestShape), not as a tree");
    }

    /**
     * A member read by a streaming reader: already read when the operation's shape names it with this
     * reader, otherwise read now from what the body holds. Its problems are thrown here, in the order
     * the operation asks. Null when absent or JSON null.
     */
    @SuppressWarnings("unchecked")
    public <T> T read(String member, MemberReader<T> reader) {
        Object v = tree != null ? member(tree, member) : memberValue(member);
        if (v == null) {
            return null;
        }
        if (v instanceof Typed typed) {
            if (typed.reader() != reader) {
                throw new IllegalStateException(member + " was read by another reader");
            }
            return (T) typed.value();
        }
        if (v instanceof JsonMembers.Deferred d) {
            throw d.error();
        }
        JsonNode node = v instanceof Scalar s ? s.node() : (JsonNode) v;
        try (JsonParser p = node.traverse(JSON)) {
            p.nextToken();
            return reader.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode member(JsonNode parent, String member) {
        JsonNode n = parent.get(member);
        return n == null || n.isNull() ? null : n;
    }

    public String string(String member) {
        if (tree != null) {
            return string(tree, member);
        }
        Object v = memberValue(member);
        if (v instanceof Scalar s && s.token() == JsonToken.VALUE_STRING) {
            return s.text();
        }
        return v == null ? null : string(shaped(member, v), member);
    }

    /** A streamed member whose JSON type its accessor does not expect: the tree form its errors are made from. */
    private static JsonNode shaped(String member, Object v) {
        JsonNode node = asNode(member, v);
        return JSON.createObjectNode().set(member, node);
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
        if (tree != null) {
            return bool(tree, member);
        }
        Object v = memberValue(member);
        if (v instanceof Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        return v == null ? null : bool(shaped(member, v), member);
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
        return tree != null ? integer(tree, member) : integer(shapedOrEmpty(member), member);
    }

    private JsonNode shapedOrEmpty(String member) {
        Object v = memberValue(member);
        return v == null ? JSON.createObjectNode() : shaped(member, v);
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
        return tree != null ? object(tree, member) : object(shapedOrEmpty(member), member);
    }

    public static JsonNode object(JsonNode parent, String member) {
        JsonNode n = member(parent, member);
        if (n != null && !n.isObject()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "a structure"));
        }
        return n;
    }

    public JsonNode list(String member) {
        return tree != null ? list(tree, member) : list(shapedOrEmpty(member), member);
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
        if (violations == null) {
            violations = new ArrayList<>(2);
        }
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
        if (violations != null && !violations.isEmpty()) {
            throw Errors.constraintViolations(violations);
        }
    }
}

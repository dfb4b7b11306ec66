package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One filter pattern in Lambda's event filtering syntax, compiled once and matched per record.
 *
 * <p>A pattern is an object whose fields name fields of the record. A field's value is either a
 * nested pattern (an object) or a list of conditions (an array), of which one must hold; all
 * fields of an object must match, and {@code "$or": [pattern, ...]} asks for one of several
 * patterns. Conditions:
 * <ul>
 *   <li>a literal: {@code "text"}, {@code 12}, {@code true}, {@code null} (equal value and type;
 *       {@code ""} matches the empty string)</li>
 *   <li>{@code {"prefix": "us-"}}, {@code {"suffix": ".png"}}, {@code {"equals-ignore-case": "a"}}</li>
 *   <li>{@code {"anything-but": value | [values] | {"prefix": p} | {"suffix": s}}}</li>
 *   <li>{@code {"numeric": [">", 10, "<=", 20]}}: one or two comparisons, {@code = < <= > >=}.
 *       DynamoDB JSON carries numbers as strings ({@code {"N":"12"}}), so a numeric condition
 *       also reads a string that holds a number.</li>
 *   <li>{@code {"exists": true | false}}</li>
 * </ul>
 * A record field that is an array matches when one of its elements does (so a pattern can look
 * into a DynamoDB list, {@code "L"}). A field missing from the record matches only
 * {@code {"exists": false}}.
 */
final class FilterPattern {

    private static final JsonNode NOTHING = JsonNodeFactory.instance.objectNode();

    /** One field's test: given the record's value at that field (null when missing). */
    private interface FieldTest {
        boolean test(JsonNode value);
    }

    private final List<Map.Entry<String, FieldTest>> fields;
    private final List<FilterPattern> anyOf;

    private FilterPattern(List<Map.Entry<String, FieldTest>> fields, List<FilterPattern> anyOf) {
        this.fields = fields;
        this.anyOf = anyOf;
    }

    static FilterPattern parse(JsonNode pattern) {
        if (pattern == null || !pattern.isObject()) {
            throw new IllegalArgumentException("a filter pattern must be a JSON object, got: " + pattern);
        }
        List<Map.Entry<String, FieldTest>> fields = new ArrayList<>();
        List<FilterPattern> anyOf = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode spec = field.getValue();
            if ("$or".equals(name)) {
                if (!spec.isArray() || spec.size() < 2) {
                    throw new IllegalArgumentException("\"$or\" takes an array of at least two patterns");
                }
                spec.forEach(alternative -> anyOf.add(parse(alternative)));
            } else if (spec.isObject()) {
                fields.add(Map.entry(name, nested(parse(spec))));
            } else if (spec.isArray()) {
                fields.add(Map.entry(name, conditions(name, spec)));
            } else {
                throw new IllegalArgumentException("pattern field \"" + name
                        + "\" must hold an array of conditions or a nested pattern, got: " + spec);
            }
        }
        if (fields.isEmpty() && anyOf.isEmpty()) {
            throw new IllegalArgumentException("a filter pattern must name at least one field");
        }
        return new FilterPattern(List.copyOf(fields), List.copyOf(anyOf));
    }

    boolean matches(JsonNode object) {
        for (Map.Entry<String, FieldTest> field : fields) {
            if (!field.getValue().test(object.get(field.getKey()))) {
                return false;
            }
        }
        if (anyOf.isEmpty()) {
            return true;
        }
        for (FilterPattern alternative : anyOf) {
            if (alternative.matches(object)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A nested pattern: it must match the object at the field, or one object of an array there.
     * Below a missing (or scalar) field nothing exists, so only exists:false can hold there.
     */
    private static FieldTest nested(FilterPattern pattern) {
        return value -> {
            if (value != null && value.isArray()) {
                for (JsonNode element : value) {
                    if (element.isObject() && pattern.matches(element)) {
                        return true;
                    }
                }
                return false;
            }
            return pattern.matches(value != null && value.isObject() ? value : NOTHING);
        };
    }

    /** A field's list of conditions: one must hold. */
    private static FieldTest conditions(String field, JsonNode list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("pattern field \"" + field + "\" has an empty condition list");
        }
        List<Condition> conditions = new ArrayList<>();
        Boolean exists = null;
        for (JsonNode spec : list) {
            if (spec.isObject() && spec.has("exists")) {
                if (spec.size() != 1 || !spec.get("exists").isBoolean()) {
                    throw new IllegalArgumentException("\"exists\" takes true or false, in a condition of its own");
                }
                exists = spec.get("exists").asBoolean();
            } else {
                conditions.add(Condition.parse(spec));
            }
        }
        Boolean wantPresent = exists;
        return value -> {
            if (value == null || value.isMissingNode()) {
                return Boolean.FALSE.equals(wantPresent);
            }
            if (Boolean.TRUE.equals(wantPresent)) {
                return true;
            }
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (anyHolds(conditions, element)) {
                        return true;
                    }
                }
                return false;
            }
            return anyHolds(conditions, value);
        };
    }

    private static boolean anyHolds(List<Condition> conditions, JsonNode value) {
        for (Condition c : conditions) {
            if (c.holds(value)) {
                return true;
            }
        }
        return false;
    }

    /** One condition on one present, non-array value. */
    private interface Condition {
        boolean holds(JsonNode value);

        static Condition parse(JsonNode spec) {
            if (spec.isTextual() || spec.isNumber() || spec.isBoolean() || spec.isNull()) {
                return literal(spec);
            }
            if (!spec.isObject() || spec.size() != 1) {
                throw new IllegalArgumentException("unsupported filter condition: " + spec);
            }
            String op = spec.fieldNames().next();
            JsonNode arg = spec.get(op);
            switch (op) {
                case "prefix":
                    String prefix = text(op, arg);
                    return value -> value.isTextual() && value.asText().startsWith(prefix);
                case "suffix":
                    String suffix = text(op, arg);
                    return value -> value.isTextual() && value.asText().endsWith(suffix);
                case "equals-ignore-case":
                    String other = text(op, arg);
                    return value -> value.isTextual() && value.asText().equalsIgnoreCase(other);
                case "anything-but":
                    return anythingBut(arg);
                case "numeric":
                    return NumericRange.parse(arg);
                default:
                    throw new IllegalArgumentException("unsupported filter operator \"" + op + "\"");
            }
        }

        private static String text(String op, JsonNode arg) {
            if (!arg.isTextual()) {
                throw new IllegalArgumentException("\"" + op + "\" takes a string, got: " + arg);
            }
            return arg.asText();
        }

        private static Condition literal(JsonNode expected) {
            if (expected.isNumber()) {
                BigDecimal number = expected.decimalValue();
                return value -> value.isNumber() && value.decimalValue().compareTo(number) == 0;
            }
            return value -> value.getNodeType() == expected.getNodeType() && value.equals(expected);
        }

        private static Condition anythingBut(JsonNode arg) {
            if (arg.isObject()) {
                Condition excluded = parse(arg);
                if (!arg.has("prefix") && !arg.has("suffix") && !arg.has("equals-ignore-case")) {
                    throw new IllegalArgumentException("\"anything-but\" takes values, a prefix or a suffix, got: " + arg);
                }
                return value -> !excluded.holds(value);
            }
            List<Condition> excluded = new ArrayList<>();
            if (arg.isArray()) {
                arg.forEach(v -> excluded.add(literal(v)));
            } else {
                excluded.add(literal(arg));
            }
            return value -> !anyHolds(excluded, value);
        }
    }

    /** {@code {"numeric": [op, n]}} or {@code [op, n, op, n]}. */
    private static final class NumericRange implements Condition {
        private final String[] ops;
        private final BigDecimal[] bounds;

        private NumericRange(String[] ops, BigDecimal[] bounds) {
            this.ops = ops;
            this.bounds = bounds;
        }

        static NumericRange parse(JsonNode arg) {
            if (!arg.isArray() || (arg.size() != 2 && arg.size() != 4)) {
                throw new IllegalArgumentException("\"numeric\" takes [op, number] or [op, number, op, number], got: " + arg);
            }
            int n = arg.size() / 2;
            String[] ops = new String[n];
            BigDecimal[] bounds = new BigDecimal[n];
            for (int i = 0; i < n; i++) {
                ops[i] = arg.get(2 * i).asText();
                if (!List.of("=", "<", "<=", ">", ">=").contains(ops[i]) || !arg.get(2 * i + 1).isNumber()) {
                    throw new IllegalArgumentException("\"numeric\" comparisons are = < <= > >= with a number, got: " + arg);
                }
                bounds[i] = arg.get(2 * i + 1).decimalValue();
            }
            return new NumericRange(ops, bounds);
        }

        @Override
        public boolean holds(JsonNode value) {
            BigDecimal number = number(value);
            if (number == null) {
                return false;
            }
            for (int i = 0; i < ops.length; i++) {
                int c = number.compareTo(bounds[i]);
                boolean ok = switch (ops[i]) {
                    case "=" -> c == 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        private static BigDecimal number(JsonNode value) {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual()) {
                try {
                    return new BigDecimal(value.asText().trim());
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            }
            return null;
        }
    }
}

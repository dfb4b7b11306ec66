package dev.eddy.core.expression;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * The legacy conditional parameters, Expected and ConditionalOperator (API Reference,
 * "ExpectedAttributeValue"): per attribute either Value/Exists, or a ComparisonOperator with its
 * AttributeValueList, all joined by AND or OR. Checked as DynamoDB checks them and turned into a
 * {@link Condition} evaluated like a ConditionExpression.
 */
public final class Expected {
    /** ComparisonOperator's values, in the order DynamoDB lists them when one is not among them. */
    public static final List<String> OPERATORS = List.of("IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT",
            "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS");
    public static final List<String> CONDITIONAL_OPERATORS = List.of("OR", "AND");

    private Expected() {
    }

    /**
     * One attribute's expectation as the request gave it; a member left out is null.
     *
     * @param valueList AttributeValueList
     */
    public record Expectation(AttributeValue value, Boolean exists, String operator, List<AttributeValue> valueList) {
    }

    /**
     * @param expected            Expected, or null when not given
     * @param conditionalOperator ConditionalOperator, or null (AND)
     * @return the condition, or null when there is nothing to check
     */
    public static Condition condition(Map<String, Expectation> expected, String conditionalOperator) {
        if (conditionalOperator != null) {
            if (expected == null || expected.isEmpty()) {
                throw Errors.conditionalOperatorWithoutConditions();
            }
            if (expected.size() == 1) {
                throw Errors.conditionalOperatorWithOneCondition();
            }
        }
        if (expected == null || expected.isEmpty()) {
            return null;
        }
        boolean or = "OR".equals(conditionalOperator);
        Condition all = null;
        for (Map.Entry<String, Expectation> e : expected.entrySet()) {
            Condition c = check(e.getKey(), e.getValue());
            all = all == null ? c : or ? new Condition.Or(all, c) : new Condition.And(all, c);
        }
        return all;
    }

    private static Condition check(String attribute, Expectation x) {
        if (x.value != null && x.valueList != null) {
            throw Errors.expectedValueAndList(attribute);
        }
        if (x.operator != null) {
            if (x.exists != null) {
                throw Errors.expectedExistsAndOperator(attribute);
            }
            boolean takesNoValue = x.operator.equals("NULL") || x.operator.equals("NOT_NULL");
            if (!takesNoValue && x.value == null && x.valueList == null) {
                throw Errors.expectedOperatorWithoutValue(x.operator, attribute);
            }
            List<AttributeValue> values = x.valueList != null ? x.valueList
                    : x.value != null ? List.of(x.value) : List.of();
            checkArguments(x.operator, values);
            return new Comparison(attribute, x.operator, values);
        }
        if (x.valueList != null) {
            throw Errors.expectedListWithoutOperator(attribute);
        }
        boolean exists = x.exists == null || x.exists;
        if (exists && x.value == null) {
            throw Errors.expectedValueMissing(x.exists == null ? "null" : "true", attribute);
        }
        if (!exists && x.value != null) {
            throw Errors.expectedValueWithExistsFalse(attribute);
        }
        return exists ? new Comparison(attribute, "EQ", List.of(x.value)) : new Comparison(attribute, "NULL", List.of());
    }

    private static void checkArguments(String operator, List<AttributeValue> values) {
        int n = values.size();
        boolean countOk = switch (operator) {
            case "NULL", "NOT_NULL" -> n == 0;
            case "IN" -> n > 0;
            case "BETWEEN" -> n == 2;
            default -> n == 1;
        };
        if (!countOk) {
            throw Errors.expectedArgumentCount(operator);
        }
        for (AttributeValue v : values) {
            if (v.type() != values.get(0).type()) {
                throw Errors.expectedMixedTypes();
            }
        }
        for (AttributeValue v : values) {
            if (!typeAllowed(operator, v.type())) {
                throw Errors.expectedOperatorType(operator, v.type().name());
            }
        }
        if (operator.equals("BETWEEN") && Values.compare(values.get(0), values.get(1)) > 0) {
            throw Errors.expectedBetweenBounds();
        }
    }

    /** EQ and NE take any type; ordering and IN take S, N, B; CONTAINS takes no set, list or map. */
    private static boolean typeAllowed(String operator, AttributeValue.Type t) {
        return switch (operator) {
            case "EQ", "NE" -> true;
            case "BEGINS_WITH" -> t == AttributeValue.Type.S || t == AttributeValue.Type.B;
            case "CONTAINS", "NOT_CONTAINS" -> !Values.isSet(t) && t != AttributeValue.Type.L
                    && t != AttributeValue.Type.M;
            default -> Values.isScalarKeyType(t);
        };
    }

    /** One legacy comparison on a top-level attribute; a missing attribute only satisfies NE and NULL. */
    record Comparison(String attribute, String operator, List<AttributeValue> values) implements Condition {
        Comparison {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            AttributeValue v = item == null ? null : item.get(attribute);
            AttributeValue first = values.isEmpty() ? null : values.get(0);
            return switch (operator) {
                case "NULL" -> v == null;
                case "NOT_NULL" -> v != null;
                case "EQ" -> first.equals(v);
                case "NE" -> !first.equals(v);
                case "LT" -> Condition.Comparator.LT.test(v, first);
                case "LE" -> Condition.Comparator.LE.test(v, first);
                case "GT" -> Condition.Comparator.GT.test(v, first);
                case "GE" -> Condition.Comparator.GE.test(v, first);
                case "CONTAINS" -> Values.contains(v, first);
                case "NOT_CONTAINS" -> v != null && !Values.contains(v, first);
                case "BEGINS_WITH" -> Values.beginsWith(v, first);
                case "IN" -> v != null && values.contains(v);
                default -> Values.orderable(v, first) && Values.compare(first, v) <= 0
                        && Values.compare(v, values.get(1)) <= 0; // BETWEEN
            };
        }
    }
}

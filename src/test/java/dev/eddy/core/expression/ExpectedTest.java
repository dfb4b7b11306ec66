package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.expression.Fixtures.assertValidation;
import static dev.eddy.core.expression.Fixtures.b;
import static dev.eddy.core.expression.Fixtures.item;
import static dev.eddy.core.expression.Fixtures.l;
import static dev.eddy.core.expression.Fixtures.m;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.s;
import static dev.eddy.core.expression.Fixtures.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The legacy Expected parameter, its checks and its comparisons, as DynamoDB Local 2.6.1 answered. */
class ExpectedTest {
    private static final Map<String, AttributeValue> ITEM = item("a", n(1), "b", n(2), "s", s("h\u00e9llo"),
            "bin", b(1, 2, 3), "l", l(n(1), s("x")), "ss", ss("x", "y"), "t", AttributeValue.bool(true),
            "nul", AttributeValue.nul());

    private static Expected.Expectation value(AttributeValue v) {
        return new Expected.Expectation(v, null, null, null);
    }

    private static Expected.Expectation exists(boolean exists) {
        return new Expected.Expectation(null, exists, null, null);
    }

    private static Expected.Expectation op(String operator, AttributeValue... values) {
        return new Expected.Expectation(null, null, operator, List.of(values));
    }

    private static Map<String, Expected.Expectation> on(String attribute, Expected.Expectation x) {
        Map<String, Expected.Expectation> m = new LinkedHashMap<>();
        m.put(attribute, x);
        return m;
    }

    private static boolean eval(String attribute, Expected.Expectation x) {
        return Expected.condition(on(attribute, x), null).matches(ITEM);
    }

    @Test
    void valueAndExists() {
        assertEquals(true, eval("a", value(n(1))));
        assertEquals(false, eval("a", value(n(2))));
        assertEquals(true, eval("a", new Expected.Expectation(n(1), true, null, null)));
        assertEquals(false, eval("a", exists(false)));
        assertEquals(true, eval("zz", exists(false)));
        assertEquals(true, eval("nul", value(AttributeValue.nul())));
        assertEquals(false, eval("a", value(l(n(1)))));
    }

    @Test
    void comparisonOperators() {
        assertEquals(true, eval("a", op("EQ", n(1))));
        assertEquals(true, eval("l", op("EQ", l(n(1), s("x")))));
        assertEquals(true, eval("zz", op("NE", n(1))));
        assertEquals(true, eval("a", op("NE", m())));
        assertEquals(false, eval("a", op("NULL")));
        assertEquals(true, eval("zz", op("NULL")));
        assertEquals(true, eval("a", op("NOT_NULL")));
        assertEquals(true, eval("a", op("IN", n(3), n(1))));
        assertEquals(true, eval("a", op("BETWEEN", n(0), n(2))));
        assertEquals(false, eval("s", op("GT", n(1))));
        assertEquals(true, eval("ss", op("CONTAINS", s("x"))));
        assertEquals(true, eval("l", op("CONTAINS", s("x"))));
        assertEquals(true, eval("bin", op("CONTAINS", b(2))));
        assertEquals(false, eval("zz", op("NOT_CONTAINS", s("x"))));
        assertEquals(true, eval("ss", op("NOT_CONTAINS", s("q"))));
        assertEquals(true, eval("s", op("NOT_CONTAINS", n(1))));
        assertEquals(true, eval("s", op("BEGINS_WITH", s("h\u00e9"))));
        assertEquals(false, eval("t", op("CONTAINS", AttributeValue.bool(false))));
        // A single Value stands for a one-element AttributeValueList.
        assertEquals(true, eval("a", new Expected.Expectation(n(1), null, "IN", null)));
    }

    @Test
    void andOr() {
        Map<String, Expected.Expectation> both = new LinkedHashMap<>();
        both.put("a", value(n(2)));
        both.put("b", value(n(2)));
        assertEquals(true, Expected.condition(both, "OR").matches(ITEM));
        assertEquals(false, Expected.condition(both, "AND").matches(ITEM));
        assertEquals(false, Expected.condition(both, null).matches(ITEM));
        assertNull(Expected.condition(new LinkedHashMap<>(), null));
        assertNull(Expected.condition(null, null));
    }

    @Test
    void checks() {
        String invalid = "One or more parameter values were invalid: ";
        assertValidation(invalid + "Value must be provided when Exists is true for Attribute: a",
                () -> Expected.condition(on("a", exists(true)), null));
        assertValidation(invalid + "Value must be provided when Exists is null for Attribute: a",
                () -> Expected.condition(on("a", new Expected.Expectation(null, null, null, null)), null));
        assertValidation(invalid + "Value cannot be used when Exists is false for Attribute: zz",
                () -> Expected.condition(on("zz", new Expected.Expectation(n(1), false, null, null)), null));
        assertValidation(invalid + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
                () -> Expected.condition(on("a", new Expected.Expectation(null, null, null, List.of(n(1)))), null));
        assertValidation(invalid + "Value and AttributeValueList cannot be used together for Attribute: a",
                () -> Expected.condition(on("a", new Expected.Expectation(n(1), false, "EQ", List.of(n(1)))), null));
        assertValidation(invalid + "Exists and ComparisonOperator cannot be used together for Attribute: a",
                () -> Expected.condition(on("a", new Expected.Expectation(n(1), true, "EQ", null)), null));
        assertValidation(invalid + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a",
                () -> Expected.condition(on("a", new Expected.Expectation(null, null, "EQ", null)), null));
        assertValidation(invalid + "Invalid number of argument(s) for the NOT_NULL ComparisonOperator",
                () -> Expected.condition(on("a", op("NOT_NULL", n(1))), null));
        assertValidation(invalid + "Invalid number of argument(s) for the EQ ComparisonOperator",
                () -> Expected.condition(on("a", op("EQ", n(1), n(2))), null));
        assertValidation(invalid + "Invalid number of argument(s) for the IN ComparisonOperator",
                () -> Expected.condition(on("a", op("IN")), null));
        assertValidation(invalid + "Invalid number of argument(s) for the NULL ComparisonOperator",
                () -> Expected.condition(on("a", new Expected.Expectation(n(1), null, "NULL", null)), null));
        assertValidation(invalid + "AttributeValues inside AttributeValueList must be of same type",
                () -> Expected.condition(on("a", op("IN", s("3"), n(1))), null));
        assertValidation(invalid + "ComparisonOperator LT is not valid for SS AttributeValue type",
                () -> Expected.condition(on("a", op("LT", ss("x"))), null));
        assertValidation(invalid + "ComparisonOperator CONTAINS is not valid for L AttributeValue type",
                () -> Expected.condition(on("a", op("CONTAINS", l())), null));
        assertValidation(invalid + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
                () -> Expected.condition(on("a", op("BEGINS_WITH", n(1))), null));
        assertValidation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                () -> Expected.condition(on("a", op("BETWEEN", n(2), n(0))), null));
        assertValidation("ConditionalOperator can only be used when Filter or Expected has two or more elements",
                () -> Expected.condition(on("a", value(n(1))), "OR"));
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> Expected.condition(null, "OR"));
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> Expected.condition(new LinkedHashMap<>(), "AND"));
    }
}

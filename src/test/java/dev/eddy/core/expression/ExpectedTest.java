package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static dev.eddy.core.expression.Fixtures.b;
import static dev.eddy.core.expression.Fixtures.item;
import static dev.eddy.core.expression.Fixtures.l;
import static dev.eddy.core.expression.Fixtures.m;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.s;
import static dev.eddy.core.expression.Fixtures.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The legacy Expected parameter, its checks and its comparisons, as DynamoDB Local 2.6.1 answered;
 * the refused ones are in {@value ErrorCase#FILE}.
 */
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

    @ParameterizedTest(name = "{0}")
    @ErrorCases("expected")
    void checks(ErrorCase c) {
        c.assertRefused();
    }
}

package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static dev.eddy.core.expression.Fixtures.item;
import static dev.eddy.core.expression.Fixtures.l;
import static dev.eddy.core.expression.Fixtures.m;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.names;
import static dev.eddy.core.expression.Fixtures.ns;
import static dev.eddy.core.expression.Fixtures.placeholders;
import static dev.eddy.core.expression.Fixtures.s;
import static dev.eddy.core.expression.Fixtures.ss;
import static dev.eddy.core.expression.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Update expressions applied to an item, with the results DynamoDB Local 2.6.1 gave; the refused
 * ones are in {@value ErrorCase#FILE}.
 */
class UpdateTest {
    private static final Map<String, AttributeValue> ITEM = item("pk", s("u"), "a", n(1), "s", s("x"),
            "l", l(n(1), n(2), n(3)), "m", m("b", n(2), "c", m("d", s("z"))), "ss", ss("x", "y"), "ns", ns("1", "2"));

    private static Map<String, AttributeValue> apply(String expression, Object... valuePairs) {
        return Expressions.update(expression, placeholders(null, values(valuePairs))).apply(ITEM);
    }

    @Test
    void theItemGivenIsNotChanged() {
        Map<String, AttributeValue> before = Map.copyOf(ITEM);
        apply("SET a = :v REMOVE s, l[0] ADD ss :x DELETE ns :y", ":v", n(5), ":x", ss("q"), ":y", ns("1"));
        assertEquals(before, ITEM);
    }

    @Test
    void setReadsTheOldItem() {
        Map<String, AttributeValue> r = apply("SET a = :v, b = a", ":v", n(9));
        assertEquals(n(9), r.get("a"));
        assertEquals(n(1), r.get("b"));
        assertEquals(l(n(2), n(1), n(3)), apply("SET l[0] = l[1], l[1] = l[0]").get("l"));
        assertEquals(n(2), apply("SET a = a + a").get("a"));
        assertEquals(n(0), apply("SET a = :v - a", ":v", n(1)).get("a"));
        assertEquals(n(1), apply("SET a = if_not_exists(a, :v)", ":v", n(5)).get("a"));
        assertEquals(n(2), apply("SET z = if_not_exists(zz, :v) + :v", ":v", n(1)).get("z"));
        assertEquals(l(n(1), n(2), n(3), n(9)), apply("SET a = list_append(l, :v)", ":v", l(n(9))).get("a"));
        assertEquals(l(n(9), n(1), n(2), n(3)), apply("SET a = list_append(:v, l)", ":v", l(n(9))).get("a"));
        assertEquals(l(n(9)), apply("SET a = list_append(if_not_exists(zz, :e), :v)", ":v", l(n(9)), ":e", l()).get("a"));
    }

    @Test
    void nestedPaths() {
        assertEquals(m("b", n(2), "c", m("d", s("z"), "zz", n(9))), apply("SET m.c.zz = :v", ":v", n(9)).get("m"));
        assertEquals(m("b", n(2), "c", m()), apply("REMOVE m.c.d").get("m"));
        assertEquals(ITEM.get("m"), apply("REMOVE m.zz").get("m"));
        assertEquals(m("b", n(3), "c", m("d", s("z"))), apply("ADD m.b :v", ":v", n(1)).get("m"));
        Update named = Expressions.update("SET #m.#c.#d = :v", placeholders(names("#m", "m", "#c", "c", "#d", "d"),
                values(":v", n(7))));
        assertEquals(m("b", n(2), "c", m("d", n(7))), named.apply(ITEM).get("m"));
    }

    @Test
    void listIndexesNameTheOldPositions() {
        assertEquals(l(n(1), n(9), n(3)), apply("SET l[1] = :v", ":v", n(9)).get("l"));
        assertEquals(l(n(1), n(2), n(3), n(9)), apply("SET l[10] = :v", ":v", n(9)).get("l"));
        // Appends come in index order, whatever order they are written in.
        assertEquals(l(n(1), n(2), n(3), n(8), n(7)), apply("SET l[11] = :a, l[10] = :b", ":a", n(7), ":b", n(8)).get("l"));
        assertEquals(l(n(7), n(3)), apply("SET l[1] = :a REMOVE l[0]", ":a", n(7)).get("l"));
        assertEquals(l(n(8), n(7)), apply("SET l[5] = :a, l[1] = :b REMOVE l[0], l[2]", ":a", n(7), ":b", n(8)).get("l"));
        assertEquals(l(n(2), n(3), n(7)), apply("REMOVE l[0] SET l[3] = :a", ":a", n(7)).get("l"));
        assertEquals(l(n(2)), apply("REMOVE l[0], l[2]").get("l"));
        assertEquals(ITEM.get("l"), apply("REMOVE l[9]").get("l"));
        assertEquals(l(n(2), n(2), n(3)), apply("ADD l[0] :v", ":v", n(1)).get("l"));
        assertEquals(l(n(1), n(2), n(3), n(1)), apply("ADD l[7] :v", ":v", n(1)).get("l"));
    }

    @Test
    void addAndDelete() {
        assertEquals(n(2), apply("ADD a :v", ":v", n(1)).get("a"));
        assertEquals(n(1), apply("ADD zz :v", ":v", n(1)).get("zz"));
        assertEquals(ss("x", "y", "z"), apply("ADD ss :v", ":v", ss("z", "x")).get("ss"));
        assertEquals(ss("z"), apply("ADD zz :v", ":v", ss("z")).get("zz"));
        assertEquals(ss("y"), apply("DELETE ss :v", ":v", ss("x")).get("ss"));
        assertEquals(ITEM.get("ss"), apply("DELETE ss :v", ":v", ss("q")).get("ss"));
        // Taking every member away removes the attribute: DynamoDB has no empty sets.
        assertFalse(apply("DELETE ss :v", ":v", ss("x", "y")).containsKey("ss"));
        assertFalse(apply("DELETE ns :v", ":v", ns("1.0", "2")).containsKey("ns"));
        assertFalse(apply("DELETE zz :v", ":v", ns("1")).containsKey("zz"));
        Map<String, AttributeValue> all = apply("SET a = :v ADD ss :w DELETE ns :x REMOVE zz",
                ":v", n(5), ":w", ss("q"), ":x", ns("1"));
        assertEquals(n(5), all.get("a"));
        assertEquals(ss("x", "y", "q"), all.get("ss"));
        assertEquals(ns("2"), all.get("ns"));
    }

    @Test
    void removingWhatIsNotThereChangesNothing() {
        assertEquals(ITEM, apply("REMOVE zz"));
        Map<String, AttributeValue> r = apply("REMOVE a, s");
        assertFalse(r.containsKey("a"));
        assertFalse(r.containsKey("s"));
        assertTrue(r.containsKey("l"));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("errors found on the item")
    void errorsFoundOnTheItem(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void arithmeticIsExactWithinDynamoDbsRange() {
        assertEquals(n("-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                        + "000000000000000000000000000000000000000000001"),
                apply("SET a = :n - :m", ":n", n("1E-130"), ":m", n("2E-130")).get("a"));
        assertEquals(n("0.3"), apply("SET a = :x + :y", ":x", n("0.1"), ":y", n("0.2")).get("a"));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("arithmetic limits")
    void arithmeticOutsideDynamoDbsRangeIsRefused(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void whatAnUpdateWrites() {
        Update u = Expressions.update("SET m.c.d = :v, l[1] = :v REMOVE a ADD ss :s DELETE ns :n",
                placeholders(null, values(":v", n(1), ":s", ss("q"), ":n", ns("1"))));
        assertEquals(List.of("[m, c, d]", "[l, [1]]", "[a]", "[ss]", "[ns]"),
                u.paths().stream().map(DocumentPath::toString).toList());
        assertFalse(u.onlyRemoves());
        assertTrue(Expressions.update("REMOVE a DELETE ss :s", placeholders(null, values(":s", ss("x")))).onlyRemoves());
    }
}

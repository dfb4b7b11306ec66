package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.expression.Fixtures.b;
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

/**
 * Condition expressions evaluated against an item, each expected outcome as DynamoDB Local 2.6.1
 * gave it for the same item and expression.
 */
class ConditionTest {
    private static final Map<String, AttributeValue> ITEM = item(
            "pk", s("c"), "a", n(1), "b", n(2), "s", s("h\u00e9llo"), "s2", s("h\u00e9"), "e", s(""),
            "bin", b(1, 2, 3), "l", l(n(1), s("x"), l(n(3))), "m", m("b", n(2), "c", m("d", s("z"))),
            "ss", ss("x", "y"), "ns", ns("1", "2"), "t", AttributeValue.bool(true), "nul", AttributeValue.nul(),
            "el", l());

    private static boolean eval(String expression, Object... valuePairs) {
        Condition c = Expressions.condition(expression, placeholders(null, values(valuePairs)));
        return c.matches(ITEM);
    }

    private static void holds(String expression, Object... valuePairs) {
        assertEquals(true, eval(expression, valuePairs), expression);
    }

    private static void fails(String expression, Object... valuePairs) {
        assertEquals(false, eval(expression, valuePairs), expression);
    }

    @Test
    void comparisons() {
        holds("a = :v", ":v", n("1.0"));
        holds("a = :v", ":v", n("1E0"));
        fails("a = b");
        holds("a < b");
        fails("b < a");
        holds("s2 < s");
        fails("s < s2");
        holds("bin < :v", ":v", b(2, 2, 3));
        holds("bin < :v", ":v", b(0xFF, 2, 3)); // unsigned
        holds("ss = :v", ":v", ss("y", "x"));
        holds("ns = :v", ":v", ns("2", "1.0"));
        fails("ss = :v", ":v", ss("x", "y", "z"));
        holds("l = :v", ":v", l(n(1), s("x"), l(n("3.0"))));
        holds("m = :v", ":v", m("c", m("d", s("z")), "b", n(2)));
        holds("t = :v", ":v", AttributeValue.bool(true));
        holds("nul = :v", ":v", AttributeValue.nul());
        holds("e < :v", ":v", s("a"));
        // Across types: false, not an error.
        fails("a < s");
        fails("s < :v", ":v", n(1));
        fails("a = :v", ":v", l());
        holds("a <> :v", ":v", s("1"));
    }

    @Test
    void stringsOrderByTheirUtf8Bytes() {
        Map<String, AttributeValue> it = item("s", s("\uff61"));
        // U+FF61 sorts before U+1F600 in UTF-8, after its surrogates in UTF-16.
        assertEquals(true, Expressions.condition("s < :v", placeholders(null, values(":v", s("\uD83D\uDE00"))))
                .matches(it));
    }

    @Test
    void missingAttributes() {
        fails("zz = :v", ":v", s("x"));
        holds("NOT zz = :v", ":v", s("x"));
        holds("zz <> :v", ":v", s("x"));
        holds("zz <> yy");
        holds(":v <> zz", ":v", n(1));
        fails("zz < :v", ":v", s("x"));
        holds("NOT zz < :v", ":v", s("x"));
        fails("zz IN (:v)", ":v", n(5));
        holds("a IN (zz, :v)", ":v", n(1));
        holds("attribute_not_exists(a.b)");
        fails("l[5] = :v", ":v", n(3));
        fails("l.x = :v", ":v", n(3));
        fails("m[0] = :v", ":v", n(3));
        holds("m.c.d = :v", ":v", s("z"));
        holds("l[2][0] = :v", ":v", n(3));
        // No item at all: every attribute is missing.
        assertEquals(true, Expressions.condition("attribute_not_exists(pk)", Placeholders.none()).matches(null));
        assertEquals(false, Expressions.condition("attribute_exists(pk)", Placeholders.none()).matches(null));
    }

    @Test
    void betweenAndIn() {
        holds("a BETWEEN :lo AND :hi", ":lo", n(0), ":hi", n(2));
        holds("a BETWEEN :lo AND :hi", ":lo", n(1), ":hi", n(1));
        holds("a BETWEEN :lo AND b", ":lo", n(0));
        fails("a BETWEEN b AND :lo", ":lo", n(0));
        holds("s BETWEEN :lo AND :hi", ":lo", s("a"), ":hi", s("z"));
        fails("s BETWEEN :lo AND :hi", ":lo", n(1), ":hi", n(2));
        holds("a IN (:a, :b)", ":a", n(5), ":b", n(1));
        fails("a IN (:a, :b)", ":a", n(5), ":b", s("1"));
        holds("l IN (:a)", ":a", l(n(1), s("x"), l(n(3))));
    }

    @Test
    void functions() {
        holds("attribute_exists(l[0])");
        fails("attribute_exists(l[10])");
        holds("attribute_type(a, :t)", ":t", s("N"));
        fails("attribute_type(a, :t)", ":t", s("S"));
        holds("attribute_type(nul, :t)", ":t", s("NULL"));
        holds("attribute_type(ss, :t)", ":t", s("SS"));
        holds("begins_with(s, :v)", ":v", s("h\u00e9"));
        holds("begins_with(s, :v)", ":v", s(""));
        fails("begins_with(a, :v)", ":v", s("1"));
        holds("begins_with(bin, :v)", ":v", b(1));
        fails("begins_with(bin, :v)", ":v", s("x"));
        holds("begins_with(s, s2)");
        holds("NOT begins_with(zz, :v)", ":v", s("h"));
        holds("contains(s, :v)", ":v", s("ll"));
        fails("contains(s, :v)", ":v", n(1));
        holds("contains(ss, :v)", ":v", s("x"));
        fails("contains(ss, :v)", ":v", ss("x"));
        holds("contains(ns, :v)", ":v", n("1.0"));
        holds("contains(bin, :v)", ":v", b(2));
        holds("contains(l, :v)", ":v", s("x"));
        holds("contains(l, :v)", ":v", l(n(3)));
        fails("contains(m, :v)", ":v", s("b"));
        holds("contains(l, a)");
    }

    @Test
    void sizeCountsWhatTheTypeHolds() {
        holds("size(s) = :v", ":v", n(5));
        holds("size(bin) = :v", ":v", n(3));
        holds("size(ss) = :v", ":v", n(2));
        holds("size(l) = :v", ":v", n(3));
        holds("size(m) = :v", ":v", n(2));
        holds("size(el) = :v", ":v", n(0));
        holds("size(e) = :v", ":v", n(0));
        holds("size(s) > size(s2)");
        holds("size(:v) = :n", ":v", s("abc"), ":n", n(3));
        // Numbers, booleans and nulls have no size: like a missing attribute.
        fails("size(a) = :v", ":v", n(1));
        holds("size(a) <> :v", ":v", n(1));
        fails("size(zz) = :v", ":v", n(0));
        // A string's size counts UTF-16 units, as DynamoDB does: an emoji is two.
        assertEquals(true, Expressions.condition("size(s) = :n", placeholders(null, values(":n", n(3))))
                .matches(item("s", s("h\uD83D\uDE00"))));
    }

    @Test
    void logic() {
        holds("NOT a = :v AND b = :w", ":v", n(2), ":w", n(2));
        holds("a = :v OR b = :w AND a = :w", ":v", n(1), ":w", n(9));
        fails("(a = :v OR b = :w) AND a = :w", ":v", n(1), ":w", n(9));
        holds("NOT NOT a = :v", ":v", n(1));
        holds("a = :v aNd NoT b = :v", ":v", n(1));
    }

    @Test
    void namesStandForAttributes() {
        Condition c = Expressions.condition("#n.#c.#d = :v AND #n.b = :two",
                placeholders(names("#n", "m", "#c", "c", "#d", "d"), values(":v", s("z"), ":two", n(2))));
        assertEquals(true, c.matches(ITEM));
        // A name is one attribute, dots and all.
        Condition dotted = Expressions.condition("attribute_exists(#d)", placeholders(names("#d", "m.b"), null));
        assertEquals(false, dotted.matches(ITEM));
        assertEquals(true, dotted.matches(item("m.b", n(1))));
    }
}

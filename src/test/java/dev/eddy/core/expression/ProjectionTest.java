package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.expression.Fixtures.item;
import static dev.eddy.core.expression.Fixtures.l;
import static dev.eddy.core.expression.Fixtures.m;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.names;
import static dev.eddy.core.expression.Fixtures.placeholders;
import static dev.eddy.core.expression.Fixtures.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Projection expressions, and the same projection of updated paths UPDATED_OLD and UPDATED_NEW use. */
class ProjectionTest {
    private static final Map<String, AttributeValue> ITEM = item("pk", s("p"), "a", n(1),
            "l", l(n(0), m("x", n(1), "y", n(2)), n(2), l(n(30), n(31))),
            "m", m("b", n(2), "c", m("d", s("z"), "e", s("w"))));

    private static Map<String, AttributeValue> project(String expression) {
        return Expressions.projection(expression, placeholders(null, null)).project(ITEM);
    }

    @Test
    void nestedPathsComeBackNested() {
        assertEquals(item("a", n(1)), project("a"));
        assertEquals(item("m", m("b", n(2), "c", m("d", s("z")))), project("m.c.d, m.b"));
        assertEquals(item("l", l(m("x", n(1)))), project("l[1].x"));
        assertEquals(item("pk", s("p")), project("pk"));
    }

    @Test
    void listElementsComeBackInIndexOrder() {
        assertEquals(item("l", l(n(0), n(2))), project("l[2], l[0]"));
        assertEquals(item("l", l(n(0), m("x", n(1)))), project("l[1].x, l[0]"));
        assertEquals(item("l", l(l(n(30), n(31)))), project("l[3][1], l[3][0]"));
    }

    @Test
    void pathsThatReachNothingAreLeftOut() {
        assertEquals(item("a", n(1)), project("m.zz, a"));
        assertEquals(item(), project("a.b"));
        assertEquals(item(), project("l[9]"));
        assertEquals(item(), project("zz"));
        assertEquals(item(), project("a[0]"));
    }

    @Test
    void namesStandForAttributes() {
        Projection p = Expressions.projection("#m.#b, #l[0]", placeholders(names("#m", "m", "#b", "b", "#l", "l"), null));
        assertEquals(item("m", m("b", n(2)), "l", l(n(0))), p.project(ITEM));
    }
}

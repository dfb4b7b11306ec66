package dev.eddy.core.expression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static dev.eddy.core.expression.Fixtures.b;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.names;
import static dev.eddy.core.expression.Fixtures.placeholders;
import static dev.eddy.core.expression.Fixtures.s;
import static dev.eddy.core.expression.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key condition expressions checked against a key schema, with DynamoDB Local 2.6.1's answers; the
 * refused ones are in {@value ErrorCase#FILE}.
 */
class KeyConditionTest {
    private static final KeyCondition.Schema RANGE = new KeyCondition.Schema("pk", "S", "sk", "N");

    private static KeyCondition parse(KeyCondition.Schema schema, String expression, Object... valuePairs) {
        return Expressions.keyCondition(expression, placeholders(null, values(valuePairs)), schema);
    }

    @Test
    void partitionAndSortKeyConditions() {
        KeyCondition k = parse(RANGE, "pk = :p", ":p", s("x"));
        assertEquals("pk", k.partitionKey());
        assertEquals(s("x"), k.partitionValue());
        assertNull(k.sortKey());

        k = parse(RANGE, "sk BETWEEN :a AND :b AND pk = :p", ":p", s("x"), ":a", n(1), ":b", n(5));
        assertEquals(new KeyCondition.SortKey("sk", "BETWEEN", n(1), n(5)), k.sortKey());
        assertTrue(k.sortKey().matches(n(5)));
        assertFalse(k.sortKey().matches(n(6)));

        // The key may stand on the right: the comparison is turned around.
        k = parse(RANGE, ":p = pk AND :n > sk", ":p", s("x"), ":n", n(3));
        assertEquals(s("x"), k.partitionValue());
        assertEquals(new KeyCondition.SortKey("sk", "LT", n(3), null), k.sortKey());
        assertTrue(k.sortKey().matches(n("2.5")));
        assertFalse(k.sortKey().matches(n(3)));

        k = Expressions.keyCondition("#p = :p AND (#s >= :n)", placeholders(names("#p", "pk", "#s", "sk"),
                values(":p", s("x"), ":n", n(3))), RANGE);
        assertEquals("GE", k.sortKey().operator());

        KeyCondition.Schema binary = new KeyCondition.Schema("pk", "S", "sk", "B");
        k = Expressions.keyCondition("pk = :p AND begins_with(sk, :b)",
                placeholders(null, values(":p", s("x"), ":b", b(1, 2))), binary);
        assertTrue(k.sortKey().matches(b(1, 2, 3)));
        assertFalse(k.sortKey().matches(b(1, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("key conditions")
    void whatAKeyConditionCannotSay(ErrorCase c) {
        c.assertRefused();
    }
}

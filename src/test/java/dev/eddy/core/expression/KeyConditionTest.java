package dev.eddy.core.expression;

import org.junit.jupiter.api.Test;

import static dev.eddy.core.expression.Fixtures.assertValidation;
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

/** Key condition expressions checked against a key schema, with DynamoDB Local 2.6.1's answers. */
class KeyConditionTest {
    private static final KeyCondition.Schema RANGE = new KeyCondition.Schema("pk", "S", "sk", "N");
    private static final KeyCondition.Schema HASH = new KeyCondition.Schema("pk", "S", null, null);

    private static KeyCondition parse(KeyCondition.Schema schema, String expression, Object... valuePairs) {
        return Expressions.keyCondition(expression, placeholders(null, values(valuePairs)), schema);
    }

    private static void fails(String message, String expression, Object... valuePairs) {
        assertValidation(message, () -> parse(RANGE, expression, valuePairs));
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

    @Test
    void whatAKeyConditionCannotSay() {
        var p = new Object[] {":p", s("x"), ":n", n(1)};
        fails("Invalid operator used in KeyConditionExpression: OR", "pk = :p OR sk = :n", p);
        fails("Invalid operator used in KeyConditionExpression: NOT", "NOT pk = :p", ":p", s("x"));
        fails("Invalid operator used in KeyConditionExpression: <>", "pk = :p AND sk <> :n", p);
        fails("Invalid operator used in KeyConditionExpression: IN", "pk = :p AND sk IN (:n)", p);
        fails("Invalid operator used in KeyConditionExpression: attribute_exists", "pk = :p AND attribute_exists(sk)",
                ":p", s("x"));
        fails("Invalid operator used in KeyConditionExpression: contains", "pk = :p AND contains(sk, :p)", ":p", s("x"));
        fails("KeyConditionExpressions cannot contain nested operations", "pk = :p AND size(sk) = :n", p);
        fails("KeyConditionExpressions must only contain one condition per key", "pk = :p AND pk = :p", ":p", s("x"));
        fails("KeyConditionExpressions must only contain one condition per key", "pk = :p AND sk > :n AND sk < :n", p);
        fails("Query condition missed key schema element", "pk = :p AND a = :p", ":p", s("x"));
        fails("Query condition missed key schema element", "sk = :n", ":n", n(1));
        fails("Query key condition not supported", "pk < :p", ":p", s("x"));
        fails("One or more parameter values were invalid: Condition parameter type does not match schema type",
                "pk = :p AND sk = :n", ":p", s("x"), ":n", s("1"));
        fails("One or more parameter values were invalid: Condition parameter type does not match schema type",
                "pk = :p AND begins_with(sk, :a)", ":p", s("x"), ":a", s("1"));
        fails("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
                "pk.x = :p", ":p", s("x"));
        fails("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition", "pk = sk");
        fails("Invalid condition in KeyConditionExpression: No key attribute specified", ":a = :b",
                ":a", s("x"), ":b", s("y"));
        fails("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its "
                + "first operand", "pk = :p AND begins_with(:a, sk)", ":p", s("x"), ":a", s("1"));
        fails("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first "
                + "operand", "pk = :a AND :b BETWEEN sk AND :b", ":a", s("x"), ":b", n(1));
        fails("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
                + "empty string value. Key: pk", "pk = :p", ":p", s(""));
        // Errors of the condition itself come first, worded for KeyConditionExpression.
        fails("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal "
                        + "to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: "
                        + "AttributeValue: {N:1}", "pk = :p AND sk BETWEEN :b AND :a",
                ":p", s("x"), ":a", n(1), ":b", n(2));
        fails("Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                "pk = :p AND name = :p", ":p", s("x"));
        assertValidation("Query key condition not supported", () -> parse(HASH, "pk = :p AND sk = :p", ":p", s("x")));
    }
}

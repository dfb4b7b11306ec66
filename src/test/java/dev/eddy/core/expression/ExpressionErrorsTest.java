package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.expression.Fixtures.assertValidation;
import static dev.eddy.core.expression.Fixtures.b;
import static dev.eddy.core.expression.Fixtures.l;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.names;
import static dev.eddy.core.expression.Fixtures.placeholders;
import static dev.eddy.core.expression.Fixtures.s;
import static dev.eddy.core.expression.Fixtures.ss;
import static dev.eddy.core.expression.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * Errors of well-formed expressions, and which one DynamoDB reports when there are several. The
 * texts and the orders are DynamoDB Local 2.6.1's answers to the same expressions, except where a
 * comment says real DynamoDB words it otherwise.
 */
class ExpressionErrorsTest {
    private static final String CONDITION = "Invalid ConditionExpression: ";
    private static final String UPDATE = "Invalid UpdateExpression: ";

    private static void condition(String message, String expression, Map<String, AttributeValue> values) {
        assertValidation(CONDITION + message, () -> Expressions.condition(expression, placeholders(null, values)));
    }

    private static void update(String message, String expression, Map<String, AttributeValue> values) {
        assertValidation(UPDATE + message, () -> Expressions.update(expression, placeholders(null, values)));
    }

    @Test
    void functionsInConditions() {
        var v = values(":v", n(1));
        condition("Invalid function name; function: foo", "foo(a)", v);
        condition("Invalid function name; function: ATTRIBUTE_EXISTS", "ATTRIBUTE_EXISTS(a)", v);
        condition("The function is not allowed to be used this way in an expression; function: size", "size(a)", v);
        condition("The function is not allowed to be used this way in an expression; function: attribute_exists",
                "attribute_exists(a) = :v", v);
        condition("The function is not allowed in a condition expression; function: list_append",
                "list_append(a, :v) = :v", v);
        condition("The function is not allowed in a condition expression; function: if_not_exists",
                "if_not_exists(a, :v) = :v", v);
        condition("Incorrect number of operands for operator or function; operator or function: attribute_exists, "
                + "number of operands: 2", "attribute_exists(a, b)", null);
        condition("Incorrect number of operands for operator or function; operator or function: begins_with, "
                + "number of operands: 1", "begins_with(a)", null);
        condition("Operator or function requires a document path; operator or function: attribute_exists",
                "attribute_exists(:v)", v);
        condition("Operator or function requires a document path; operator or function: attribute_exists",
                "attribute_exists(size(s))", null);
    }

    @Test
    void operandTypesKnownFromTheExpression() {
        condition("Incorrect operand type for operator or function; operator or function: size, operand type: N",
                "size(:v) = :v", values(":v", n(1)));
        condition("Incorrect operand type for operator or function; operator or function: size, operand type: N",
                "size(size(a)) = :v", values(":v", n(1)));
        condition("Incorrect operand type for operator or function; operator or function: size, operand type: BOOL",
                "size(:b) = :n", values(":b", AttributeValue.bool(true), ":n", n(1)));
        condition("Incorrect operand type for operator or function; operator or function: <, operand type: L",
                "a < :v", values(":v", l()));
        condition("Incorrect operand type for operator or function; operator or function: <, operand type: SS",
                "a < :v", values(":v", ss("x")));
        condition("Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                "begins_with(s, :v)", values(":v", n(1)));
        condition("Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                "begins_with(s, size(s))", null);
        condition("Incorrect operand type for operator or function; operator or function: attribute_type, "
                + "operand type: N", "attribute_type(a, :v)", values(":v", n(1)));
        condition("Invalid attribute type name found; type: n, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                "attribute_type(a, :t)", values(":t", s("n")));
        condition("Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L",
                "a BETWEEN :lo AND :hi", values(":lo", l(), ":hi", l()));
        // = and <> compare anything; so do IN and contains.
        assertDoesNotThrow(() -> Expressions.condition("a = :l AND a <> :l AND a IN (:l) AND contains(a, :l)",
                placeholders(null, values(":l", l()))));
    }

    @Test
    void betweenBoundsGivenAsValues() {
        condition("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {N:0}",
                "a BETWEEN :lo AND :hi", values(":lo", n(1), ":hi", n(0)));
        condition("The BETWEEN operator requires same data type for lower and upper bounds; "
                        + "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}",
                "a BETWEEN :lo AND :hi", values(":lo", n(1), ":hi", s("x")));
        condition("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}, "
                        + "upper bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}",
                "a BETWEEN :lo AND :hi", values(":lo", b(2), ":hi", b(1)));
        // Numbers are ordered as numbers, strings as bytes.
        condition("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {N:1.5}, upper bound operand: AttributeValue: {N:1.25}",
                "a BETWEEN :lo AND :hi", values(":lo", n("1.5"), ":hi", n("1.25")));
        assertDoesNotThrow(() -> Expressions.condition("a BETWEEN :lo AND :hi",
                placeholders(null, values(":lo", n(9), ":hi", n(10)))));
        // Bounds read from the item are not checked here: the condition is simply false.
        assertDoesNotThrow(() -> Expressions.condition("a BETWEEN b AND :lo", placeholders(null, values(":lo", n(0)))));
    }

    @Test
    void operandsMustBeDistinctFromTheFirst() {
        condition("The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: =, first operand: [a]", "a = a", null);
        condition("The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: <, first operand: [a, b]", "a.b < a.b", null);
        condition("The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: IN, first operand: [a]", "a IN (:v, a)", values(":v", n(1)));
        condition("The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: BETWEEN, first operand: [a]", "a BETWEEN :v AND a", values(":v", n(1)));
        condition("The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: begins_with, first operand: [s]", "begins_with(s, s)", null);
        assertValidation(CONDITION + "The first operand must be distinct from the remaining operands for this "
                        + "operator or function; operator: =, first operand: [a]",
                () -> Expressions.condition("a = #a", placeholders(names("#a", "a"), null)));
        assertDoesNotThrow(() -> Expressions.condition("size(a) = size(a) AND :v = :v",
                placeholders(null, values(":v", n(1)))));
    }

    @Test
    void limitsOnPathsAndInLists() {
        var v = values(":v", n(1));
        assertDoesNotThrow(() -> Expressions.condition("a" + ".b".repeat(31) + " = :v", placeholders(null, v)));
        condition("The document path has too many nesting levels; nesting levels: 33", "a" + ".b".repeat(32) + " = :v", v);
        condition("The document path has too many nesting levels; nesting levels: 33", "a" + "[0]".repeat(32) + " = :v", v);
        assertDoesNotThrow(() -> Expressions.condition("a[2147483647] = :v", placeholders(null, v)));
        condition("List index is not within the allowable range; index: [2147483648]", "a[2147483648] = :v", v);
        condition("List index is not within the allowable range; index: [99999999999999999999]",
                "a[99999999999999999999] = :v", v);
        StringBuilder in = new StringBuilder("a IN (:v");
        in.append(", :v".repeat(100)).append(')');
        condition("The IN operator is provided with too many operands; number of operands: 101", in.toString(), v);
    }

    @Test
    void reservedWordsNeedAnExpressionAttributeName() {
        condition("Attribute name is a reserved keyword; reserved keyword: name", "name = :v", values(":v", n(1)));
        condition("Attribute name is a reserved keyword; reserved keyword: NAME", "NAME = :v", values(":v", n(1)));
        condition("Attribute name is a reserved keyword; reserved keyword: Status", "a.Status = :v", values(":v", n(1)));
        assertDoesNotThrow(() -> Expressions.condition("#n = :v",
                placeholders(names("#n", "name"), values(":v", n(1)))));
        // DynamoDB accepts these two of the guide's words bare.
        assertDoesNotThrow(() -> Expressions.condition("size = :v AND convert = :v", placeholders(null, values(":v", n(1)))));
        update("Attribute name is a reserved keyword; reserved keyword: name", "SET name = :v", values(":v", n(1)));
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                () -> Expressions.projection("name", placeholders(null, null)));
    }

    @Test
    void undefinedPlaceholders() {
        condition("An expression attribute value used in expression is not defined; attribute value: :v_x",
                "a = :v_x", values(":v", n(1)));
        condition("An expression attribute name used in the document path is not defined; attribute name: #n",
                "#n = :v", values(":v", n(1)));
        update("An expression attribute value used in expression is not defined; attribute value: :v",
                "SET a = :v", null);
        assertValidation("Invalid ProjectionExpression: An expression attribute name used in the document path is "
                + "not defined; attribute name: #n", () -> Expressions.projection("#n", placeholders(null, null)));
    }

    /** The checks run in passes; within a pass, conditions are checked in the order they are written. */
    @Test
    void whichErrorAConditionReportsFirst() {
        var v = values(":v", n(1));
        condition("The expression has redundant parentheses;", "foo(b) AND ((a = :v))", v);
        condition("Invalid function name; function: foo", "b = :undef AND foo(a)", v);
        condition("Attribute name is a reserved keyword; reserved keyword: name", "name = :v AND foo(x)", v);
        condition("Invalid function name; function: foo", "foo(a) AND name = :v", v);
        condition("The function is not allowed to be used this way in an expression; function: size",
                "size(a) AND name = :v", v);
        condition("Attribute name is a reserved keyword; reserved keyword: name", "name = :v AND size(a)", v);
        condition("Attribute name is a reserved keyword; reserved keyword: name", "#undef = :v AND name = :v", v);
        condition("List index is not within the allowable range; index: [2147483648]",
                "a[2147483648] = :v AND size(a)", v);
        condition("Invalid function name; function: foo", "a = a AND foo(x)", v);
        condition("The expression contains too many operators; operator count: 301",
                "a = a" + " AND a = :v".repeat(300), v);
        condition("Incorrect number of operands for operator or function; operator or function: attribute_exists, "
                + "number of operands: 2", "attribute_exists(a, b) AND :undef = a", v);
        condition("An expression attribute value used in expression is not defined; attribute value: :undef",
                ":undef = a AND attribute_exists(a, b)", v);
        condition("An expression attribute name used in the document path is not defined; attribute name: #undef",
                "attribute_exists(#undef, b)", v);
        condition("The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: =, first operand: [a]", "a = a AND :undef = b", v);
        condition("The document path has too many nesting levels; nesting levels: 33",
                "a" + ".b".repeat(32) + " = :v AND :undef = a", v);
        condition("An expression attribute value used in expression is not defined; attribute value: :undef",
                ":undef = a AND a" + ".b".repeat(32) + " = :v", v);
    }

    @Test
    void functionsAndOperandsInUpdates() {
        var v = values(":v", n(1), ":s", s("x"), ":l", l(n(5)));
        update("The function is not allowed in an update expression; function: size", "SET a = size(:v)", v);
        update("The function is not allowed in an update expression; function: attribute_exists",
                "SET a = attribute_exists(l)", v);
        update("Invalid function name; function: foo", "SET a = foo(l)", v);
        update("The function is not allowed to be used this way in an expression; function: list_append",
                "SET a = if_not_exists(a, list_append(l, :l))", v);
        update("The function is not allowed to be used this way in an expression; function: list_append",
                "SET a = list_append(list_append(l, :l), :l)", v);
        update("The function is not allowed to be used this way in an expression; function: list_append",
                "SET a = list_append(l, :l) + :v", v);
        update("Incorrect number of operands for operator or function; operator or function: list_append, "
                + "number of operands: 3", "SET a = list_append(l, l, l)", v);
        update("Operator or function requires a document path; operator or function: if_not_exists",
                "SET a = if_not_exists(:v, a)", v);
        update("Operator or function requires a document path; operator or function: if_not_exists",
                "SET a = if_not_exists(if_not_exists(a, :v), :v)", v);
        update("Incorrect operand type for operator or function; operator or function: +, operand type: S",
                "SET a = :v + :s", v);
        update("Incorrect operand type for operator or function; operator or function: list_append, operand type: N",
                "SET a = list_append(l, :v)", v);
        // Real DynamoDB words ADD's and DELETE's type errors without DynamoDB Local's ", typeSet: ..." suffix.
        update("Incorrect operand type for operator or function; operator: ADD, operand type: STRING", "ADD a :s", v);
        update("Incorrect operand type for operator or function; operator: ADD, operand type: LIST", "ADD a :l", v);
        update("Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
                "DELETE a :v", v);
        assertDoesNotThrow(() -> Expressions.update("SET a = list_append(if_not_exists(a, :l), :l), "
                + "b = if_not_exists(b, :v) + :v, c = (list_append(l, :l))", placeholders(null, v)));
    }

    @Test
    void clausesAndPathsInUpdates() {
        var v = values(":v", n(1), ":s", ss("x"));
        update("The \"SET\" section can only be used once in an update expression;", "SET a = :v SET b = :v", v);
        update("The \"REMOVE\" section can only be used once in an update expression;", "REMOVE a REMOVE b", v);
        update("The \"DELETE\" section can only be used once in an update expression;", "DELETE a :s delete b :s", v);
        update("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                + "path one: [a], path two: [a]", "SET a = :v REMOVE a", v);
        update("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                + "path one: [m, b], path two: [m]", "SET m.b = :v REMOVE m", v);
        update("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                + "path one: [l, [0]], path two: [l, [0], x]", "SET l[0] = :v, l[0].x = :v", v);
        update("Two document paths conflict with each other; must remove or rewrite one of these paths; "
                + "path one: [m, b], path two: [m, [1]]", "SET m.b = :v, m[1] = :v", v);
        assertValidation(UPDATE + "Two document paths overlap with each other; must remove or rewrite one of "
                        + "these paths; path one: [a], path two: [a]",
                () -> Expressions.update("SET #a = :v ADD a :v", placeholders(names("#a", "a"), v)));
        assertDoesNotThrow(() -> Expressions.update("SET l[0] = :v, l[1] = :v, m.b = :v, m.c.d = :v",
                placeholders(null, v)));
    }

    @Test
    void whichErrorAnUpdateReportsFirst() {
        var v = values(":v", n(1), ":s", s("x"));
        update("Invalid function name; function: foo", "SET a = :v SET b = foo(a)", v);
        update("Attribute name is a reserved keyword; reserved keyword: name", "SET a = :undef REMOVE name", v);
        update("The \"SET\" section can only be used once in an update expression;", "SET a = :v, a = :v SET b = :v", v);
        update("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                + "path one: [a], path two: [a]", "SET a = :undef, a = :v", v);
        // Placeholders resolve last action first: targets, then values.
        update("An expression attribute value used in expression is not defined; attribute value: :u3",
                "SET a = :u1, b = :u2, c = :u3", v);
        update("An expression attribute name used in the document path is not defined; attribute name: #u2",
                "REMOVE #u2 SET a = :u1", v);
        update("An expression attribute value used in expression is not defined; attribute value: :u1",
                "SET a = #u2, b = :u1", v);
        update("Incorrect operand type for operator or function; operator or function: +, operand type: S",
                "SET b = :u, a = :s + :v", v);
        update("The document path has too many nesting levels; nesting levels: 33",
                "SET b = #u, a" + ".b".repeat(32) + " = :v", v);
    }

    @Test
    void whichErrorAProjectionReportsFirst() {
        var p = placeholders(null, null);
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [a], path two: [a]", () -> Expressions.projection("#u, a, a", p));
        assertValidation("Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                + "defined; attribute name: #u", () -> Expressions.projection("a, a, #u", placeholders(null, null)));
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                        + "rewrite one of these paths; path one: [m], path two: [m, b]",
                () -> Expressions.projection("m, m.b", placeholders(null, null)));
        assertValidation("Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
                        + "rewrite one of these paths; path one: [l, [0]], path two: [l, x]",
                () -> Expressions.projection("l[0], l.x", placeholders(null, null)));
    }
}

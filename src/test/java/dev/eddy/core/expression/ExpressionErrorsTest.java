package dev.eddy.core.expression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

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
 * cases are in {@value ErrorCase#FILE}; their texts and orders are DynamoDB Local 2.6.1's answers
 * to the same expressions, except where a section says real DynamoDB words it otherwise.
 */
class ExpressionErrorsTest {
    @ParameterizedTest(name = "{0}")
    @ErrorCases("functions in conditions")
    void functionsInConditions(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("operand types")
    void operandTypesKnownFromTheExpression(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void equalityInAndContainsCompareAnything() {
        assertDoesNotThrow(() -> Expressions.condition("a = :l AND a <> :l AND a IN (:l) AND contains(a, :l)",
                placeholders(null, values(":l", l()))));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("between bounds")
    void betweenBoundsGivenAsValues(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void betweenBoundsInOrderOrReadFromTheItemAreAccepted() {
        assertDoesNotThrow(() -> Expressions.condition("a BETWEEN :lo AND :hi",
                placeholders(null, values(":lo", n(9), ":hi", n(10)))));
        // Bounds read from the item are not checked here: the condition is simply false.
        assertDoesNotThrow(() -> Expressions.condition("a BETWEEN b AND :lo", placeholders(null, values(":lo", n(0)))));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("distinct operands")
    void operandsMustBeDistinctFromTheFirst(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void functionsAndValuesMayRepeat() {
        assertDoesNotThrow(() -> Expressions.condition("size(a) = size(a) AND :v = :v",
                placeholders(null, values(":v", n(1)))));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("limits on paths and IN lists")
    void limitsOnPathsAndInLists(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void thirtyTwoLevelsAndTheLargestIndexAreAllowed() {
        var v = values(":v", n(1));
        assertDoesNotThrow(() -> Expressions.condition("a" + ".b".repeat(31) + " = :v", placeholders(null, v)));
        assertDoesNotThrow(() -> Expressions.condition("a[2147483647] = :v", placeholders(null, v)));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("reserved words")
    void reservedWordsNeedAnExpressionAttributeName(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void reservedWordsThroughANameAndTwoWordsDynamoDbAcceptsBare() {
        assertDoesNotThrow(() -> Expressions.condition("#n = :v",
                placeholders(names("#n", "name"), values(":v", n(1)))));
        // DynamoDB accepts these two of the guide's words bare.
        assertDoesNotThrow(() -> Expressions.condition("size = :v AND convert = :v", placeholders(null, values(":v", n(1)))));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("undefined placeholders")
    void undefinedPlaceholders(ErrorCase c) {
        c.assertRefused();
    }

    /** The checks run in passes; within a pass, conditions are checked in the order they are written. */
    @ParameterizedTest(name = "{0}")
    @ErrorCases("which error a condition reports first")
    void whichErrorAConditionReportsFirst(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("functions and operands in updates")
    void functionsAndOperandsInUpdates(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void functionsNestedAsUpdatesAllow() {
        var v = values(":v", n(1), ":s", s("x"), ":l", l(n(5)));
        assertDoesNotThrow(() -> Expressions.update("SET a = list_append(if_not_exists(a, :l), :l), "
                + "b = if_not_exists(b, :v) + :v, c = (list_append(l, :l))", placeholders(null, v)));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("clauses and paths in updates")
    void clausesAndPathsInUpdates(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void distinctIndexesAndKeysDoNotOverlap() {
        var v = values(":v", n(1), ":s", ss("x"));
        assertDoesNotThrow(() -> Expressions.update("SET l[0] = :v, l[1] = :v, m.b = :v, m.c.d = :v",
                placeholders(null, v)));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("which error an update reports first")
    void whichErrorAnUpdateReportsFirst(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("which error a projection reports first")
    void whichErrorAProjectionReportsFirst(ErrorCase c) {
        c.assertRefused();
    }
}

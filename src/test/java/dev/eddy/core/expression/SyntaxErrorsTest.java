package dev.eddy.core.expression;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static dev.eddy.core.expression.Fixtures.assertValidation;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.placeholders;
import static dev.eddy.core.expression.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * Where parsing stops and how DynamoDB reports it: the offending token and the text from the token
 * before it to the token after it. Every expected text was answered by DynamoDB Local 2.6.1 to the
 * same expression; the cases are in {@value ErrorCase#FILE}.
 */
class SyntaxErrorsTest {
    private static final Map<String, dev.eddy.core.model.AttributeValue> V = values(":v", n(1));

    @ParameterizedTest(name = "{0}")
    @ErrorCases("condition syntax")
    void conditionSyntaxErrors(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("characters outside the grammar")
    void charactersOutsideTheGrammarAreTokensOfTheirOwn(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void onlySpaceTabAndLineBreaksSeparateTokens() {
        assertDoesNotThrow(() -> Expressions.condition("a\t=\r\n:v", placeholders(null, V)));
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("update syntax")
    void updateSyntaxErrors(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("projection syntax")
    void projectionSyntaxErrors(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("empty and overlong")
    void emptyAndOverlongExpressions(ErrorCase c) {
        c.assertRefused();
    }

    @ParameterizedTest(name = "{0}")
    @ErrorCases("redundant parentheses")
    void redundantParenthesesAreRefusedWhereTheyAreFound(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void parenthesesThatGroupSomethingAreAccepted() {
        for (String e : new String[] {"((a = :v) AND (a = :v))", "a IN ((:v))", "size((a)) = :v", "(a) = (:v)",
                "(a BETWEEN :v AND :v)", "(a) IN (:v)"}) {
            assertDoesNotThrow(() -> Expressions.condition(e, placeholders(null, V)), e);
        }
        assertDoesNotThrow(() -> Expressions.update("SET a = (a) + (:v), b = (:v + :v)", placeholders(null, V)));
    }

    /** Includes the deepest nesting that fits in 4 KB: it fails on the count, not on a stack. */
    @ParameterizedTest(name = "{0}")
    @ErrorCases("operator limits")
    void atMostThreeHundredOperators(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void threeHundredOperatorsAreAllowed() {
        String chain150 = "a = :v" + " AND a = :v".repeat(149);
        assertDoesNotThrow(() -> Expressions.condition(chain150, placeholders(null, V)));
        assertDoesNotThrow(() -> Expressions.condition("NOT ".repeat(299) + "a = :v", placeholders(null, V)));
    }

    /**
     * Request threads have ordinary stacks: the deepest expressions DynamoDB accepts must fit in the
     * default 1 MB. (Measured: about 384 KB with a cold JIT, up to 768 KB once the parser is
     * compiled; half a megabyte was not always enough.)
     */
    @Test
    void theDeepestAcceptedExpressionsFitInAnOrdinaryStack() throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                var v = placeholders(null, values(":v", n(1), ":s", dev.eddy.core.model.AttributeValue.s("abc")));
                String nots = "NOT (".repeat(299) + "a = :v" + ")".repeat(299);
                Expressions.condition(nots, v).matches(Map.of("a", n(1)));
                String tooDeep = "NOT (".repeat(681) + "a = :v" + ")".repeat(681);
                assertValidation("Invalid ConditionExpression: The expression contains too many operators; "
                        + "operator count: 301", () -> Expressions.condition(tooDeep, v));
                String sizes = "size(".repeat(678) + ":s" + ")".repeat(678) + " = :v";
                assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                        + "operator or function: size, operand type: N", () -> Expressions.condition(sizes, v));
                String chain = "a = :v" + " OR a = :v".repeat(150);
                assertValidation("Invalid ConditionExpression: The expression contains too many operators; "
                        + "operator count: 301", () -> Expressions.condition(chain, v));
                Expressions.condition("a = :v" + " OR a = :v".repeat(149), v).matches(Map.of());
                String ifs = "SET a = " + "if_not_exists(a, ".repeat(225) + ":v" + ")".repeat(225);
                Expressions.update(ifs, v).apply(Map.of("a", n(1)));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "ordinary-stack", 1024 * 1024);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}

package dev.eddy.core.expression;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.eddy.core.expression.Fixtures.assertValidation;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.placeholders;
import static dev.eddy.core.expression.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * Where parsing stops and how DynamoDB reports it: the offending token and the text from the token
 * before it to the token after it. Every expected text here was answered by DynamoDB Local 2.6.1
 * to the same expression.
 */
class SyntaxErrorsTest {
    private static final Map<String, dev.eddy.core.model.AttributeValue> V = values(":v", n(1));

    private static void conditionFails(String expression, String token, String near) {
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"" + token + "\", near: \"" + near + "\"",
                () -> Expressions.condition(expression, placeholders(null, V)));
    }

    @ParameterizedTest(name = "[{0}] -> token {1}, near {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`a = `|<EOF>|`= `",
        "a =|<EOF>|=",
        "a|<EOF>|a",
        "` `|<EOF>|` `",
        "a = = :v|=|= = :v",
        "a = :v)|)|:v)",
        "(a = :v|<EOF>|:v",
        "a = $|$|= $",
        "a = :v AND|<EOF>|AND",
        "a == :v|=|== :v",
        "a=:v andd b|andd|:v andd b",
        "a[-1] = :v|-|[-1",
        "a[x] = :v|x|[x]",
        "a.1 = :v|1|.1 =",
        "#|#|#",
        "a = :v :v|:v|:v :v",
        "NOT|<EOF>|NOT",
        "a BETWEEN :v|<EOF>|:v",
        "a IN ()|)|()",
        "a IN :v|:v|IN :v",
        "1 = :v|1|1 =",
        "a = 1|1|= 1",
        "a = 'x'|'|= 'x",
        "a ! :v|!|a ! :v",
        "a >< :v|<|>< :v",
        "_a = :v|_|_a",
        "1a = :v|1|1a",
        "a[01] = :v|1|01]",
        "a[1.5] = :v|.|1.5",
        "(a = :v))|)|))",
        "((a = :v)|<EOF>|)",
        "size a = :v|a|size a =",
        "attribute_exists a|a|attribute_exists a",
        "attribute_exists(a|<EOF>|a",
        "attribute_exists()|)|()",
        "a NOT IN (:v)|NOT|a NOT IN",
        "a = :v NOT|NOT|:v NOT",
        "`   1 = :v`|1|`   1 =`",
        "`   (1 = :v`|1|(1 =",
        "(a)|<EOF>|)",
        "(a = :v) = :v|=|) = :v",
        "(a) AND b = :v|AND|) AND b",
        "attribute_exists((a = :v))|=|a = :v",
        "a = (:v = :v)|=|:v = :v",
        "a BETWEEN (:v AND :v)|AND|:v AND :v",
        "in = :v|in|in =",
        "a.and = :v|and|.and =",
        "a = :v.x|.|:v.x",
        "a = :v[1]|[|:v[1"
    })
    void conditionSyntaxErrors(String expression, String token, String near) {
        conditionFails(expression, token, near);
    }

    @Test
    void charactersOutsideTheGrammarAreTokensOfTheirOwn() {
        conditionFails("a = :v \u000b", "\u000b", ":v \u000b");
        conditionFails("a\u00e9 = :v", "\u00e9", "a\u00e9 =");
        // Half of a surrogate pair is printed as "?", the near text keeps the whole character.
        conditionFails("a = \uD83D\uDE00", "?", "= \uD83D\uDE00");
    }

    @Test
    void onlySpaceTabAndLineBreaksSeparateTokens() {
        assertDoesNotThrow(() -> Expressions.condition("a\t=\r\n:v", placeholders(null, V)));
    }

    @ParameterizedTest(name = "[{0}] -> token {1}, near {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SET a = :v,|<EOF>|,",
        "SET a :v|:v|a :v",
        "SET a = :v + :v + :v|+|:v + :v",
        "SET a = (:v + :v) + :v|+|) + :v",
        "SET a = list_append(a + :v, :v)|+|a + :v",
        "SET a = if_not_exists(a, :v + :v)|+|:v + :v",
        "SET a = -:v|-|= -:v",
        "SET a = :v - - :v|-|- - :v",
        "SET (a) = :v|(|SET (a",
        "ADD a a|a|a a",
        "DELETE ss|<EOF>|ss",
        "REMOVE :v|:v|REMOVE :v",
        "REMOVE a = :v|=|a = :v",
        "a = :v|a|a =",
        "FOO a|FOO|FOO a",
        "SET|<EOF>|SET",
        "SETa = :v|SETa|SETa =",
        "SET a = :v REMOVE|<EOF>|REMOVE",
        "REMOVE set|set|REMOVE set",
        "REMOVE a, set|set|`, set`",
        "SET a = set|set|= set"
    })
    void updateSyntaxErrors(String expression, String token, String near) {
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"" + token + "\", near: \"" + near + "\"",
                () -> Expressions.update(expression, placeholders(null, V)));
    }

    @ParameterizedTest(name = "[{0}] -> token {1}, near {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a,|<EOF>|,",
        ",a|,|,a",
        "a b|b|a b",
        "a.|<EOF>|.",
        "size(a)|(|size(a",
        ":v|:v|:v",
        "and|and|and",
        "a.set|set|.set"
    })
    void projectionSyntaxErrors(String expression, String token, String near) {
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"" + token + "\", near: \"" + near + "\"",
                () -> Expressions.projection(expression, placeholders(null, null)));
    }

    @Test
    void emptyAndOverlongExpressions() {
        assertValidation("Invalid ConditionExpression: The expression can not be empty;",
                () -> Expressions.condition("", placeholders(null, V)));
        assertValidation("Invalid UpdateExpression: The expression can not be empty;",
                () -> Expressions.update("", placeholders(null, V)));
        assertValidation("Invalid ProjectionExpression: The expression can not be empty;",
                () -> Expressions.projection("", placeholders(null, null)));
        assertValidation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                + "expression size: 4097", () -> Expressions.condition("a".repeat(4097), placeholders(null, V)));
        // 4096 characters are allowed: this one fails later, on its syntax.
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"" + "a".repeat(4096) + "\"",
                () -> Expressions.condition("a".repeat(4096), placeholders(null, V)));
    }

    @Test
    void redundantParenthesesAreRefusedWhereTheyAreFound() {
        String redundant = "Invalid ConditionExpression: The expression has redundant parentheses;";
        for (String e : new String[] {"((a = :v))", "((a)) = :v", "NOT ((a = :v))", "(a = :v) AND ((a = :v))",
                "((a = :v AND a = :v))", "((a = :v)) AND a = "}) {
            assertValidation(redundant, () -> Expressions.condition(e, placeholders(null, V)));
        }
        for (String e : new String[] {"((a = :v) AND (a = :v))", "a IN ((:v))", "size((a)) = :v", "(a) = (:v)",
                "(a BETWEEN :v AND :v)", "(a) IN (:v)"}) {
            assertDoesNotThrow(() -> Expressions.condition(e, placeholders(null, V)), e);
        }
        // A syntax error before the parentheses is found first.
        conditionFails("((a = :v AND a = ))", ")", "= ))");
        assertValidation("Invalid UpdateExpression: The expression has redundant parentheses;",
                () -> Expressions.update("SET a = ((:v))", placeholders(null, V)));
        assertValidation("Invalid UpdateExpression: The expression has redundant parentheses;",
                () -> Expressions.update("SET a = ((a)) + :v", placeholders(null, V)));
        assertDoesNotThrow(() -> Expressions.update("SET a = (a) + (:v), b = (:v + :v)", placeholders(null, V)));
    }

    @Test
    void atMostThreeHundredOperators() {
        String chain150 = "a = :v" + " AND a = :v".repeat(149);
        assertDoesNotThrow(() -> Expressions.condition(chain150, placeholders(null, V)));
        assertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> Expressions.condition(chain150 + " AND a = :v", placeholders(null, V)));
        assertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> Expressions.condition("NOT ".repeat(300) + "a = :v", placeholders(null, V)));
        assertDoesNotThrow(() -> Expressions.condition("NOT ".repeat(299) + "a = :v", placeholders(null, V)));
        // size() is not an operator.
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                        + "operator or function: size, operand type: N",
                () -> Expressions.condition("size(".repeat(300) + "a" + ")".repeat(300) + " = :v", placeholders(null, V)));
        StringBuilder sets = new StringBuilder("SET ");
        for (int i = 0; i < 301; i++) {
            sets.append(i == 0 ? "" : ",").append("a").append(i).append("=:v+:v");
        }
        assertValidation("Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
                () -> Expressions.update(sets.toString(), placeholders(null, V)));
    }

    @Test
    void theDeepestNestingThatFitsInFourKilobytesParses() {
        int depth = 4000 / 6;
        String deep = "NOT (".repeat(depth) + "a = :v" + ")".repeat(depth);
        assertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> Expressions.condition(deep, placeholders(null, V)));
    }

    /** Request threads have ordinary stacks: the deepest expressions DynamoDB accepts must fit in half the default 1 MB. */
    @Test
    void theDeepestAcceptedExpressionsFitInASmallStack() throws Exception {
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
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}

package dev.eddy.core.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ExpressionAttributeNames and ExpressionAttributeValues as a request gives them; the refused ones,
 * a value of the wrong JSON shape among them (a SerializationException), are in {@value ErrorCase#FILE}.
 */
class PlaceholdersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return text == null ? null : JSON.readTree(text);
    }

    private static Placeholders read(String names, String values) throws Exception {
        return Placeholders.read(json(names), json(values));
    }

    /** Names first, keys sorted; then values: each must be used by some expression of the request. */
    @ParameterizedTest(name = "{0}")
    @ErrorCases("placeholders")
    void checkedInDynamoDbsOrder(ErrorCase c) {
        c.assertRefused();
    }

    @Test
    void everyPlaceholderMustBeUsedAcrossTheRequestsExpressions() throws Exception {
        Placeholders p = read("{\"#b\":\"x\",\"#a\":\"y\"}", "{\":v\":{\"N\":\"1\"},\":c\":{\"N\":\"1\"},\":a\":{\"N\":\"2\"}}");
        Expressions.condition("a = :v", p);
        Expressions.update("SET #a = :a, #b = :v", p);
        Expressions.condition("attribute_exists(x) OR z = :c", p);
        p.checkAllUsed();
        assertEquals(s("x"), Fixtures.s("x"));
        assertEquals(n(1), Fixtures.n("1.0"));
    }
}

package dev.eddy.core.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.DynamoException;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.expression.Fixtures.assertValidation;
import static dev.eddy.core.expression.Fixtures.n;
import static dev.eddy.core.expression.Fixtures.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ExpressionAttributeNames and ExpressionAttributeValues as a request gives them. */
class PlaceholdersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return text == null ? null : JSON.readTree(text);
    }

    private static Placeholders read(String names, String values) throws Exception {
        return Placeholders.read(json(names), json(values));
    }

    @Test
    void checkedInDynamoDbsOrder() {
        assertValidation("ExpressionAttributeNames must not be empty", () -> read("{}", "{\":v\":{}}"));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"b\"",
                () -> read("{\"#a\":\"\",\"b\":\"x\"}", null));
        assertValidation("ExpressionAttributeValues must not be empty", () -> read("{\"#a\":\"\"}", "{}"));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"bad\"",
                () -> read(null, "{\":v\":{\"S\":\"x\"},\"bad\":{}}"));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \":a-b\"",
                () -> read(null, "{\":a-b\":{\"S\":\"x\"}}"));
        assertValidation("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must "
                + "contain exactly one of the supported datatypes for key :v", () -> read("{\"#a\":\"\"}", "{\":v\":{}}"));
        assertValidation("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: "
                + "An string set  may not be empty for key :v", () -> read(null, "{\":v\":{\"SS\":[]}}"));
        assertValidation("ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
                + "numeric value: x for key :v", () -> read(null, "{\":v\":{\"N\":\"x\"}}"));
        assertValidation("ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
                () -> read("{\"#a\":\"\"}", "{\":v\":{\"S\":\"x\"}}"));
    }

    @Test
    void aValueOfTheWrongJsonShapeIsASerializationError() {
        DynamoException e = assertThrows(DynamoException.class, () -> read(null, "{\":v\":{\"S\":1}}"));
        assertEquals("SerializationException", e.type());
        e = assertThrows(DynamoException.class, () -> read("{\"#a\":1}", null));
        assertEquals("SerializationException", e.type());
    }

    @Test
    void everyPlaceholderMustBeUsedAcrossTheRequestsExpressions() throws Exception {
        Placeholders p = read("{\"#b\":\"x\",\"#a\":\"y\"}", "{\":v\":{\"N\":\"1\"},\":c\":{\"N\":\"1\"},\":a\":{\"N\":\"2\"}}");
        Expressions.condition("a = :v", p);
        // Names first, keys sorted.
        assertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}", p::checkAllUsed);
        Expressions.update("SET #a = :a, #b = :v", p);
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:c}", p::checkAllUsed);
        Expressions.condition("attribute_exists(x) OR z = :c", p);
        p.checkAllUsed();
        assertEquals(s("x"), Fixtures.s("x"));
        assertEquals(n(1), Fixtures.n("1.0"));
    }
}

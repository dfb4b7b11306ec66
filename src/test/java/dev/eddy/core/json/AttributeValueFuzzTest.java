package dev.eddy.core.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.DynamoException;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Request bodies as the wire endpoint reads them: the UTF-8 check, Jackson, then DynamoDB JSON
 * attribute values. Anything may be refused, but only with a DynamoDB error of HTTP 400; any other
 * exception is a finding. Seeds: {@code AttributeValueFuzzTestInputs/} beside this class's package
 * in the test resources, run with the tests; {@code -Pfuzz} (CI, bin/fuzz) fuzzes from them.
 */
class AttributeValueFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "5s")
    void requestBodies(byte[] body) throws IOException {
        JsonNode request;
        try {
            WellFormedText.checkBody(body);
            request = JSON.readTree(body);
            if (WellFormedText.mayEscapeSurrogate(body)) {
                WellFormedText.checkStrings(request);
            }
        } catch (JsonProcessingException | java.io.CharConversionException notJson) {
            return; // Eddy answers both with SerializationException (bytes Jackson takes for UTF-32 are the second)
        } catch (DynamoException e) {
            assertEquals(400, e.status(), e.wireType());
            return;
        }
        if (request == null || !request.isObject()) {
            return;
        }
        for (String member : new String[] {"Item", "Key", "ExpressionAttributeValues"}) {
            JsonNode node = request.get(member);
            if (node == null) {
                continue;
            }
            try {
                AttributeValueJson.readItem(node, member);
            } catch (DynamoException e) {
                assertEquals(400, e.status(), e.wireType() + ": " + e.getMessage());
            }
        }
    }
}

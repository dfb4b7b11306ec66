package dev.eddy.core.partiql;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PartiQL statements parsed and planned against the test tables (Music, Users), in each mode a
 * statement may come in, with a fuzzed parameter. Refusals must be DynamoDB errors of HTTP 400.
 */
class PartiqlFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void statements(FuzzedDataProvider data) {
        Planner.Mode mode = data.pickValue(Planner.Mode.values());
        String parameter = data.consumeString(20);
        String text = data.consumeRemainingAsString();
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        ArrayNode parameters = request.putArray("Parameters");
        parameters.addObject().put("S", parameter);
        try {
            Planner planner = new Planner(name -> switch (name) {
                case "Music" -> Schemas.MUSIC;
                case "Users" -> Schemas.USERS;
                default -> throw Errors.resourceNotFound();
            });
            planner.plan(ParsedStatement.parse(text), Parameters.read(request), mode);
        } catch (DynamoException e) {
            assertEquals(400, e.status(), e.wireType() + ": " + e.getMessage());
        }
    }
}

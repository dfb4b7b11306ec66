package dev.eddy.core.expression;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.model.AttributeValue;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every expression language's parser, and applying what parses to an item: a fuzzed expression
 * with a fixed set of placeholders is parsed as a condition, filter, update, projection and key
 * condition. Refusals must be DynamoDB errors of HTTP 400; any other exception is a finding.
 */
class ExpressionFuzzTest {
    private static final Map<String, String> NAMES = Map.of("#a", "a", "#b", "b.c", "#k", "pk");
    private static final Map<String, AttributeValue> VALUES = Map.of(":s", AttributeValue.s("x"),
            ":n", AttributeValue.n("1"), ":l", AttributeValue.l(java.util.List.of(AttributeValue.n("2"))),
            ":ss", AttributeValue.ss(java.util.List.of("p", "q")));
    private static final Map<String, AttributeValue> ITEM = Map.of("pk", AttributeValue.s("k"),
            "a", AttributeValue.n("5"), "l", AttributeValue.l(java.util.List.of(AttributeValue.s("e"))),
            "m", AttributeValue.m(Map.of("x", AttributeValue.bool(true))), "ss", AttributeValue.ss(java.util.List.of("p")));
    private static final KeyCondition.Schema SCHEMA = new KeyCondition.Schema("pk", "S", "sk", "N");

    @FuzzTest(maxDuration = "5s")
    void expressions(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        refusedOrDone(() -> Expressions.condition(text, Placeholders.of(NAMES, VALUES)).matches(ITEM));
        refusedOrDone(() -> Expressions.filter(text, Placeholders.of(NAMES, VALUES)).matches(ITEM));
        refusedOrDone(() -> Expressions.update(text, Placeholders.of(NAMES, VALUES)).apply(ITEM));
        refusedOrDone(() -> Expressions.projection(text, Placeholders.of(NAMES, VALUES)).project(ITEM));
        refusedOrDone(() -> Expressions.keyCondition(text, Placeholders.of(NAMES, VALUES), SCHEMA));
        refusedOrDone(() -> PathHeads.of(text));
    }

    private static void refusedOrDone(Runnable parse) {
        try {
            parse.run();
        } catch (DynamoException e) {
            assertEquals(400, e.status(), e.wireType() + ": " + e.getMessage());
        }
    }
}

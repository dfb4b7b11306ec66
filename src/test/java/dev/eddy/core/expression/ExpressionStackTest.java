package dev.eddy.core.expression;

import dev.eddy.core.error.DynamoException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An expression nested deeper than a thread's stack can parse is refused as DynamoDB refuses too many operators, never an internal error. */
class ExpressionStackTest {

    @Test
    void aThreadOutOfStackGetsTheOperatorLimitError() throws Exception {
        String deep = "NOT (".repeat(550) + "a = :v" + ")".repeat(550);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        // 64 KB is far too little for 550 levels: the parser's recursion must run out.
        Thread small = new Thread(null, () -> {
            try {
                Expressions.condition(deep, Fixtures.placeholders(null, Fixtures.values(":v", Fixtures.n(1))));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "small-stack", 64 * 1024);
        small.start();
        small.join();
        assertTrue(thrown.get() instanceof DynamoException, "got " + thrown.get());
        DynamoException e = (DynamoException) thrown.get();
        assertEquals("ValidationException", e.type());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Invalid ConditionExpression: "), e.getMessage());
    }
}

package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.triggers.dispatcher.TriggerEndpoint.Answer;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** BisectBatchOnFunctionError: halving a failing batch isolates the record that breaks it. */
class BisectTest extends DispatcherTestBase {

    @Test
    void bisectingDeliversEveryGoodRecordAndIsolatesThePoisonOne() throws Exception {
        function.answer(event -> TriggerEndpoint.contains(event, "r6") ? Answer.error() : Answer.ok());
        ChangeFeed feed = feed(1);
        IntStream.rangeClosed(1, 8).forEach(i -> feed.put("r" + i, 1));
        feed.flush();
        TriggerDispatcher dispatcher = start(settings("bisect-batch-on-function-error", "true",
                "maximum-retry-attempts", "1", "on-failure-topic", topic + ".dlq", "maximum-batching-window-in-seconds", "1"));

        await("7 delivered, the poison record dead-lettered",
                () -> function.processed().size() == 7 && dispatcher.stats().deadLettered() == 1);
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5", "r7", "r8"),
                function.processed().stream().map(TriggerEndpoint::pk).toList(), "each good record once, in order");
        // [1..8] fails -> [1..4] ok, [5..8] fails -> [5,6] fails -> [5] ok, [6] fails, retried once -> [7,8] ok
        List<List<String>> calls = function.invocations().stream().map(TriggerEndpoint.Invocation::pks).toList();
        assertEquals(List.of(List.of("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"), List.of("r1", "r2", "r3", "r4"),
                List.of("r5", "r6", "r7", "r8"), List.of("r5", "r6"), List.of("r5"), List.of("r6"), List.of("r6"),
                List.of("r7", "r8")), calls);
        List<ConsumerRecord<byte[], byte[]>> dead = KafkaBroker.readAll(topic + ".dlq", 1, WAIT);
        assertEquals("5", headers(dead.get(0)).get("eddy.source.offset"));
    }
}

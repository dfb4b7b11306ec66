package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.triggers.dispatcher.TriggerEndpoint.Answer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** MaximumRecordAgeInSeconds: records too old are given up on, before or between deliveries. */
class RecordAgeTest extends DispatcherTestBase {

    private static double secondsAgo(double seconds) {
        return System.currentTimeMillis() / 1000.0 - seconds;
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreNeverDelivered() throws Exception {
        feed(1).put("stale-1", 1, secondsAgo(3600)).put("fresh-1", 1).put("stale-2", 1, secondsAgo(120))
                .put("fresh-2", 1).flush();
        TriggerDispatcher dispatcher = start(settings("maximum-record-age-in-seconds", "60",
                "on-failure-topic", topic + ".dlq", "maximum-batching-window-in-seconds", "0.5"));

        await("2 delivered and 2 dead-lettered",
                () -> function.processed().size() == 2 && dispatcher.stats().deadLettered() == 2);
        assertEquals(List.of("fresh-1", "fresh-2"), function.processed().stream().map(TriggerEndpoint::pk).toList());
        List<ConsumerRecord<byte[], byte[]>> dead = KafkaBroker.readAll(topic + ".dlq", 2, WAIT);
        assertEquals(List.of("stale-1", "stale-2"), dead.stream().map(DispatcherTestBase::pkOf).toList());
        assertEquals("RecordAgeExceeded", headers(dead.get(0)).get("eddy.failure.condition"));
    }

    @Test
    void aRecordThatExpiresWhileRetriedIsGivenUpOnAndThePartitionMovesOn() throws Exception {
        function.answer(event -> TriggerEndpoint.contains(event, "doomed") ? Answer.error() : Answer.ok());
        // 58.5 s old with a 60 s limit: it expires after about 1.5 s of (unlimited) retries
        ChangeFeed feed = feed(1).put("doomed", 1, secondsAgo(58.5)).flush();
        TriggerDispatcher dispatcher = start(settings("maximum-record-age-in-seconds", "60",
                "retry-initial-backoff", "50ms", "retry-max-backoff", "100ms"));

        await("the record given up on", () -> dispatcher.stats().discarded() == 1);
        int calls = function.invocations().size();
        feed.put("next", 1).flush();
        await("the next record", () -> function.processed().size() == 1);
        assertEquals(calls + 1, function.invocations().size());
    }
}

package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.triggers.dispatcher.TriggerEndpoint.Answer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Retries with backoff, MaximumRetryAttempts, and the on-failure (dead-letter) topic. */
class RetryTest extends DispatcherTestBase {

    @Test
    void aFailedBatchIsRetriedWithGrowingPausesUntilTheFunctionSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        function.answer(event -> calls.incrementAndGet() <= 3 ? Answer.error() : Answer.ok());
        ChangeFeed feed = feed(1).put("a", 1).put("b", 1).flush();
        start(settings("retry-initial-backoff", "100ms", "retry-max-backoff", "1s",
                "maximum-batching-window-in-seconds", "0.5"));

        await("success", () -> function.processed().size() == 2);
        List<TriggerEndpoint.Invocation> invocations = function.invocations();
        assertEquals(4, invocations.size());
        invocations.forEach(i -> assertEquals(List.of("a", "b"), i.pks(), "the same batch each time"));
        // backoff 100 ms, then 200 ms, then 400 ms: each pause at least as long as the schedule says
        for (int i = 1; i < invocations.size(); i++) {
            long pause = TimeUnit.NANOSECONDS.toMillis(invocations.get(i).receivedNanos() - invocations.get(i - 1).receivedNanos());
            long scheduled = 100L << (i - 1);
            assertTrue(pause >= scheduled, "pause " + i + " was " + pause + " ms, the backoff is " + scheduled + " ms");
        }
        feed.put("c", 1).flush();
        await("the next record", () -> function.processed().size() == 3);
    }

    @Test
    void afterMaximumRetryAttemptsTheBatchGoesToTheOnFailureTopicAndThePartitionMovesOn() throws Exception {
        function.answer(event -> TriggerEndpoint.contains(event, "poison") ? Answer.error() : Answer.ok());
        ChangeFeed feed = feed(1).put("a", 1).put("poison", 1).put("b", 1).flush();
        TriggerDispatcher dispatcher = start(settings("maximum-retry-attempts", "2", "on-failure-topic", topic + ".dlq",
                "maximum-batching-window-in-seconds", "0.5"));

        await("3 records dead-lettered", () -> dispatcher.stats().deadLettered() == 3);
        assertEquals(3, function.invocations().size(), "the first call and 2 retries");
        // what the trigger's meters show (eddy_trigger_invocations_failed_total, eddy_trigger_retries_total)
        assertEquals(3, dispatcher.stats().failedInvocations(), "every call failed");
        assertEquals(2, dispatcher.stats().retries());
        List<ConsumerRecord<byte[], byte[]>> dead = KafkaBroker.readAll(topic + ".dlq", 3, WAIT);
        assertEquals(List.of("a", "poison", "b"), dead.stream().map(DispatcherTestBase::pkOf).toList());
        Map<String, String> headers = headers(dead.get(1));
        assertEquals("RetryAttemptsExhausted", headers.get("eddy.failure.condition"));
        assertEquals("3", headers.get("eddy.failure.attempts"));
        assertEquals(topic, headers.get("eddy.source.topic"));
        assertEquals("1", headers.get("eddy.source.offset"));
        assertTrue(headers.get("eddy.failure.error").startsWith("HTTP 500"), headers.get("eddy.failure.error"));

        feed.put("c", 1).flush();
        await("the next record", () -> function.processed().size() == 1);
        assertEquals("c", TriggerEndpoint.pk(function.processed().get(0)));
    }

    @Test
    void zeroRetryAttemptsGivesUpAfterTheFirstFailureAndDropsWithoutOnFailureTopic() throws Exception {
        function.answer(event -> TriggerEndpoint.contains(event, "poison") ? Answer.error() : Answer.ok());
        ChangeFeed feed = feed(1).put("poison", 1).flush();
        TriggerDispatcher dispatcher = start(settings("maximum-retry-attempts", "0"));

        await("the record discarded", () -> dispatcher.stats().discarded() == 1);
        assertEquals(1, function.invocations().size());
        feed.put("next", 1).flush();
        await("the next record", () -> function.processed().size() == 1);
    }

    @Test
    void anUnreachableFunctionDoesNotUseUpRetryAttempts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        feed(1).put("a", 1).flush();
        Map<String, String> settings = settings("maximum-retry-attempts", "0",
                "function-url", "http://127.0.0.1:" + port + "/trigger");
        TriggerDispatcher dispatcher = start(settings);
        await("several failed calls", () -> dispatcher.stats().failedInvocations() >= 5);
        assertEquals(0, dispatcher.stats().discarded(), "a batch that never reached the function is not given up on");

        try (TriggerEndpoint late = new TriggerEndpoint(port)) {
            await("delivery once the function is up", () -> late.processed().size() == 1);
        }
    }

    @Test
    void aFunctionThatTimesOutHasFailed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        function.answer(event -> {
            if (calls.incrementAndGet() == 1) {
                sleep(Duration.ofSeconds(2));
            }
            return Answer.ok();
        });
        feed(1).put("slow", 1).flush();
        TriggerDispatcher dispatcher = start(settings("invocation-timeout", "300ms"));
        await("the retry", () -> calls.get() == 2 && function.processed().size() >= 1);
        assertEquals(1, dispatcher.stats().failedInvocations());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

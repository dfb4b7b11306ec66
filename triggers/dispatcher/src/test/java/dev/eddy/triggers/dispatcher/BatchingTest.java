package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** BatchSize, MaximumBatchingWindowInSeconds and the 6 MB payload limit. */
class BatchingTest extends DispatcherTestBase {

    @Test
    void batchSizeCapsEachInvocationAndTheWindowFillsBatches() throws Exception {
        ChangeFeed feed = feed(1);
        IntStream.rangeClosed(1, 250).forEach(i -> feed.put("item-" + i, 1));
        feed.flush();
        start(settings("batch-size", "100", "maximum-batching-window-in-seconds", "2"));

        await("250 records", () -> function.processed().size() == 250);
        List<Integer> sizes = function.invocations().stream().map(i -> i.records().size()).toList();
        assertEquals(List.of(100, 100, 50), sizes);
        assertEquals(IntStream.rangeClosed(1, 250).mapToObj(i -> "item-" + i).toList(),
                function.processed().stream().map(TriggerEndpoint::pk).toList());
    }

    @Test
    void windowGathersRecordsThatArriveApart() throws Exception {
        ChangeFeed feed = feed(1);
        start(settings("maximum-batching-window-in-seconds", "1.5"));
        for (int i = 1; i <= 3; i++) {
            feed.put("item-" + i, 1).flush();
            Thread.sleep(150);
        }

        await("3 records", () -> function.processed().size() == 3);
        assertEquals(1, function.invocations().size(), "one invocation for the records within one window");
    }

    @Test
    void withoutWindowEachArrivalIsDeliveredAtOnce() throws Exception {
        ChangeFeed feed = feed(1);
        start(settings());
        for (int i = 1; i <= 3; i++) {
            feed.put("item-" + i, 1).flush();
            int delivered = i;
            await("record " + i, () -> function.processed().size() == delivered);
        }
        assertEquals(3, function.invocations().size());
    }

    @Test
    void batchesStayUnderLambdasPayloadLimit() throws Exception {
        ChangeFeed feed = feed(1);
        String filler = "x".repeat(300_000);
        IntStream.rangeClosed(1, 40).forEach(i -> feed.putWith("item-" + i, 1, "blob", filler));
        feed.flush();
        start(settings("batch-size", "100", "maximum-batching-window-in-seconds", "1"));

        await("40 records", () -> function.processed().size() == 40);
        assertTrue(function.invocations().size() >= 2, "12 MB of records cannot go in one invocation");
        for (TriggerEndpoint.Invocation i : function.invocations()) {
            int bytes = i.records().size() * 300_000;
            assertTrue(bytes <= Shard.MAX_PAYLOAD_BYTES, "an invocation carried about " + bytes + " bytes");
        }
    }
}

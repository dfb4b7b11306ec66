package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A holder that handed a batch to the function and never heard back (killed, or fenced by the next
 * holder under the same lease) leaves it uncommitted, so the next holder delivers it again. That second
 * delivery, and only what the old holder had taken in, comes with the possible-redelivery header, so a
 * function can drop what it has seen by eventID; the first delivery and everything later comes without.
 */
class RedeliveryMarkTest extends DispatcherTestBase {

    @Test
    void aBatchTheOldHolderHandedOverComesMarkedFromTheNextHolder() throws Exception {
        ChangeFeed feed = feed(1);
        for (int i = 1; i <= 5; i++) {
            feed.put("early-" + i, 1);
        }
        feed.flush();
        CountDownLatch firstTaken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> marks = new ArrayList<>();
        List<List<String>> batches = new ArrayList<>();
        function.answer(event -> {
            boolean first = firstTaken.getCount() == 1;
            firstTaken.countDown();
            if (first) {
                try {
                    release.await(30, TimeUnit.SECONDS); // the holder never hears back
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return TriggerEndpoint.Answer.ok();
        });
        Map<String, String> settings = settings("batch-size", "10");
        try {
            startSole(settings);
            assertTrue(firstTaken.await(20, TimeUnit.SECONDS), "the first holder delivered");

            // the next holder joins as the same static member: the old one is fenced, its batch unsettled
            startSole(settings);
            await("the batch again", () -> function.invocations().size() >= 1);
            for (int i = 1; i <= 5; i++) {
                feed.put("late-" + i, 1);
            }
            feed.flush();
            await("the later records", () -> function.processed().stream()
                    .filter(r -> TriggerEndpoint.pk(r).startsWith("late-")).count() == 5);
        } finally {
            release.countDown();
        }
        await("the first holder's call answered", () -> function.invocations().stream()
                .mapToLong(i -> i.pks().stream().filter(pk -> pk.startsWith("early-")).count()).sum() == 10);
        for (TriggerEndpoint.Invocation i : function.invocations()) {
            marks.add(marked(i));
            batches.add(i.pks());
        }
        boolean sawRedelivery = false;
        for (int i = 0; i < batches.size(); i++) {
            boolean early = batches.get(i).stream().anyMatch(pk -> pk.startsWith("early-"));
            boolean late = batches.get(i).stream().anyMatch(pk -> pk.startsWith("late-"));
            if (late) {
                assertFalse(marks.get(i), "records written after the takeover come unmarked: " + batches + " " + marks);
            }
            if (early && marks.get(i)) {
                sawRedelivery = true;
            }
        }
        assertTrue(sawRedelivery, "the old holder's records came again marked: " + batches + " " + marks);
        long unmarkedEarly = 0;
        for (int i = 0; i < batches.size(); i++) {
            if (!marks.get(i)) {
                unmarkedEarly += batches.get(i).stream().filter(pk -> pk.startsWith("early-")).count();
            }
        }
        assertEquals(5, unmarkedEarly, "each early record went out unmarked once (the first holder's call): "
                + batches + " " + marks);
    }

    private TriggerDispatcher startSole(Map<String, String> settings) throws Exception {
        TriggerDispatcher dispatcher = closing(TriggerDispatcher.start(TriggerConfig.of(name, settings),
                KafkaBroker.bootstrapServers(), Map.of(), new TriggerStats(), RecordCheck.ANY, "holder"));
        dispatcher.awaitAssignment(WAIT);
        return dispatcher;
    }

    private static boolean marked(TriggerEndpoint.Invocation i) {
        return i.headers().entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase(
                TriggerFunction.POSSIBLE_REDELIVERY) && h.getValue().contains("true"));
    }
}

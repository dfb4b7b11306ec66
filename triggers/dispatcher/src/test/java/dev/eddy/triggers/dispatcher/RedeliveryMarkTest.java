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
 * delivery comes with the possible-redelivery header, so a function can drop what it has seen by eventID;
 * first deliveries come without it past the old holder's mark (the last record it polled plus a look-ahead).
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
        java.util.Set<String> unmarkedOnce = new java.util.HashSet<>();
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
        Map<String, String> settings = settings("batch-size", "100");
        long ahead = TriggerDispatcher.markAhead(TriggerConfig.of(name, settings));
        int late = (int) ahead + 20; // offsets 5 to ahead + 24: the last 20 lie past the old holder's mark, 4 + ahead
        try {
            startSole(settings);
            assertTrue(firstTaken.await(20, TimeUnit.SECONDS), "the first holder delivered");

            // the next holder joins as the same static member: the old one is fenced, its batch unsettled
            startSole(settings);
            await("the batch again", () -> function.invocations().size() >= 1);
            for (int i = 1; i <= ahead; i++) {
                feed.put("late-" + i, 1);
            }
            feed.flush();
            await("the records up to the old holder's mark", () -> function.processed().stream()
                    .filter(r -> TriggerEndpoint.pk(r).startsWith("late-")).count() == ahead);
            for (int i = (int) ahead + 1; i <= late; i++) {
                feed.put("late-" + i, 1); // a batch of its own, past the mark
            }
            feed.flush();
            await("the later records", () -> function.processed().stream()
                    .filter(r -> TriggerEndpoint.pk(r).startsWith("late-")).count() == late);
        } finally {
            release.countDown();
        }
        await("the first holder's call answered", () -> function.invocations().stream()
                .mapToLong(i -> i.pks().stream().filter(pk -> pk.startsWith("early-")).count()).sum() == 10);
        for (TriggerEndpoint.Invocation i : function.invocations()) {
            marks.add(marked(i));
            batches.add(i.pks());
            if (!marked(i)) {
                for (String pk : i.pks()) {
                    assertTrue(unmarkedOnce.add(pk), pk + " delivered twice without the mark");
                }
            }
        }
        boolean sawRedelivery = false;
        int batchesPastMark = 0;
        for (int i = 0; i < batches.size(); i++) {
            boolean early = batches.get(i).stream().anyMatch(pk -> pk.startsWith("early-"));
            String firstPk = batches.get(i).get(0); // a batch is marked when it starts at or below the mark
            boolean pastMark = firstPk.startsWith("late-") && Integer.parseInt(firstPk.substring(5)) > ahead;
            if (pastMark) {
                batchesPastMark++;
                assertFalse(marks.get(i), "records past the old holder's mark come unmarked: " + batches.get(i));
            }
            if (early && marks.get(i)) {
                sawRedelivery = true;
            }
        }
        assertTrue(sawRedelivery, "the old holder's records came again marked: " + batches + " " + marks);
        assertTrue(batchesPastMark > 0, "a batch started past the mark: " + batches);
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

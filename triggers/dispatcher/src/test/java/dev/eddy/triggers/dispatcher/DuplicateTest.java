package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The producer delivers at least once; the trigger sees each change once: records are dropped when
 * their item already had that SequenceNumber (or a later one), also across restarts and when
 * partitions move between dispatchers of one group.
 */
class DuplicateTest extends DispatcherTestBase {

    @Test
    void copiesOnTheTopicAreDeliveredOnce() throws Exception {
        feed(1).put("a", 1).put("b", 1).put("a", 1).put("c", 1).put("b", 1).put("a", 2).put("a", 1).flush();
        TriggerDispatcher dispatcher = start(settings());
        await("4 changes", () -> function.processed().size() == 4);
        settle();
        assertEquals(List.of("a#000000000000000000001", "b#000000000000000000001", "c#000000000000000000001",
                "a#000000000000000000002"), function.processedChanges());
        assertEquals(3, dispatcher.stats().duplicates());
    }

    @Test
    void aCopyJustAfterARestartIsDropped() throws Exception {
        ChangeFeed feed = feed(1).put("a", 1).put("b", 1).put("c", 1).flush();
        Map<String, String> settings = settings();
        TriggerDispatcher first = start(settings);
        await("3 changes", () -> function.processed().size() == 3);
        first.close();

        // the producer crashed before confirming its last sends and sends them again
        feed.put("b", 1).put("c", 1).put("d", 1).flush();
        TriggerDispatcher second = start(settings);
        await("the new change", () -> function.processed().size() == 4);
        settle();
        assertEquals("d#000000000000000000001", function.processedChanges().get(3));
        assertEquals(2, second.stats().duplicates());
    }

    @Test
    void aCopyFarBehindItsRecordIsDroppedAfterARestart() throws Exception {
        // after an outage a writer may send again a record it could not confirm, minutes and many
        // records after the first copy: further back than the fixed look-back at assignment
        double writtenAt = System.currentTimeMillis() / 1000.0;
        ChangeFeed feed = feed(1).put("a", 1, writtenAt);
        for (int i = 1; i <= 40; i++) {
            feed.put("other-" + i, 1);
        }
        feed.flush();
        Map<String, String> settings = settings("duplicate-lookback", "10");
        TriggerDispatcher first = start(settings);
        await("41 changes", () -> function.processed().size() == 41);
        first.close();

        feed.put("a", 1, writtenAt).put("b", 1).flush();
        TriggerDispatcher second = start(settings);
        await("the new change", () -> function.processedChanges().contains("b#000000000000000000001"));
        settle();
        assertEquals(42, function.processed().size(), "a's copy was delivered again: " + function.processedChanges());
        assertEquals("b#000000000000000000001", function.processedChanges().get(41));
        assertEquals(1, second.stats().duplicates());
    }

    @Test
    void copiesAreDroppedWhenAPartitionMovesToAnotherDispatcher() throws Exception {
        ChangeFeed feed = feed(2);
        Map<String, String> settings = settings();
        TriggerDispatcher one = start(settings);
        TriggerDispatcher two = start(settings);
        for (int i = 1; i <= 20; i++) {
            feed.put("item-" + i, 1);
        }
        feed.flush();
        await("20 changes", () -> function.processed().size() == 20);

        one.close(); // its partition moves to the other dispatcher
        for (int i = 1; i <= 20; i++) {
            feed.put("item-" + i, 1); // copies of everything
        }
        feed.put("item-1", 2).put("item-2", 2).flush();
        await("the 20 copies dropped", () -> one.stats().duplicates() + two.stats().duplicates() == 20);
        await("the 2 new changes", () -> function.processed().size() == 22);
        settle();
        assertEquals(22, function.processed().size());
    }
}

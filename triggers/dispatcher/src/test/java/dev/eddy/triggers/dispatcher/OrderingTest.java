package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.triggers.dispatcher.TriggerEndpoint.Answer;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Per-item order: records of one item reach the function in the order they were written, and a
 * failing batch holds back its own partition only (a partition is a shard).
 */
class OrderingTest extends DispatcherTestBase {

    @Test
    void recordsOfEachItemArriveInOrderAcrossPartitionsAndBatches() throws Exception {
        ChangeFeed feed = feed(3);
        Map<String, Long> versions = new HashMap<>();
        Random random = new Random(42);
        for (int n = 0; n < 600; n++) {
            String item = "item-" + random.nextInt(30);
            feed.put(item, versions.merge(item, 1L, Long::sum));
        }
        feed.flush();
        start(settings("batch-size", "7"));

        await("600 records", () -> function.processed().size() >= 600);
        Map<String, List<Long>> seen = new HashMap<>();
        for (DynamodbStreamRecord r : function.processed()) {
            seen.computeIfAbsent(TriggerEndpoint.pk(r), k -> new ArrayList<>()).add(Long.parseLong(r.dynamodb().sequenceNumber()));
        }
        versions.forEach((item, last) -> {
            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= last; v++) {
                expected.add(v);
            }
            assertEquals(expected, seen.get(item), item + " delivered out of order or not exactly once");
        });
    }

    @Test
    void aFailingBatchHoldsBackItsPartitionOnly() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        function.answer(event -> broken.get() && TriggerEndpoint.contains(event, "poison") ? Answer.error() : Answer.ok());
        ChangeFeed feed = feed(2);
        start(settings());
        feed.putInto(0, "poison", 1).putInto(0, "p0-after", 1).putInto(1, "p1-a", 1).putInto(1, "p1-b", 1).flush();

        await("partition 1 delivered", () -> pks().containsAll(List.of("p1-a", "p1-b")));
        settle();
        assertTrue(!pks().contains("p0-after"), "a record behind a failing batch of its partition was delivered");

        broken.set(false);
        await("partition 0 delivered", () -> pks().containsAll(List.of("poison", "p0-after")));
        List<String> all = pks();
        assertTrue(all.indexOf("poison") < all.indexOf("p0-after"), "partition order: " + all);
    }

    private List<String> pks() {
        return function.processed().stream().map(TriggerEndpoint::pk).toList();
    }
}

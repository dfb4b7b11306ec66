package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.Meters;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write that takes its page over the page size is made by its own compare-and-set, like any other
 * write, and the page is split after it: a change another writer makes to the page while the split
 * stores its new pages costs the split an attempt, not the write. (When the write split as part of its
 * change, every such change started the write over: under writers that kept changing the page, a write
 * that needed a split lost for more than 10 s.)
 */
class SplitAfterWriteTest {
    private static final int PAGE_BYTES = 1024;
    private static final String PAD = "x".repeat(100);
    private static final String OTHER_PAD = "y".repeat(100);

    // No near cache: a first attempt on a near-cached page that a write takes over the size is decided
    // again on the owners' page by design (ItemStore.edit), which would count as a second apply here.
    private final TestNode node = new TestNode(0, PAGE_BYTES);
    private final Meters meters = new Meters();
    private final ItemStore items = new ItemStore(node.storage, PAGE_BYTES, meters);

    @AfterEach
    void stop() {
        node.close();
    }

    private static PrimaryKey key(int n) {
        return new PrimaryKey(AttributeValue.s("p"), AttributeValue.n(Integer.toString(n)));
    }

    private static Map<String, AttributeValue> item(int n, String pad) {
        return Map.of("pk", AttributeValue.s("p"), "sk", AttributeValue.n(Integer.toString(n)), "pad", AttributeValue.s(pad));
    }

    @Test
    void aChangeToThePageWhileItsSplitStoresNewPagesDoesNotStartTheWriteOver() throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        int n = 0;
        while (node.keys(t.cacheName()).size() < 3) { // the collection is paged: its index and two pages
            int k = n++;
            items.write(t, key(k), current -> item(k, PAD));
        }
        int pagesBefore = node.keys(t.cacheName()).size();

        // The next page a split stores is held on its way in; meanwhile another writer changes an item of
        // the page being split (the last item written, on the last page, which the next writes fill),
        // without changing its size.
        CompletableFuture<Void> reached = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        node.holdNextPut(t.cacheName(), reached, release);
        int contended = n - 1;
        CompletableFuture<Void> otherWriter = reached.thenRunAsync(() -> {
            items.write(t, key(contended), current -> item(contended, OTHER_PAD));
            release.complete(null);
        });

        int applied = -1;
        int splitting = -1;
        while (!reached.isDone() && n < 1_000) {
            int k = n++;
            AtomicInteger applies = new AtomicInteger();
            items.write(t, key(k), current -> {
                applies.incrementAndGet();
                return item(k, PAD);
            });
            if (reached.isDone()) {
                applied = applies.get();
                splitting = k;
            }
        }
        otherWriter.get(30, TimeUnit.SECONDS);

        assertTrue(splitting >= 0, "a write split the page");
        assertEquals(1, applied, "the write that took the page over the size was applied once, not started over");
        for (int k = 0; k < n; k++) {
            Map<String, AttributeValue> stored = items.get(t, key(k), true);
            assertEquals(item(k, k == contended ? OTHER_PAD : PAD), stored, "item " + k);
        }
        assertTrue(node.keys(t.cacheName()).size() > pagesBefore, "the page was split");
        assertTrue(meters.count("eddy.storage.pages.split-after-write") >= 1, "split after its write");
    }
}

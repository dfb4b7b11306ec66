package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes whose first attempt takes the page from the near cache (one round trip when it is current)
 * while the near cache is behind the servers, its invalidation lost as in a partition: only a
 * compare-and-set against the page's version concludes from it, so a delete, a condition or a
 * change that would change nothing is decided on the page the owners hold. Both write paths: the
 * one that may wait, and the one without waiting.
 */
class StaleNearCacheWritesTest {
    private static TestNode node;
    private static ItemStore items;

    @BeforeAll
    static void start() {
        node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);
        items = node.items(StorageConfig.DEFAULT_PAGE_BYTES);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static final AttributeValue PK = AttributeValue.s("acct");

    private static Map<String, AttributeValue> item(int sk, String v) {
        return Map.of("pk", PK, "sk", AttributeValue.n(Integer.toString(sk)), "v", AttributeValue.s(v));
    }

    private static PrimaryKey key(int sk) {
        return new PrimaryKey(PK, AttributeValue.n(Integer.toString(sk)));
    }

    /**
     * A table whose collection holds item 1 as this instance's near cache has it, while the servers
     * hold items 1 and 2 (item 2 stored behind the near cache's back).
     */
    private static TableDefinition staleTable() {
        TableDefinition t = Fixtures.table(node, true);
        items.write(t, key(1), current -> item(1, "a"));
        assertNotNull(items.get(t, key(1), false)); // the near cache holds the page now
        node.changeUnannounced(t.cacheName(), CollectionSpace.of(t).partition(PK), stored -> {
            ItemPage page = ItemPage.decode(stored, true);
            page.set(AttributeValue.n("2"), ItemCodec.encode(item(2, "b")));
            page.nextSequence(System.currentTimeMillis() * 1000);
            return page.encode();
        });
        assertNull(items.get(t, key(2), false), "the near cache is behind the servers");
        assertEquals(item(2, "b"), items.get(t, key(2), true));
        return t;
    }

    private static ItemStore.WriteResult write(boolean waits, TableDefinition t, PrimaryKey key, ItemStore.ItemChange change) {
        return waits ? items.write(t, key, change) : items.writeAsync(t, key, change, Runnable::run).join();
    }

    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aDeleteOfAnItemTheNearCacheDoesNotHaveYetDeletesIt(boolean waits) {
        TableDefinition t = staleTable();
        ItemStore.WriteResult deleted = write(waits, t, key(2), current -> null);
        assertEquals(item(2, "b"), deleted.oldItem());
        assertNull(items.get(t, key(2), true));
        assertEquals(item(1, "a"), items.get(t, key(1), true));
    }

    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aConditionTheStoredItemMeetsIsNotRefusedOnTheNearCachesPage(boolean waits) {
        TableDefinition t = staleTable();
        write(waits, t, key(2), current -> {
            if (current == null || !"b".equals(current.get("v").s())) {
                throw Errors.conditionalCheckFailed();
            }
            return item(2, "c");
        });
        assertEquals(item(2, "c"), items.get(t, key(2), true));
    }

    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aPutOfWhatTheNearCacheHoldsIsStoredWhenTheServersHoldOtherwise(boolean waits) {
        TableDefinition t = staleTable();
        node.changeUnannounced(t.cacheName(), CollectionSpace.of(t).partition(PK), stored -> {
            ItemPage page = ItemPage.decode(stored, true);
            page.set(AttributeValue.n("1"), ItemCodec.encode(item(1, "z")));
            page.nextSequence(System.currentTimeMillis() * 1000);
            return page.encode();
        });
        write(waits, t, key(1), current -> item(1, "a")); // the near cache's page already says "a"
        assertEquals(item(1, "a"), items.get(t, key(1), true));
    }
}

package dev.eddy.core.storage;

import dev.eddy.core.StorageConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each state a transaction's locks can be in, as each reader sees it: a committed transaction
 * whose locks nobody has applied yet shows its images (an update, a delete, an insert of an item
 * that did not exist) to GetItem, Query both ways and Scan alike; a transaction in flight or
 * aborted shows the items as they were; only one in flight holds them.
 */
class LockViewTest {
    private static TestNode node;
    private static ItemStore items;
    private static final Map<String, TransactionState> STATES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);
        items = node.items(StorageConfig.DEFAULT_PAGE_BYTES);
        items.transactionStates(id -> STATES.getOrDefault(id, TransactionState.ABORTED));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static final AttributeValue PK = AttributeValue.s("acct");

    private static Map<String, AttributeValue> item(String sk, int v) {
        return Map.of("pk", PK, "sk", AttributeValue.n(sk), "v", AttributeValue.n(Integer.toString(v)));
    }

    private static PrimaryKey key(String sk) {
        return new PrimaryKey(PK, AttributeValue.n(sk));
    }

    private static Map<String, Integer> query(TableDefinition t, boolean forward, boolean consistent) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        items.query(t, PK, null, true, forward, consistent, (sk, bytes) -> {
            out.put(sk.n(), Integer.parseInt(ItemCodec.decode(bytes).get("v").n()));
            return true;
        });
        return out;
    }

    private static Map<String, Integer> scan(TableDefinition t, boolean consistent) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        items.scan(t, 0, 1, null, consistent, (hash, sk, bytes) -> {
            out.put(sk.n(), Integer.parseInt(ItemCodec.decode(bytes).get("v").n()));
            return true;
        });
        return out;
    }

    private static Integer get(TableDefinition t, String sk, boolean consistent) {
        Map<String, AttributeValue> i = items.get(t, key(sk), consistent);
        return i == null ? null : Integer.parseInt(i.get("v").n());
    }

    @ParameterizedTest
    @EnumSource(TransactionState.class)
    void everyReaderSeesALockedItemAsItsTransactionStateSays(TransactionState state) throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        items.write(t, key("1"), c -> item("1", 10));
        items.write(t, key("2"), c -> item("2", 20));
        String tx = "tx-" + state;
        STATES.put(tx, TransactionState.PENDING);
        items.lock(t, key("1"), tx, c -> item("1", 11)); // an update
        items.lock(t, key("2"), tx, c -> null);          // a delete
        items.lock(t, key("3"), tx, c -> item("3", 30)); // an insert
        STATES.put(tx, state);

        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        if (state == TransactionState.COMMITTED) {
            expected.put("1", 11);
            expected.put("3", 30);
        } else {
            expected.put("1", 10);
            expected.put("2", 20);
        }
        List<String> reversedKeys = new ArrayList<>(expected.keySet());
        java.util.Collections.reverse(reversedKeys);
        for (boolean consistent : new boolean[] {true, false}) {
            Thread.sleep(consistent ? 0 : 100); // the near cache hears of the locks within milliseconds
            assertEquals(expected, query(t, true, consistent), "Query forward, consistent " + consistent);
            assertEquals(reversedKeys, new ArrayList<>(query(t, false, consistent).keySet()), "Query backward");
            assertEquals(expected, scan(t, consistent), "Scan, consistent " + consistent);
            for (String sk : List.of("1", "2", "3")) {
                assertEquals(expected.get(sk), get(t, sk, consistent), "GetItem " + sk + ", consistent " + consistent);
            }
        }
        ItemStore.Stored stored = items.readWithSequence(t, key("1"));
        assertEquals(state == TransactionState.PENDING, stored.held(), "only a transaction in flight holds its items");

        // Settling the locks (what the coordinator or recovery does) leaves the same view, applied.
        if (state != TransactionState.PENDING) {
            for (String sk : List.of("1", "2", "3")) {
                items.release(t, key(sk), tx, state == TransactionState.COMMITTED);
            }
            assertEquals(expected, query(t, true, true));
            assertFalse(items.readWithSequence(t, key("1")).lock() != null, "no lock left");
        } else {
            assertTrue(items.readWithSequence(t, key("3")).held());
            assertNull(get(t, "3", true));
        }
    }
}

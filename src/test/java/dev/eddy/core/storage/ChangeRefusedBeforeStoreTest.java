package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change's last word ({@link ItemStore.ItemChange#onTime}): a change that applied but refuses just
 * before it is stored (a request whose time ran out meanwhile) is not stored, and its refusal is what
 * the write throws. On both write paths (the one that may wait, the one without waiting), for an
 * item that exists and one that does not.
 */
class ChangeRefusedBeforeStoreTest {
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

    private static Map<String, AttributeValue> item(String pk, String v) {
        return Map.of("pk", AttributeValue.s(pk), "v", AttributeValue.s(v));
    }

    private static PrimaryKey key(String pk) {
        return new PrimaryKey(AttributeValue.s(pk), null);
    }

    /** Applies (to {@code next}), then refuses just before the store. */
    private static ItemStore.ItemChange lateChange(Map<String, AttributeValue> next, RuntimeException refusal) {
        return new ItemStore.ItemChange() {
            @Override
            public Map<String, AttributeValue> apply(Map<String, AttributeValue> current) {
                return next;
            }

            @Override
            public void onTime() {
                throw refusal;
            }
        };
    }

    private static RuntimeException thrownBy(Runnable write) {
        try {
            write.run();
        } catch (CompletionException e) {
            return (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("the write was stored");
    }

    private static void refusedOnBothPaths(TableDefinition t, String pk, Map<String, AttributeValue> before) {
        RuntimeException refusal = new IllegalStateException("late");
        assertSame(refusal, thrownBy(() -> items.write(t, key(pk), lateChange(item(pk, "late"), refusal))),
                "the write that may wait throws the refusal");
        assertEquals(before, items.get(t, key(pk), true));
        assertSame(refusal, thrownBy(() -> items.writeAsync(t, key(pk), lateChange(item(pk, "late"), refusal),
                Runnable::run).join()), "the write without waiting fails with the refusal");
        assertEquals(before, items.get(t, key(pk), true));
        items.write(t, key(pk), current -> item(pk, "on time"));
        assertEquals(item(pk, "on time"), items.get(t, key(pk), true), "a change that does not refuse is stored");
    }

    @Test
    void aChangeToAnItemThatRefusesBeforeItsStoreIsNotStored() {
        TableDefinition t = Fixtures.table(node, false);
        items.write(t, key("a"), current -> item("a", "first"));
        assertEquals(item("a", "first"), items.get(t, key("a"), false)); // the near cache holds its page
        refusedOnBothPaths(t, "a", item("a", "first"));
    }

    @Test
    void aNewItemThatRefusesBeforeItsStoreIsNotStored() {
        TableDefinition t = Fixtures.table(node, false);
        refusedOnBothPaths(t, "b", null);
    }
}

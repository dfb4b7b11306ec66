package dev.eddy.core.index;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Keeps global secondary indexes, asynchronously as DynamoDB does: after a write to a table with
 * global indexes is acknowledged, a worker brings each index in line with the item as stored now.
 *
 * <p>An index entry is {@code {"i": projected item, "q": sequence}}, or a tombstone {@code {"q":
 * sequence}} where an item left. The sequence is that of the table page the item was read from:
 * every later change of the item has a higher one. Entries are only ever replaced by entries with
 * a higher sequence, so workers racing on one item, in any order, leave the index as the last
 * state read: never an entry the table no longer has. Tombstones keep a slow worker from bringing
 * back an entry that a faster one already moved; readers skip them and remove old ones.
 */
public final class GlobalIndexes implements ItemStore.WriteListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GlobalIndexes.class);
    static final String ITEM = "i";
    static final String SEQUENCE = "q";
    /** How long a tombstone must outlive any worker still holding an older read. */
    static final long TOMBSTONE_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final ItemStore items;
    private final TableCatalog catalog;
    /** Bounded: when workers fall behind, writers do the index work themselves (back pressure). */
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(10_000), BackgroundThreads.named("eddy-index-worker"), new ThreadPoolExecutor.CallerRunsPolicy());
    private final ExecutorService builders = Executors.newCachedThreadPool(BackgroundThreads.named("eddy-index-builder"));

    public GlobalIndexes(ItemStore items, TableCatalog catalog) {
        this.items = items;
        this.catalog = catalog;
        items.onWrite(this);
    }

    public static CollectionSpace space(TableDefinition t, IndexDefinition index) {
        return CollectionSpace.index(t, index.storageId(), index.indexName());
    }

    @Override
    public void written(TableDefinition table, PrimaryKey key, ItemStore.WriteResult result) {
        Map<IndexDefinition, List<PrimaryKey>> touched = new LinkedHashMap<>();
        for (IndexDefinition index : table.globalSecondaryIndexes()) {
            if (TableDefinition.DELETING.equals(index.status())) {
                continue;
            }
            List<PrimaryKey> keys = new ArrayList<>(2);
            PrimaryKey before = IndexEntryKey.of(table, index, result.oldItem());
            PrimaryKey after = IndexEntryKey.of(table, index, result.newItem());
            if (before != null) {
                keys.add(before);
            }
            if (after != null && !after.equals(before)) {
                keys.add(after);
            }
            if (!keys.isEmpty()) {
                touched.put(index, keys);
            }
        }
        if (!touched.isEmpty()) {
            workers.execute(() -> reconcile(table, key, result.sequence(), touched));
        }
    }

    /**
     * Brings the indexes in line with the item as stored now: its entry where it is, tombstones at
     * the other places the write touched.
     */
    private void reconcile(TableDefinition table, PrimaryKey key, long writeSequence,
                           Map<IndexDefinition, List<PrimaryKey>> touched) {
        try {
            ItemStore.Stored stored = items.readWithSequence(table, key);
            // A collection emptied by this very write is gone and reads as sequence 0.
            long sequence = Math.max(stored.sequence(), writeSequence);
            touched.forEach((index, keys) -> place(table, index, stored.item(), sequence, keys));
        } catch (RuntimeException e) {
            // The table was dropped, or storage is failing; the index of a live table heals on the item's next write.
            LOG.debugf(e, "Index maintenance for %s in %s did not finish", key, table.tableName());
        }
    }

    private void place(TableDefinition table, IndexDefinition index, Map<String, AttributeValue> item, long sequence,
                       List<PrimaryKey> touched) {
        CollectionSpace space = space(table, index);
        PrimaryKey current = IndexEntryKey.of(table, index, item);
        if (current != null) {
            Map<String, AttributeValue> entry = Map.of(ITEM, AttributeValue.m(project(table, index, item)),
                    SEQUENCE, sequenceValue(sequence));
            items.write(space, current, existing -> sequenceOf(existing) >= sequence ? existing : entry);
        }
        Map<String, AttributeValue> tombstone = Map.of(SEQUENCE, sequenceValue(sequence));
        for (PrimaryKey k : touched) {
            if (!k.equals(current)) {
                items.write(space, k, existing -> sequenceOf(existing) >= sequence ? existing : tombstone);
            }
        }
    }

    /** The attributes an index keeps of an item: the table's and the index's keys, plus what its projection names. */
    public static Map<String, AttributeValue> project(TableDefinition t, IndexDefinition index,
                                                      Map<String, AttributeValue> item) {
        if (index.projectsAll()) {
            return item;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        copy(item, t.hashKey(), out);
        copy(item, t.rangeKey(), out);
        copy(item, index.hashKey(), out);
        copy(item, index.rangeKey(), out);
        if (index.projection().nonKeyAttributes() != null) {
            for (String name : index.projection().nonKeyAttributes()) {
                copy(item, name, out);
            }
        }
        return out;
    }

    private static void copy(Map<String, AttributeValue> from, String name, Map<String, AttributeValue> to) {
        if (name != null && from.containsKey(name)) {
            to.put(name, from.get(name));
        }
    }

    /** The projected item of an index entry, or null for a tombstone. */
    public static Map<String, AttributeValue> itemOf(Map<String, AttributeValue> entry) {
        AttributeValue item = entry.get(ITEM);
        return item == null ? null : item.m();
    }

    /** Whether an entry is a tombstone old enough that no worker can still be racing it. */
    public static boolean expiredTombstone(Map<String, AttributeValue> entry, long nowMicros) {
        return entry.get(ITEM) == null && sequenceOf(entry) < nowMicros - TOMBSTONE_MICROS;
    }

    /** Removes a tombstone if it is still the one a reader saw. */
    public void sweep(CollectionSpace space, PrimaryKey key, Map<String, AttributeValue> tombstone) {
        workers.execute(() -> items.write(space, key, existing -> tombstone.equals(existing) ? null : existing));
    }

    private static AttributeValue sequenceValue(long sequence) {
        return AttributeValue.n(Long.toString(sequence));
    }

    private static long sequenceOf(Map<String, AttributeValue> entry) {
        return entry == null ? Long.MIN_VALUE : Long.parseLong(entry.get(SEQUENCE).n());
    }

    /**
     * Fills an index added to a table that has items (UpdateTable), then makes it ACTIVE. Writes
     * arriving meanwhile maintain it too; both go through the same sequence rule.
     */
    public void backfill(TableDefinition table, IndexDefinition index) {
        builders.execute(() -> {
            try {
                Map<IndexDefinition, List<PrimaryKey>> only = Map.of(index, List.of());
                items.scan(table, 0, 1, null, true, (hash, sortKey, bytes) -> {
                    reconcile(table, new PrimaryKey(hash, sortKey), 0, only);
                    return true;
                });
                finish(table, index.indexName(), i -> i.withStatus(TableDefinition.ACTIVE, false));
            } catch (RuntimeException e) {
                LOG.warnf(e, "Backfilling index %s of %s failed", index.indexName(), table.tableName());
            }
        });
    }

    /** Removes a deleted index's entries, then the index from the table. */
    public void drop(TableDefinition table, IndexDefinition index) {
        builders.execute(() -> {
            try {
                items.drop(space(table, index));
                finish(table, index.indexName(), i -> null);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Dropping index %s of %s failed", index.indexName(), table.tableName());
            }
        });
    }

    /** Applies the end of an index change to the table definition (null removes the index) and makes the table ACTIVE. */
    private void finish(TableDefinition table, String indexName, UnaryOperator<IndexDefinition> change) {
        catalog.update(table.tableName(), t -> {
            if (!t.tableId().equals(table.tableId())) {
                return t;
            }
            List<IndexDefinition> next = new ArrayList<>();
            for (IndexDefinition i : t.globalSecondaryIndexes()) {
                IndexDefinition changed = i.indexName().equals(indexName) ? change.apply(i) : i;
                if (changed != null) {
                    next.add(changed);
                }
            }
            return t.withGlobalSecondaryIndexes(next, t.attributeDefinitions()).withStatus(TableDefinition.ACTIVE);
        });
    }

    @Override
    public void close() {
        workers.shutdown();
        builders.shutdownNow();
    }
}

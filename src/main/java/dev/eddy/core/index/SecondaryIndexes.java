package dev.eddy.core.index;

import dev.eddy.core.Meters;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.KeyOrder;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.outbox.ChangeRecord;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.UpkeepQueue;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps secondary indexes from the change log (DESIGN.md, "Storage", requirement 4). Each index is
 * its own set of item collections in the table's cache, keyed by the index key
 * ({@link IndexEntryKey}); an entry is {@code {"i": projected item, "q": sequence}}, or a tombstone
 * {@code {"q": sequence}} where an item left. The sequence is that of the table page the item was
 * read from: every later change of the item has a higher one, and entries are only ever replaced by
 * entries with a higher sequence, so reconciling the same record twice, or two records in either
 * order, leaves the index as the last state read: never an entry the table no longer has.
 * Tombstones keep a slow reconciler from bringing back an entry a faster one moved; each is swept
 * by a timer on the table's upkeep queue once no reconciler can still be racing it.
 *
 * <p>A global index is kept asynchronously, as in DynamoDB: a change record names the entry keys
 * the item had before the change, and reconciling it reads the item as it is now and puts the
 * indexes in line. A local index is kept the same way, but by the writer itself before the write is
 * acknowledged, so a strongly consistent Query on it sees every acknowledged write; the record
 * repairs it if the writer died first, and strongly consistent reads check each entry against its
 * item (see {@code operation.ReadTarget}).
 */
public final class SecondaryIndexes {
    static final String ITEM = "i";
    static final String SEQUENCE = "q";
    /** How long a tombstone must outlive any reconciler still holding an older read. */
    static final long TOMBSTONE_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final ItemStore items;
    private final Meters meters;

    public SecondaryIndexes(ItemStore items, Meters meters) {
        this.items = items;
        this.meters = meters;
    }

    /** Where an index's entries live. Local indexes' ids are kept apart from global ones'. */
    public static CollectionSpace space(TableDefinition t, IndexDefinition index) {
        return CollectionSpace.index(t, spaceId(t, index), index.indexName());
    }

    static String spaceId(TableDefinition t, IndexDefinition index) {
        return t.isGlobalIndex(index) ? index.storageId() : "l" + index.storageId();
    }

    /** The indexes a change is carried into: every local one, and the global ones not being deleted. */
    public static List<IndexDefinition> maintained(TableDefinition t) {
        List<IndexDefinition> out = new ArrayList<>(t.localSecondaryIndexes());
        for (IndexDefinition i : t.globalSecondaryIndexes()) {
            if (!TableDefinition.DELETING.equals(i.status())) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * What a change does to the indexes: whether it touches any (an entry appears, moves, goes, or
     * its projection changes), and the entry keys the item leaves (its key before the change where
     * it differs from after).
     */
    public record Touched(boolean any, List<ChangeRecord.IndexKey> left) {
    }

    public static Touched touched(TableDefinition t, Map<String, AttributeValue> oldItem,
                                  Map<String, AttributeValue> newItem) {
        List<ChangeRecord.IndexKey> out = new ArrayList<>(0);
        boolean any = false;
        for (IndexDefinition index : maintained(t)) {
            PrimaryKey before = IndexEntryKey.of(t, index, oldItem);
            PrimaryKey after = IndexEntryKey.of(t, index, newItem);
            if (before == null && after == null) {
                continue;
            }
            if (before != null && !before.equals(after)) {
                out.add(new ChangeRecord.IndexKey(spaceId(t, index), before));
                any = true;
            } else if (before == null || !project(t, index, oldItem).equals(project(t, index, newItem))) {
                any = true;
            }
        }
        return new Touched(any, out);
    }

    /**
     * Puts the indexes in line with the item as stored now: its entry where it belongs in each, and
     * tombstones at the keys the record says it left. {@code localToo} false skips local indexes
     * (their writer already placed them).
     */
    public void reconcile(TableDefinition table, ChangeRecord record, boolean localToo) {
        ItemStore.Stored stored = items.readWithSequence(table, record.key());
        if (missedTheChange(stored, record)) {
            // Placed from it, the entries would be the item's from before the change (none, for an item
            // the change created), stamped with the change's sequence, and the record taken for done.
            throw new IllegalStateException("A strong read of an item of " + table.tableName()
                    + " answered a state older than the change record being carried out (sequence "
                    + stored.sequence() + " < " + record.sequence() + "): a replica behind the write answered");
        }
        // A collection emptied by this very change is gone and reads as sequence 0.
        long sequence = Math.max(stored.sequence(), record.sequence());
        for (IndexDefinition index : maintained(table)) {
            if (!localToo && !table.isGlobalIndex(index)) {
                continue;
            }
            String id = spaceId(table, index);
            List<PrimaryKey> left = new ArrayList<>(1);
            for (ChangeRecord.IndexKey k : record.oldIndexKeys()) {
                if (k.indexId().equals(id)) {
                    left.add(k.entryKey());
                }
            }
            place(table, index, stored.item(), sequence, left);
        }
    }

    /**
     * Whether a strong read of a record's item missed the record's change. While the record waits in
     * the item's page, that page's sequence is at least the record's (a split page keeps its
     * sequence), so an older page, or none for a change that left an item, is a replica that has
     * not seen the write: a node answering on its own before it notices a network partition, or
     * answering from its copy while it merges back (Infinispan's conflict resolution reads every
     * copy). No page for a delete is the page that change emptied and a carrier after it removed.
     */
    static boolean missedTheChange(ItemStore.Stored stored, ChangeRecord record) {
        if (stored.sequence() >= record.sequence()) {
            return false;
        }
        return stored.sequence() > 0 || record.wants(ChangeRecord.ITEM_AFTER);
    }

    /** Puts one item, as stored now, into one index (a backfill's step). */
    public void backfill(TableDefinition table, IndexDefinition index, PrimaryKey key) {
        ItemStore.Stored stored = items.readWithSequence(table, key);
        if (stored.item() != null) {
            place(table, index, stored.item(), stored.sequence(), List.of());
        }
    }

    /**
     * The index entries of items of a table being restored, as one task per index partition that
     * stores its entries a page at a time ({@link ItemStore#putAll}) rather than an entry a write:
     * nobody writes the table or its indexes before the restore ends, and a batch stored again
     * stores the same entries. Run the tasks in any order, in parallel.
     */
    public List<Runnable> restoredEntries(TableDefinition table, List<Map<String, AttributeValue>> restored,
                                          long sequence) {
        List<Runnable> tasks = new ArrayList<>();
        for (IndexDefinition index : maintained(table)) {
            CollectionSpace space = space(table, index);
            Map<AttributeValue, TreeMap<AttributeValue, byte[]>> byPartition = new HashMap<>();
            for (Map<String, AttributeValue> item : restored) {
                PrimaryKey key = IndexEntryKey.of(table, index, item);
                if (key != null) {
                    Map<String, AttributeValue> entry = Map.of(ITEM, AttributeValue.m(project(table, index, item)),
                            SEQUENCE, sequenceValue(sequence));
                    byPartition.computeIfAbsent(key.hash(), h -> new TreeMap<>(KeyOrder.INSTANCE))
                            .put(key.range(), ItemCodec.encode(entry));
                }
            }
            byPartition.forEach((hash, entries) -> tasks.add(() -> items.putAll(space, hash,
                    new ArrayList<>(entries.keySet()), new ArrayList<>(entries.values()))));
        }
        return tasks;
    }

    /** A writer's own upkeep of its table's local indexes, from the states it just wrote. */
    public void placeLocal(TableDefinition table, Map<String, AttributeValue> oldItem,
                           Map<String, AttributeValue> newItem, long sequence) {
        for (IndexDefinition index : table.localSecondaryIndexes()) {
            PrimaryKey before = IndexEntryKey.of(table, index, oldItem);
            place(table, index, newItem, sequence, before == null ? List.of() : List.of(before));
        }
    }

    /**
     * Tombstones first, then the entry: whoever sees an item under its new key will not see it
     * under the key it left (for a moment it may be under neither, never under both).
     */
    private void place(TableDefinition table, IndexDefinition index, Map<String, AttributeValue> item, long sequence,
                       List<PrimaryKey> left) {
        CollectionSpace space = space(table, index);
        PrimaryKey current = IndexEntryKey.of(table, index, item);
        Map<String, AttributeValue> tombstone = Map.of(SEQUENCE, sequenceValue(sequence));
        for (PrimaryKey k : left) {
            if (k.equals(current)) {
                continue;
            }
            ItemStore.WriteResult r = items.write(space, k, existing -> sequenceOf(existing) >= sequence ? existing : tombstone);
            if (r.changed()) {
                scheduleSweep(table, index, k, sequence);
            }
        }
        if (current != null) {
            Map<String, AttributeValue> entry = Map.of(ITEM, AttributeValue.m(project(table, index, item)),
                    SEQUENCE, sequenceValue(sequence));
            items.write(space, current, existing -> sequenceOf(existing) >= sequence ? existing : entry);
        }
    }

    private void scheduleSweep(TableDefinition table, IndexDefinition index, PrimaryKey entryKey, long sequence) {
        long due = (sequence + TOMBSTONE_MICROS) / 1000;
        items.queue().add(table.cacheName(), new UpkeepQueue.Timer(due, UpkeepQueue.SWEEP_TOMBSTONE,
                sweepPayload(spaceId(table, index), entryKey, sequence)));
    }

    static byte[] sweepPayload(String indexId, PrimaryKey entryKey, long sequence) {
        Map<String, AttributeValue> p = new LinkedHashMap<>();
        p.put("x", AttributeValue.s(indexId));
        p.put("h", entryKey.hash());
        if (entryKey.range() != null) {
            p.put("r", entryKey.range());
        }
        p.put("q", sequenceValue(sequence));
        return ItemCodec.encode(p);
    }

    /** A due tombstone sweep: removes the tombstone if it is still the one the timer was set for. */
    public void sweep(TableDefinition table, byte[] payload) {
        Map<String, AttributeValue> p = ItemCodec.decode(payload);
        String id = p.get("x").s();
        for (IndexDefinition index : maintained(table)) {
            if (spaceId(table, index).equals(id)) {
                PrimaryKey key = new PrimaryKey(p.get("h"), p.get("r"));
                long sequence = Long.parseLong(p.get("q").n());
                items.write(space(table, index), key,
                        existing -> existing != null && existing.get(ITEM) == null && sequenceOf(existing) == sequence
                                ? null : existing);
                meters.counter("eddy.index.tombstones.swept").increment();
                return;
            }
        }
    }

    /** The attributes an index keeps of an item: the table's and the index's keys, plus what its projection names. */
    public static Map<String, AttributeValue> project(TableDefinition t, IndexDefinition index,
                                                      Map<String, AttributeValue> item) {
        if (item == null) {
            return Map.of();
        }
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

    /** The sequence of the table page an entry was read from. */
    public static long sequenceOf(Map<String, AttributeValue> entry) {
        return entry == null ? Long.MIN_VALUE : Long.parseLong(entry.get(SEQUENCE).n());
    }

    private static AttributeValue sequenceValue(long sequence) {
        return AttributeValue.n(Long.toString(sequence));
    }
}

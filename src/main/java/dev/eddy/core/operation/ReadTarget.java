package dev.eddy.core.operation;

import dev.eddy.core.error.Errors;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.index.IndexEntryKey;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.KeyOrder;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a Query or Scan reads: the table, a local secondary index or a global one (Developer
 * Guide, "Improving data access with secondary indexes").
 *
 * <p>Every index is its own set of collections ({@link SecondaryIndexes}), read a page at a time
 * like the table, so a Query costs the page it returns. A global index is kept asynchronously and
 * read as it is (DynamoDB allows no strongly consistent reads of one). A local index is kept by the
 * writer before it acknowledges, and a strongly consistent read of it checks each entry against
 * its item as stored now, so it never shows an item where the item no longer is, nor an old
 * version of it; attributes a local index does not project are fetched from the table, as
 * DynamoDB fetches them. A table stored before local indexes had collections of their own reads
 * them from its item collections until the maintenance role has brought it to the current layout.
 */
final class ReadTarget {
    private final TableDefinition table;
    private final IndexDefinition index;
    private final boolean global;

    private ReadTarget(TableDefinition table, IndexDefinition index, boolean global) {
        this.table = table;
        this.index = index;
        this.global = global;
    }

    static ReadTarget of(TableDefinition t, String indexName) {
        if (indexName == null) {
            return new ReadTarget(t, null, false);
        }
        IndexDefinition index = t.index(indexName);
        boolean global = index != null && t.isGlobalIndex(index);
        if (index == null || (global && TableDefinition.DELETING.equals(index.status()))) {
            throw Errors.validation("The table does not have the specified index: " + indexName);
        }
        if (global && !TableDefinition.ACTIVE.equals(index.status())) {
            throw Errors.validation("Cannot read from backfilling global secondary index: " + indexName);
        }
        return new ReadTarget(t, index, global);
    }

    TableDefinition table() {
        return table;
    }

    String hashKey() {
        return index == null ? table.hashKey() : index.hashKey();
    }

    String rangeKey() {
        return index == null ? table.rangeKey() : index.rangeKey();
    }

    /** The attributes of LastEvaluatedKey and ExclusiveStartKey: the index's key, then the table's. */
    List<String> keyAttributes() {
        Set<String> names = new LinkedHashSet<>();
        if (index != null) {
            names.add(index.hashKey());
            if (index.rangeKey() != null) {
                names.add(index.rangeKey());
            }
        }
        names.add(table.hashKey());
        if (table.rangeKey() != null) {
            names.add(table.rangeKey());
        }
        return new ArrayList<>(names);
    }

    /** The rules DynamoDB adds for indexes: no strong reads of a global one, nor attributes it lacks. */
    void checkRead(Boolean consistentRead, String select) {
        if (!global) {
            return;
        }
        if (Boolean.TRUE.equals(consistentRead)) {
            throw Errors.validation("Consistent reads are not supported on global secondary indexes");
        }
        if ("ALL_ATTRIBUTES".equals(select) && !index.projectsAll()) {
            throw Errors.invalidParameter("Select type ALL_ATTRIBUTES is not supported for global secondary index "
                    + index.indexName() + " because its projection type is not ALL");
        }
    }

    /** ExclusiveStartKey: exactly the key attributes, of their types; null when not given. */
    Map<String, AttributeValue> startKey(Map<String, AttributeValue> start) {
        if (start == null) {
            return null;
        }
        List<String> names = keyAttributes();
        boolean valid = start.size() == names.size();
        for (String name : names) {
            AttributeValue v = start.get(name);
            valid &= v != null && v.type().name().equals(table.attributeType(name));
        }
        if (!valid) {
            throw Errors.validation("The provided starting key is invalid: The provided key element does not match "
                    + "the schema");
        }
        ReadRequests.exclusiveStartKey(table, tableKeyOf(start));
        return start;
    }

    private Map<String, AttributeValue> tableKeyOf(Map<String, AttributeValue> item) {
        return ItemKeys.keyAttributes(table, new PrimaryKey(item.get(table.hashKey()),
                table.rangeKey() == null ? null : item.get(table.rangeKey())));
    }

    /**
     * What a read hands to its page for one item: a local index's projection unless the request asks
     * for attributes from the table (Select ALL_ATTRIBUTES, or a projection of its own).
     */
    private Map<String, AttributeValue> shape(Map<String, AttributeValue> item, boolean fromTable) {
        return index == null || global || fromTable ? item : SecondaryIndexes.project(table, index, item);
    }

    /** Reads one partition within a sort-key range, handing items to {@code page} until it says stop. */
    void query(OperationContext context, AttributeValue hash, SortKeyRange range, Map<String, AttributeValue> start,
               boolean forward, boolean consistent, boolean fromTable, Predicate<Map<String, AttributeValue>> page) {
        ItemStore items = context.items();
        if (index == null) {
            AttributeValue from = start == null ? range.start(forward)
                    : table.rangeKey() == null ? null : start.get(table.rangeKey());
            boolean inclusive = start == null && range.startInclusive(forward);
            items.query(table, hash, from, inclusive, forward, consistent, (sk, bytes) -> {
                if (sk != null && range.beyond(sk, forward)) {
                    return false;
                }
                return sk != null && !range.contains(sk) || page.test(ItemCodec.decode(bytes));
            });
        } else if (global || table.hasCurrentLayout()) {
            queryIndex(context, hash, range, start, forward, consistent, fromTable, page);
        } else {
            queryLocal(items, hash, range, start, forward, consistent, fromTable, page);
        }
    }

    private void queryIndex(OperationContext context, AttributeValue hash, SortKeyRange range, Map<String, AttributeValue> start,
                            boolean forward, boolean consistent, boolean fromTable,
                            Predicate<Map<String, AttributeValue>> page) {
        CollectionSpace space = SecondaryIndexes.space(table, index);
        String rangeKey = index.rangeKey();
        AttributeValue from = null;
        boolean inclusive = true;
        if (start != null) {
            from = entryKey(start).range();
            inclusive = false;
        } else if (rangeKey != null && range.start(forward) != null) {
            // Entries with the start value sort after its bare encoding and before it with 0xFF appended.
            boolean skipEqual = !range.startInclusive(forward);
            from = IndexEntryKey.bound(range.start(forward), forward == skipEqual);
        }
        boolean strong = consistent && !global;
        ItemStore.RootMemo tableRoot = new ItemStore.RootMemo(); // the entries' items share one table partition
        context.items().query(space, hash, from, inclusive, forward, strong, (sk, bytes) -> {
            Map<String, AttributeValue> item = SecondaryIndexes.itemOf(ItemCodec.decode(bytes));
            if (item == null) {
                return true; // a tombstone: its timer sweeps it
            }
            AttributeValue v = rangeKey == null ? null : item.get(rangeKey);
            if (v != null && range.beyond(v, forward)) {
                return false;
            }
            if (v != null && !range.contains(v)) {
                return true;
            }
            Map<String, AttributeValue> shown = global ? item : fromLocal(context, hash, sk, item, strong, fromTable, tableRoot);
            return shown == null || page.test(shown);
        });
    }

    /**
     * What a local index entry shows: the entry itself, or on a strongly consistent read (or one
     * that wants attributes the index does not project) the item as the table holds it, when it is
     * still where the entry says (null: the entry is stale, skip it).
     */
    private Map<String, AttributeValue> fromLocal(OperationContext context, AttributeValue hash, AttributeValue entrySortKey,
                                                  Map<String, AttributeValue> entry, boolean strong, boolean fromTable,
                                                  ItemStore.RootMemo tableRoot) {
        if (!strong && !fromTable) {
            return entry;
        }
        Map<String, AttributeValue> item = context.items().get(table, ItemKeys.fromKey(table, tableKeyOf(entry)), strong,
                tableRoot);
        if (item == null) {
            return null;
        }
        PrimaryKey now = IndexEntryKey.of(table, index, item);
        if (strong && (now == null || !now.equals(new PrimaryKey(hash, entrySortKey)))) {
            return null;
        }
        return fromTable ? item : SecondaryIndexes.project(table, index, item);
    }

    private PrimaryKey entryKey(Map<String, AttributeValue> key) {
        return new PrimaryKey(key.get(index.hashKey()), IndexEntryKey.sortKey(table,
                index.rangeKey() == null ? null : key.get(index.rangeKey()), key.get(table.hashKey()),
                table.rangeKey() == null ? null : key.get(table.rangeKey())));
    }

    /**
     * A local index of a table still on the old layout: the collection's items that have the index
     * sort key, ordered by it, then by the table's (the whole collection is read).
     */
    private void queryLocal(ItemStore items, AttributeValue hash, SortKeyRange range, Map<String, AttributeValue> start,
                            boolean forward, boolean consistent, boolean fromTable,
                            Predicate<Map<String, AttributeValue>> page) {
        List<Map<String, AttributeValue>> members = new ArrayList<>();
        items.query(table, hash, null, true, true, consistent, (sk, bytes) -> {
            Map<String, AttributeValue> item = ItemCodec.decode(bytes);
            if (item.containsKey(index.rangeKey()) && range.contains(item.get(index.rangeKey()))) {
                members.add(item);
            }
            return true;
        });
        Comparator<Map<String, AttributeValue>> order = localOrder();
        members.sort(forward ? order : order.reversed());
        for (Map<String, AttributeValue> item : members) {
            if (start != null && (forward ? order.compare(item, start) <= 0 : order.compare(item, start) >= 0)) {
                continue;
            }
            if (!page.test(shape(item, fromTable))) {
                return;
            }
        }
    }

    private Comparator<Map<String, AttributeValue>> localOrder() {
        Comparator<Map<String, AttributeValue>> byIndex = Comparator.comparing(i -> i.get(index.rangeKey()),
                KeyOrder.INSTANCE);
        return byIndex.thenComparing(i -> i.get(table.rangeKey()), KeyOrder.INSTANCE);
    }

    /** Whether ExclusiveStartKey belongs to the parallel-scan segment. */
    boolean inSegment(OperationContext context, Map<String, AttributeValue> start, int segment, int total) {
        ItemStore items = context.items();
        if (index != null && (global || table.hasCurrentLayout())) {
            return items.inSegment(SecondaryIndexes.space(table, index), entryKey(start), segment, total);
        }
        return items.inSegment(CollectionSpace.of(table), ItemKeys.fromKey(table, tableKeyOf(start)), segment, total);
    }

    /** Reads one parallel-scan segment, handing items to {@code page} until it says stop. */
    void scan(OperationContext context, int segment, int total, Map<String, AttributeValue> start, boolean consistent,
              boolean fromTable, Predicate<Map<String, AttributeValue>> page) {
        ItemStore items = context.items();
        if (index != null && (global || table.hasCurrentLayout())) {
            CollectionSpace space = SecondaryIndexes.space(table, index);
            boolean strong = consistent && !global;
            ItemStore.RootMemo tableRoot = new ItemStore.RootMemo(); // kept while the entries stay in one partition
            items.scan(space, segment, total, start == null ? null : entryKey(start), strong, (hash, sk, bytes) -> {
                Map<String, AttributeValue> item = SecondaryIndexes.itemOf(ItemCodec.decode(bytes));
                if (item == null) {
                    return true;
                }
                Map<String, AttributeValue> shown = global ? item : fromLocal(context, hash, sk, item, strong, fromTable,
                        tableRoot);
                return shown == null || page.test(shown);
            });
            return;
        }
        // The table, or a local index: the table's items in scan order, those without the index key left out.
        PrimaryKey from = start == null ? null : ItemKeys.fromKey(table, tableKeyOf(start));
        items.scan(table, segment, total, from, consistent, (hash, sk, bytes) -> {
            Map<String, AttributeValue> item = ItemCodec.decode(bytes);
            return index != null && !item.containsKey(index.rangeKey()) || page.test(shape(item, fromTable));
        });
    }
}

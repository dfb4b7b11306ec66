package dev.eddy.core.operation;

import dev.eddy.core.index.IndexEntryKey;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write units a change costs in each secondary index (Developer Guide, "Provisioned
 * throughput considerations for Global Secondary Indexes", and the same rules for local ones): an
 * item entering an index is one write of its projected size, leaving it one write of its old
 * projected size, moving within it (an index key changed) both, and staying with its projected
 * attributes changed one write; a change the index does not see costs it nothing. Each write is a
 * unit per started KB of the index entry.
 *
 * @param global the global indexes' units by index name
 * @param local  the local indexes' units by index name
 */
record IndexCapacity(Map<String, Double> global, Map<String, Double> local) {
    static final IndexCapacity NONE = new IndexCapacity(Map.of(), Map.of());

    static IndexCapacity of(TableDefinition t, Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {
        if (t.globalSecondaryIndexes().isEmpty() && t.localSecondaryIndexes().isEmpty()) {
            return NONE;
        }
        Map<String, Double> global = new LinkedHashMap<>();
        Map<String, Double> local = new LinkedHashMap<>();
        for (IndexDefinition i : SecondaryIndexes.maintained(t)) {
            double units = units(t, i, oldItem, newItem);
            if (units > 0) {
                (t.isGlobalIndex(i) ? global : local).put(i.indexName(), units);
            }
        }
        return new IndexCapacity(global, local);
    }

    private static double units(TableDefinition t, IndexDefinition i, Map<String, AttributeValue> oldItem,
                                Map<String, AttributeValue> newItem) {
        PrimaryKey before = IndexEntryKey.of(t, i, oldItem);
        PrimaryKey after = IndexEntryKey.of(t, i, newItem);
        if (before == null && after == null) {
            return 0;
        }
        Map<String, AttributeValue> oldEntry = SecondaryIndexes.project(t, i, oldItem);
        Map<String, AttributeValue> newEntry = SecondaryIndexes.project(t, i, newItem);
        if (before == null) {
            return kb(newEntry);
        }
        if (after == null) {
            return kb(oldEntry);
        }
        if (!before.equals(after)) {
            return kb(oldEntry) + kb(newEntry);
        }
        return oldEntry.equals(newEntry) ? 0 : kb(newEntry);
    }

    private static double kb(Map<String, AttributeValue> entry) {
        return Math.max(1, (ItemSize.of(entry) + 1023) / 1024);
    }

    double total() {
        double sum = 0;
        for (double u : global.values()) {
            sum += u;
        }
        for (double u : local.values()) {
            sum += u;
        }
        return sum;
    }

    IndexCapacity plus(IndexCapacity other) {
        Map<String, Double> g = new LinkedHashMap<>(global);
        other.global.forEach((k, v) -> g.merge(k, v, Double::sum));
        Map<String, Double> l = new LinkedHashMap<>(local);
        other.local.forEach((k, v) -> l.merge(k, v, Double::sum));
        return new IndexCapacity(g, l);
    }
}

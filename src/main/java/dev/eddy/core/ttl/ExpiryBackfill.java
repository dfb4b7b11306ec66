package dev.eddy.core.ttl;

import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Enters a table's existing items in its expiry index when Time to Live is enabled (a duty of the
 * maintenance role, one per table): walks the partition directory, sets each item's timer, keeps
 * its position with the lease so another holder carries on after a crash, and clears the table's
 * indexing flag at the end. Items written meanwhile get their timers from the change log.
 */
public final class ExpiryBackfill implements Duty {
    private static final int SAVE_EVERY = 50;

    private final TableCatalog catalog;
    private final ItemStore items;
    private final ExpiryIndex expiries;
    private final String tableName;
    private final String tableId;

    public ExpiryBackfill(TableCatalog catalog, ItemStore items, ExpiryIndex expiries, TableDefinition table) {
        this.catalog = catalog;
        this.items = items;
        this.expiries = expiries;
        this.tableName = table.tableName();
        this.tableId = table.tableId();
    }

    public static List<Duty> wanted(List<TableDefinition> tables, TableCatalog catalog, ItemStore items,
                                    ExpiryIndex expiries) {
        List<Duty> out = new ArrayList<>();
        for (TableDefinition t : tables) {
            if (t.isTimeToLiveIndexing() && t.hasCurrentLayout()) {
                out.add(new ExpiryBackfill(catalog, items, expiries, t));
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "ttl-index:" + tableId;
    }

    @Override
    public long intervalMillis() {
        return 1_000;
    }

    @Override
    public boolean run(Held held) {
        TableDefinition t = catalog.findConsistent(tableName);
        if (t == null || !t.tableId().equals(tableId) || !t.isTimeToLiveIndexing()) {
            return false;
        }
        String attribute = t.timeToLiveAttribute();
        CollectionSpace space = CollectionSpace.of(t);
        int[] since = {0};
        boolean[] complete = {true};
        items.forEachPartition(space, held.state().length == 0 ? null : held.state(), partition -> {
            if (!held.stillHeld()) {
                complete[0] = false;
                return false;
            }
            AttributeValue hash = space.hashOf(partition);
            items.query(space, hash, null, true, true, true, (sk, bytes) -> {
                long at = ExpiryIndex.expiry(ItemCodec.decode(bytes), attribute);
                expiries.set(t, new PrimaryKey(hash, sk), at);
                return true;
            });
            if (++since[0] >= SAVE_EVERY) {
                since[0] = 0;
                if (!held.saveState(partition)) {
                    complete[0] = false;
                    return false;
                }
            }
            return true;
        });
        if (!complete[0]) {
            return held.stillHeld();
        }
        catalog.update(tableName, c -> c.tableId().equals(tableId) ? c.withTimeToLiveIndexed() : c);
        return false;
    }
}

package dev.eddy.core.maintenance;

import dev.eddy.core.Meters;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.outbox.WriteCompletion;
import dev.eddy.core.storage.ChangeLog;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.ttl.ExpiryIndex;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Brings a table stored before the current layout to it, once (a duty of the maintenance role):
 * its pages' leftover change records are carried out (they were written before the pending set
 * existed), its partition directory and its indexes' are built, local indexes (now kept as
 * collections of their own) filled, and Time to Live timers set. Until it is done the table keeps
 * working the old way (Scans list keys; local index Queries read the base collection).
 */
public final class LayoutMigration implements Duty {
    private static final Logger LOG = Logger.getLogger(LayoutMigration.class);

    private final TableCatalog catalog;
    private final ItemStore items;
    private final SecondaryIndexes indexes;
    private final ExpiryIndex expiries;
    private final WriteCompletion completion;
    private final Meters meters;
    private final String tableName;
    private final String tableId;

    LayoutMigration(TableCatalog catalog, ItemStore items, SecondaryIndexes indexes, ExpiryIndex expiries,
                    WriteCompletion completion, Meters meters, TableDefinition t) {
        this.catalog = catalog;
        this.items = items;
        this.indexes = indexes;
        this.expiries = expiries;
        this.completion = completion;
        this.meters = meters;
        this.tableName = t.tableName();
        this.tableId = t.tableId();
    }

    static List<Duty> wanted(List<TableDefinition> tables, TableCatalog catalog, ItemStore items,
                             SecondaryIndexes indexes, ExpiryIndex expiries, WriteCompletion completion, Meters meters) {
        List<Duty> out = new ArrayList<>();
        for (TableDefinition t : tables) {
            if (!t.hasCurrentLayout() && TableDefinition.ACTIVE.equals(t.status())) {
                out.add(new LayoutMigration(catalog, items, indexes, expiries, completion, meters, t));
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "layout-migration:" + tableId;
    }

    @Override
    public long intervalMillis() {
        return 5_000;
    }

    @Override
    public boolean run(Held held) {
        TableDefinition legacy = catalog.findConsistent(tableName);
        if (legacy == null || !legacy.tableId().equals(tableId) || legacy.hasCurrentLayout()) {
            return false;
        }
        LOG.infof("Bringing table %s to the current storage layout", tableName);
        // 1. Leftover records, found the old way (one pass), carried out.
        CollectionSpace old = CollectionSpace.of(legacy);
        List<ChangeLog.Location> leftovers = new ArrayList<>();
        items.forEachOutbox(old, leftovers::add);
        // A record is carried out once two readings some seconds apart agree (WriteCompletion), so the pages
        // are gone through again until they are done, for a bounded time (past it, as when Kafka is away,
        // what waits there waits for the page's next write).
        long deadline = System.currentTimeMillis() + 30_000;
        while (!leftovers.isEmpty() && held.stillHeld()) {
            leftovers.removeIf(l -> completion.finishLeftovers(legacy, l) != null);
            if (leftovers.isEmpty() || System.currentTimeMillis() > deadline) {
                break;
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        // 2. Directories, local indexes and expiry timers, from a listing of the keys.
        TableDefinition current = legacy.withLayout(TableDefinition.CURRENT_LAYOUT);
        CollectionSpace listed = CollectionSpace.of(current);
        List<CollectionSpace> spaces = new ArrayList<>();
        spaces.add(old);
        for (IndexDefinition i : current.globalSecondaryIndexes()) {
            spaces.add(SecondaryIndexes.space(legacy, i));
        }
        for (CollectionSpace s : spaces) {
            items.forEachPartition(s, null, partition -> {
                items.directory().rebuildEntry(new CollectionSpace(s.cacheName(), s.prefix(), s.sorted(), s.name(), true),
                        partition);
                return held.stillHeld();
            });
            if (!held.stillHeld()) {
                return true;
            }
        }
        items.forEachPartition(old, null, partition -> {
            AttributeValue hash = old.hashOf(partition);
            List<PrimaryKey> keys = new ArrayList<>();
            items.query(old, hash, null, true, true, true, (sk, bytes) -> {
                keys.add(new PrimaryKey(hash, sk));
                return true;
            });
            for (PrimaryKey k : keys) {
                for (IndexDefinition i : current.localSecondaryIndexes()) {
                    indexes.backfill(current, i, k);
                }
                if (current.timeToLiveAttribute() != null) {
                    expiries.set(current, k, ExpiryIndex.expiry(items.get(current, k, true), current.timeToLiveAttribute()));
                }
            }
            return held.stillHeld();
        });
        if (!held.stillHeld()) {
            return true;
        }
        catalog.update(tableName, t -> t.tableId().equals(tableId) ? t.withLayout(TableDefinition.CURRENT_LAYOUT) : t);
        meters.counter("eddy.storage.tables.migrated").increment();
        LOG.infof("Table %s is on the current storage layout", tableName);
        return false;
    }
}

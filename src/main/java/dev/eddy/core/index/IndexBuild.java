package dev.eddy.core.index;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Builds a global index added by UpdateTable, or removes one being deleted (a duty of the
 * maintenance role, one per index). A build walks the table's partition directory and puts each
 * item into the index; a removal walks the index's own directory and removes its collections.
 * Either way the position reached (the last partition done) is stored with the duty's lease, fenced
 * by its version, so a build survives the death of whoever ran it: the next holder carries on from
 * there. Writes arriving meanwhile are carried into a CREATING index by the change log; both go by
 * sequence, so they agree. At the end the index turns ACTIVE (or leaves the table), and the table
 * ACTIVE again.
 *
 * <p>A build starts walking only once every writer knows the index. Writers read the table's
 * definition through their near cache: the servers' invalidation reaches them within milliseconds,
 * and an entry is dropped at the latest its maximum age after it was read. A writer that has not
 * seen the index yet writes no change for it; had the walk already passed that item, its entry would
 * never come. So a holder first waits that age (and a second's margin for requests in flight) from
 * when it first saw the build, and a new holder that finds no position saved waits again.
 */
public final class IndexBuild implements Duty {
    private static final Logger LOG = Logger.getLogger(IndexBuild.class);
    /** Partitions between two saves of the position. */
    private static final int SAVE_EVERY = 50;

    private final TableCatalog catalog;
    private final ItemStore items;
    private final SecondaryIndexes indexes;
    private final Meters meters;
    private final String tableName;
    private final String tableId;
    private final String indexId;
    private final Waits waits;

    /**
     * When this process first saw each build it waits to start (by duty name), and how long a build
     * waits ({@link dev.eddy.core.StorageConfig#writersLearnMillis()}).
     */
    public record Waits(java.util.Map<String, Long> firstSeen, long writersLearnMillis) {
        public Waits(long writersLearnMillis) {
            this(new java.util.concurrent.ConcurrentHashMap<>(), writersLearnMillis);
        }

        /** Forgets builds no longer wanted (their table or index gone, or built by another process). */
        void keepOnly(java.util.Set<String> wanted) {
            firstSeen.keySet().retainAll(wanted);
        }
    }

    public IndexBuild(TableCatalog catalog, ItemStore items, SecondaryIndexes indexes, Meters meters,
                      TableDefinition table, IndexDefinition index, Waits waits) {
        this.waits = waits;
        this.catalog = catalog;
        this.items = items;
        this.indexes = indexes;
        this.meters = meters;
        this.tableName = table.tableName();
        this.tableId = table.tableId();
        this.indexId = index.storageId();
    }

    /** The builds and removals the tables call for now. */
    public static List<Duty> wanted(List<TableDefinition> tables, TableCatalog catalog, ItemStore items,
                                    SecondaryIndexes indexes, Meters meters, Waits waits) {
        List<Duty> out = new ArrayList<>();
        for (TableDefinition t : tables) {
            for (IndexDefinition i : t.globalSecondaryIndexes()) {
                if (TableDefinition.CREATING.equals(i.status()) || TableDefinition.DELETING.equals(i.status())) {
                    out.add(new IndexBuild(catalog, items, indexes, meters, t, i, waits));
                }
            }
        }
        waits.keepOnly(out.stream().map(Duty::name).collect(java.util.stream.Collectors.toSet()));
        return out;
    }

    @Override
    public String name() {
        return "index-build:" + tableId + ":" + indexId;
    }

    @Override
    public long intervalMillis() {
        return 1_000;
    }

    @Override
    public boolean run(Held held) {
        TableDefinition table = catalog.findConsistent(tableName);
        if (table == null || !table.tableId().equals(tableId)) {
            return false;
        }
        IndexDefinition index = null;
        for (IndexDefinition i : table.globalSecondaryIndexes()) {
            if (i.storageId().equals(indexId)) {
                index = i;
            }
        }
        if (index == null) {
            return false;
        }
        byte[] cursor = held.state().length == 0 ? null : held.state();
        boolean deleting = TableDefinition.DELETING.equals(index.status());
        if (!deleting && cursor == null) {
            long now = System.currentTimeMillis();
            long seen = waits.firstSeen().computeIfAbsent(name(), k -> now);
            if (now - seen < waits.writersLearnMillis()) {
                return false; // writers may not know the index yet: looked at again in a second
            }
        }
        boolean finished = deleting ? removeEntries(table, index, cursor, held) : fill(table, index, cursor, held);
        if (!finished) {
            return held.stillHeld();
        }
        finish(table, index, deleting);
        waits.firstSeen().remove(name());
        return false;
    }

    /** Puts every item into the index, from after {@code cursor}; true when the whole table is done. */
    private boolean fill(TableDefinition table, IndexDefinition index, byte[] cursor, Held held) {
        CollectionSpace space = CollectionSpace.of(table);
        int[] since = {0};
        boolean[] complete = {true};
        items.forEachPartition(space, cursor, partition -> {
            if (!held.stillHeld()) {
                complete[0] = false;
                return false;
            }
            AttributeValue hash = space.hashOf(partition);
            List<PrimaryKey> keys = new ArrayList<>();
            items.query(space, hash, null, true, true, true, (sk, bytes) -> {
                keys.add(new PrimaryKey(hash, sk));
                return true;
            });
            for (PrimaryKey k : keys) {
                indexes.backfill(table, index, k);
            }
            meters.counter("eddy.index.backfilled-items").add(keys.size());
            if (++since[0] >= SAVE_EVERY) {
                since[0] = 0;
                if (!held.saveState(partition)) {
                    complete[0] = false;
                    return false;
                }
            }
            return true;
        });
        return complete[0];
    }

    /** Removes the index's collections, from after {@code cursor}; true when all are gone. */
    private boolean removeEntries(TableDefinition table, IndexDefinition index, byte[] cursor, Held held) {
        CollectionSpace space = SecondaryIndexes.space(table, index);
        int[] since = {0};
        boolean[] complete = {true};
        boolean all = items.drop(space, cursor, partition -> {
            if (++since[0] >= SAVE_EVERY) {
                since[0] = 0;
                if (!held.saveState(partition)) {
                    complete[0] = false;
                    return false;
                }
            }
            if (!held.stillHeld()) {
                complete[0] = false;
                return false;
            }
            return true;
        });
        return all && complete[0];
    }

    private void finish(TableDefinition table, IndexDefinition index, boolean deleting) {
        catalog.update(tableName, t -> {
            if (!t.tableId().equals(tableId)) {
                return t;
            }
            List<IndexDefinition> next = new ArrayList<>();
            boolean busy = false;
            for (IndexDefinition i : t.globalSecondaryIndexes()) {
                if (i.storageId().equals(indexId)) {
                    if (!deleting) {
                        next.add(i.withStatus(TableDefinition.ACTIVE, false));
                    }
                } else {
                    next.add(i);
                    busy |= !TableDefinition.ACTIVE.equals(i.status());
                }
            }
            TableDefinition updated = t.withGlobalSecondaryIndexes(next, t.attributeDefinitions());
            return busy ? updated : updated.withStatus(TableDefinition.ACTIVE);
        });
        LOG.infof("Index %s of %s %s", index.indexName(), tableName, deleting ? "removed" : "built");
    }
}

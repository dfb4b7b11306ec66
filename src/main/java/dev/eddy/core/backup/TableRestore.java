package dev.eddy.core.backup;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.Meters;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Restores a table from a backup (a duty of the maintenance role, one per table being restored).
 * It reads the backup partition by partition ({@link BackupReader}), stores each partition's
 * collection at once ({@link ItemStore#load}), then enters the items in the table's indexes an
 * index partition at a time ({@link SecondaryIndexes#restoredEntries}), a batch of partitions at a
 * time on a few threads; after each batch its position goes with its lease, so a
 * restore survives the death of whoever ran it (a batch done twice stores the same collections
 * again). The table, CREATING and closed to requests meanwhile, then turns ACTIVE.
 */
public final class TableRestore implements Duty {
    private static final Logger LOG = Logger.getLogger(TableRestore.class);
    /** Partitions loaded between two saves of the position. */
    private static final int BATCH_PARTITIONS = 256;
    private static final int BATCH_ITEMS = 20_000;
    /** Loads run on a few threads: each is a few round trips to the servers, mostly waiting. */
    private static final ExecutorService LOADERS =
            Executors.newFixedThreadPool(8, BackgroundThreads.named("eddy-table-restore"));

    private final ItemStore items;
    private final Storage storage;
    private final TableCatalog catalog;
    private final BackupCatalog backups;
    private final SecondaryIndexes indexes;
    private final Meters meters;
    private final String tableName;
    private final String tableId;

    TableRestore(ItemStore items, Storage storage, TableCatalog catalog, BackupCatalog backups,
                 SecondaryIndexes indexes, Meters meters, TableDefinition table) {
        this.items = items;
        this.storage = storage;
        this.catalog = catalog;
        this.backups = backups;
        this.indexes = indexes;
        this.meters = meters;
        this.tableName = table.tableName();
        this.tableId = table.tableId();
    }

    @Override
    public String name() {
        return "table-restore:" + tableId;
    }

    @Override
    public long intervalMillis() {
        return 500;
    }

    @Override
    public boolean run(Held held) throws Exception {
        TableDefinition table = catalog.findConsistent(tableName);
        if (table == null || !table.tableId().equals(tableId) || !table.isRestoring()) {
            return false;
        }
        String backupId = BackupArns.idOf(table.restore().sourceBackupArn());
        Backup backup = backups.find(backupId);
        if (backup == null) {
            // Deleting a backup is refused while a restore reads it; this one is gone all the same.
            LOG.warnf("Backup %s that %s is restored from is gone; the table keeps what was loaded", backupId, tableName);
            finish(table, backupId);
            return false;
        }
        storage.createCache(table.cacheName());
        Cursor cursor = Cursor.decode(held.state());
        BackupReader reader = new BackupReader(items, storage.strong(backup.cacheName()), backup.cacheName(),
                backup.chunks(), cursor.after(), cursor.chunk());
        // Batches for up to a few seconds a run: a long restore gives its maintenance worker back
        // now and then, yet does not wait a maintenance tick between batches.
        long until = System.currentTimeMillis() + BackupCopy.RUN_MILLIS;
        boolean more;
        do {
            more = loadBatch(table, backupId, reader, held);
        } while (more && held.stillHeld() && System.currentTimeMillis() < until);
        return more;
    }

    /** Loads the next batch of partitions and saves the position after it; false once the restore is done. */
    private boolean loadBatch(TableDefinition table, String backupId, BackupReader reader, Held held) throws Exception {
        List<BackupReader.Partition> batch = new ArrayList<>();
        int itemCount = 0;
        while (batch.size() < BATCH_PARTITIONS && itemCount < BATCH_ITEMS) {
            BackupReader.Partition p = reader.next();
            if (p == null) {
                break;
            }
            batch.add(p);
            itemCount += p.items().size();
        }
        if (batch.isEmpty()) {
            finish(table, backupId);
            return false;
        }
        long sequence = System.currentTimeMillis() * 1000;
        CollectionSpace space = CollectionSpace.of(table);
        // The batch's partitions enter the directory in a few page writes, not one contended write each.
        List<AttributeValue> hashes = new ArrayList<>(batch.size());
        for (BackupReader.Partition p : batch) {
            hashes.add(p.hash());
        }
        long[] generations = items.enterPartitions(space, hashes);
        List<Future<?>> loads = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BackupReader.Partition p = batch.get(i);
            long generation = generations[i];
            loads.add(LOADERS.submit(() -> load(space, p, sequence, generation)));
        }
        await(loads);
        // Then the batch's index entries, grouped by index partition: a page of them a write.
        if (!SecondaryIndexes.maintained(table).isEmpty()) {
            List<Map<String, AttributeValue>> restored = new ArrayList<>(itemCount);
            for (BackupReader.Partition p : batch) {
                for (PointItem i : p.items()) {
                    restored.add(ItemCodec.decode(i.item()));
                }
            }
            List<Future<?>> entries = new ArrayList<>();
            for (Runnable task : indexes.restoredEntries(table, restored, sequence)) {
                entries.add(LOADERS.submit(task));
            }
            await(entries);
        }
        meters.counter("eddy.backups.items-restored").add(itemCount);
        byte[] last = batch.get(batch.size() - 1).partition();
        return held.saveState(new Cursor(last, reader.position()).encode());
    }

    /** One partition: its collection stored whole. */
    private void load(CollectionSpace space, BackupReader.Partition p, long sequence, long generation) {
        List<AttributeValue> sortKeys = new ArrayList<>(p.items().size());
        List<byte[]> bytes = new ArrayList<>(p.items().size());
        for (PointItem i : p.items()) {
            sortKeys.add(i.sortKey());
            bytes.add(i.item());
        }
        items.load(space, p.hash(), sortKeys, bytes, sequence, generation);
    }

    private static void await(List<Future<?>> tasks) throws Exception {
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }
    }

    private void finish(TableDefinition table, String backupId) {
        catalog.update(tableName, t -> t.tableId().equals(tableId) && t.isRestoring()
                ? t.withRestore(t.restore().finished()).withStatus(TableDefinition.ACTIVE) : t);
        backups.update(backupId, b -> {
            List<String> left = new ArrayList<>(b.restoring());
            left.remove(tableId);
            return b.withRestoring(left);
        });
        LOG.infof("Table %s is restored", tableName);
    }
}

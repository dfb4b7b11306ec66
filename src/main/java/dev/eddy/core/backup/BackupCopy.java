package dev.eddy.core.backup;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.table.BackupPoint;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Copies a table into a backup (a duty of the maintenance role, one per backup being created). Once
 * the backup's point has passed, it walks the table's partition directory and, in each partition,
 * the pages in key order: a page whose last write is at or before the point holds its state at the
 * point and is copied (its items as of the point: {@link PointInTime}); a page written since was
 * kept for the backup by the write that first moved it past the point ({@link PageCapture}), so it
 * is passed over. What it reads goes into run chunks in Scan order ({@link BackupData}); its
 * position (the last partition done, the next chunk) is saved with its lease, so a copy survives
 * the death of whoever ran it. At the end the backup is counted and turns AVAILABLE, and the table
 * stops announcing it.
 */
public final class BackupCopy implements Duty {
    private static final Logger LOG = Logger.getLogger(BackupCopy.class);
    /** A chunk is written, and the position saved, once this much is read. */
    private static final int CHUNK_BYTES = 512 * 1024;
    /** Or after this many partitions, so a copy of small partitions saves its place often enough. */
    private static final int CHUNK_PARTITIONS = 2_000;
    /** Clocks of the processes writing the table are taken to be this close to this process's. */
    private static final long CLOCK_MARGIN_MICROS = 100_000;
    private static final int READ_ATTEMPTS = 100;

    private final ItemStore items;
    private final Storage storage;
    private final TableCatalog catalog;
    private final BackupCatalog backups;
    private final TransactionLog transactions;
    private final Meters meters;
    private final String backupId;

    BackupCopy(ItemStore items, Storage storage, TableCatalog catalog, BackupCatalog backups,
               TransactionLog transactions, Meters meters, String backupId) {
        this.items = items;
        this.storage = storage;
        this.catalog = catalog;
        this.backups = backups;
        this.transactions = transactions;
        this.meters = meters;
        this.backupId = backupId;
    }

    @Override
    public String name() {
        return "backup-copy:" + backupId;
    }

    @Override
    public long intervalMillis() {
        return 500;
    }

    @Override
    public boolean run(Held held) {
        Backup found = backups.find(backupId);
        if (found == null || !found.isCreating()) {
            return false;
        }
        Backup backup = announced(found);
        if (backup == null) {
            return false; // the request may still be announcing it: the next run looks again
        }
        // Wait out the point (and the clocks' margin): a write before it is in the table as read.
        PointInTime.waitPast(backup.pointMicros() + CLOCK_MARGIN_MICROS);
        Cursor position = Cursor.decode(held.state());
        CollectionSpace space = CollectionSpace.of(backup.source());
        Entries out = storage.strong(backup.cacheName());
        List<BackupData.Group> chunk = new ArrayList<>();
        int[] bytes = {0};
        long[] nextChunk = {position.chunk()};
        boolean[] stopped = {false};
        items.forEachPartition(space, position.after(), partition -> {
            if (!held.stillHeld()) {
                stopped[0] = true;
                return false;
            }
            List<PointItem> read = readPartition(space, partition, backup.pointMicros());
            chunk.add(new BackupData.Group(partition, read));
            for (PointItem i : read) {
                bytes[0] += i.item().length + 32;
            }
            if (bytes[0] >= CHUNK_BYTES || chunk.size() >= CHUNK_PARTITIONS) {
                BackupData.putRun(out, nextChunk[0]++, chunk);
                chunk.clear();
                bytes[0] = 0;
                if (!held.saveState(new Cursor(partition, nextChunk[0]).encode())) {
                    stopped[0] = true;
                    return false;
                }
            }
            return true;
        });
        if (stopped[0]) {
            return held.stillHeld();
        }
        if (!chunk.isEmpty()) {
            BackupData.putRun(out, nextChunk[0]++, chunk);
        }
        finish(backup, nextChunk[0]);
        return false;
    }

    /**
     * The backup once its point is announced in its table's definition (or its table is gone, so
     * nobody writes it); null while the request that made it may still be announcing it. A request
     * that died before announcing it left a backup nobody would keep pages for: it is announced
     * here, with a new point.
     */
    private Backup announced(Backup backup) {
        TableDefinition source = backup.source();
        TableDefinition table = catalog.findConsistent(source.tableName());
        if (table == null || !table.cacheName().equals(source.cacheName())
                || table.backupsInProgress().stream().anyMatch(p -> p.backupId().equals(backupId))) {
            return backup;
        }
        if (System.currentTimeMillis() - backup.createdMillis() < ANNOUNCE_WAIT_MILLIS) {
            return null;
        }
        long point = System.currentTimeMillis() * 1000 + POINT_AFTER_NOW_MICROS;
        Backup moved = backups.update(backupId, b -> b.withPoint(point));
        catalog.update(source.tableName(), t -> {
            if (!t.cacheName().equals(source.cacheName())
                    || t.backupsInProgress().stream().anyMatch(p -> p.backupId().equals(backupId))) {
                return t;
            }
            List<BackupPoint> points = new ArrayList<>(t.backupsInProgress());
            points.add(new BackupPoint(backupId, point, backup.cacheName()));
            return t.withBackupPoints(points);
        });
        LOG.infof("Backup %s of %s was not announced by its request; announced now", backup.backupName(),
                source.tableName());
        return moved;
    }

    /** A request that made a backup this long ago is done announcing it. */
    private static final long ANNOUNCE_WAIT_MILLIS = 10_000;
    /** A point set here lies this far ahead, as a request sets it (see CreateBackup). */
    private static final long POINT_AFTER_NOW_MICROS = 1_000_000;

    /** A partition's pages at or before the point, as of the point (pages written since were captured). */
    private List<PointItem> readPartition(CollectionSpace space, byte[] partition, long point) {
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            List<PointItem> read = new ArrayList<>();
            boolean complete = items.forEachPage(space, partition, image -> {
                if (image.page().sequence() > point) {
                    return true;
                }
                List<PointItem> state = PointInTime.items(image.page(), point, transactions, () -> {
                    ItemStore.PageImage now = items.readPage(image.location());
                    return now != null && now.version() == image.version();
                });
                if (state == null) {
                    return false; // a transaction was settled under the read: read the partition again
                }
                read.addAll(state);
                return true;
            });
            if (complete) {
                meters.counter("eddy.backups.items-copied").add(read.size());
                return read;
            }
        }
        throw new IllegalStateException("a partition of " + space + " kept changing under a backup's read");
    }

    /** Counts the backup, marks it AVAILABLE, and takes its point off the table. */
    private void finish(Backup backup, long chunks) {
        long[] figures = {0, 0};
        BackupReader reader = new BackupReader(items, storage.strong(backup.cacheName()), backup.cacheName(), chunks,
                null, 0);
        for (BackupReader.Partition p = reader.next(); p != null; p = reader.next()) {
            for (PointItem i : p.items()) {
                figures[0]++;
                figures[1] += ItemSize.of(dev.eddy.core.model.ItemCodec.decode(i.item()));
            }
        }
        backups.update(backupId, b -> b.isCreating() ? b.completed(chunks, figures[0], figures[1]) : b);
        TableDefinition source = backup.source();
        catalog.update(source.tableName(), t -> {
            if (!t.cacheName().equals(source.cacheName())) {
                return t;
            }
            List<BackupPoint> left = new ArrayList<>(t.backupsInProgress());
            left.removeIf(p -> p.backupId().equals(backupId));
            return left.size() == t.backupsInProgress().size() ? t : t.withBackupPoints(left);
        });
        LOG.infof("Backup %s of %s is complete: %d items, %d bytes", backup.backupName(), source.tableName(),
                figures[0], figures[1]);
    }
}

package dev.eddy.core.backup;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
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
    /** How long one run goes on copying before it gives its maintenance worker back. */
    static final long RUN_MILLIS = 2_000;
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

    /**
     * Where a copy stands, saved with its lease: walking the table (the last partition copied and
     * the next chunk to write) or, once every partition is copied, counting what the backup holds
     * (the last partition counted, the chunk to read on from, and the figures so far).
     */
    private record CopyState(boolean counting, byte[] after, long chunk, long chunks, long items, long bytes) {
        static final CopyState START = new CopyState(false, null, 0, 0, 0, 0);

        byte[] encode() {
            ByteWriter w = new ByteWriter(64).write(counting ? 1 : 0).int64(chunk).int64(chunks).int64(items).int64(bytes);
            if (after != null) {
                w.write(1).bytes(after);
            } else {
                w.write(0);
            }
            return w.toByteArray();
        }

        static CopyState decode(byte[] state) {
            if (state.length == 0) {
                return START;
            }
            ByteReader r = new ByteReader(state);
            boolean counting = r.read() == 1;
            long chunk = r.int64();
            long chunks = r.int64();
            long items = r.int64();
            long bytes = r.int64();
            return new CopyState(counting, r.read() == 1 ? r.bytes() : null, chunk, chunks, items, bytes);
        }
    }

    /**
     * Steps of the copy (a chunk's worth of partitions, or of counting) for up to {@link #RUN_MILLIS},
     * so a long copy holds a maintenance worker for seconds at a time, not for the whole table, and
     * does not wait a maintenance tick between chunks either.
     */
    @Override
    public boolean run(Held held) {
        long until = System.currentTimeMillis() + RUN_MILLIS;
        boolean more;
        do {
            more = step(held);
        } while (more && held.stillHeld() && System.currentTimeMillis() < until);
        return more;
    }

    private boolean step(Held held) {
        Backup found = backups.find(backupId);
        if (found == null || !found.isCreating()) {
            return false;
        }
        Backup backup = announced(found);
        if (backup == null) {
            return false; // the request may still be announcing it: the next run looks again
        }
        CopyState state = CopyState.decode(held.state());
        return state.counting() ? count(backup, state, held) : walk(backup, state, held);
    }

    private boolean walk(Backup backup, CopyState state, Held held) {
        // Wait out the point (and the clocks' margin): a write before it is in the table as read.
        PointInTime.waitPast(backup.pointMicros() + CLOCK_MARGIN_MICROS);
        CollectionSpace space = CollectionSpace.of(backup.source());
        Entries out = storage.strong(backup.cacheName());
        List<BackupData.Group> chunk = new ArrayList<>();
        int[] bytes = {0};
        byte[][] last = {null};
        boolean[] stopped = {false};
        boolean[] full = {false};
        items.forEachPartition(space, state.after(), partition -> {
            if (!held.stillHeld()) {
                stopped[0] = true;
                return false;
            }
            List<PointItem> read = readPartition(space, partition, backup.pointMicros());
            chunk.add(new BackupData.Group(partition, read));
            last[0] = partition;
            for (PointItem i : read) {
                bytes[0] += i.item().length + 32;
            }
            full[0] = bytes[0] >= CHUNK_BYTES || chunk.size() >= CHUNK_PARTITIONS;
            return !full[0];
        });
        boolean complete = !full[0];
        if (stopped[0]) {
            return held.stillHeld();
        }
        if (!chunk.isEmpty()) {
            BackupData.putRun(out, state.chunk(), chunk);
        }
        long next = chunk.isEmpty() ? state.chunk() : state.chunk() + 1;
        CopyState after = complete ? new CopyState(true, null, 0, next, 0, 0)
                : new CopyState(false, last[0], next, 0, 0, 0);
        return held.saveState(after.encode());
    }

    /** Counts a stretch of the complete backup; at its end the backup is AVAILABLE. */
    private boolean count(Backup backup, CopyState state, Held held) {
        BackupReader reader = new BackupReader(items, storage.strong(backup.cacheName()), backup.cacheName(),
                state.chunks(), state.after(), state.chunk());
        long itemCount = state.items();
        long bytes = state.bytes();
        byte[] last = state.after();
        for (int n = 0; n < CHUNK_PARTITIONS; n++) {
            BackupReader.Partition p = reader.next();
            if (p == null) {
                finish(backup, state.chunks(), itemCount, bytes);
                return false;
            }
            for (PointItem i : p.items()) {
                itemCount++;
                bytes += ItemSize.of(ItemCodec.decode(i.item()));
            }
            last = p.partition();
        }
        return held.saveState(new CopyState(true, last, reader.position(), state.chunks(), itemCount, bytes).encode());
    }

    /**
     * The backup once its point is announced in its table's definition (or its table is gone, so
     * nobody writes it); null while the request that made it may still be announcing it. A request
     * that died before announcing it left a backup nobody would keep pages for: it is announced
     * here, with a new point. As CreateBackup does, an announcement that took so long that writers
     * could pass the point before hearing of it is taken back, and made again at the next run.
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
        long lead = point - System.currentTimeMillis() * 1000;
        if (lead < ANNOUNCED_AHEAD_MICROS) {
            // A writer may pass the point before it hears of it, and would keep no page for it. Pages
            // kept for this point meanwhile stay: a later point's capture of a page replaces them
            // (BackupData.capture), and one no write crosses again is read from the table.
            withdrawPoint(source);
            meters.counter("eddy.backups.announced-late").increment();
            LOG.warnf("Backup %s of %s was announced %d ms before its point, too late to hold: taken back, "
                    + "announced again at the next run", backup.backupName(), source.tableName(), lead / 1000);
            return null;
        }
        LOG.infof("Backup %s of %s was not announced by its request; announced now", backup.backupName(),
                source.tableName());
        return moved;
    }

    /** Takes this backup's point off its table's definition. */
    private void withdrawPoint(TableDefinition source) {
        catalog.update(source.tableName(), t -> t.cacheName().equals(source.cacheName()) ? t.withoutBackupPoint(backupId) : t);
    }

    /** A request that made a backup this long ago is done announcing it. */
    private static final long ANNOUNCE_WAIT_MILLIS = 10_000;
    /** A point set here lies this far ahead, as a request sets it (see CreateBackup). */
    private static final long POINT_AFTER_NOW_MICROS = 1_000_000;
    /** How long before its point a backup must be announced at the latest (CreateBackup's rule). */
    private static final long ANNOUNCED_AHEAD_MICROS = POINT_AFTER_NOW_MICROS / 2;

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

    /** Marks the backup AVAILABLE with its figures, and takes its point off the table. */
    private void finish(Backup backup, long chunks, long itemCount, long bytes) {
        long[] figures = {itemCount, bytes};
        backups.update(backupId, b -> b.isCreating() ? b.completed(chunks, figures[0], figures[1]) : b);
        TableDefinition source = backup.source();
        withdrawPoint(source);
        LOG.infof("Backup %s of %s is complete: %d items, %d bytes", backup.backupName(), source.tableName(),
                figures[0], figures[1]);
    }
}

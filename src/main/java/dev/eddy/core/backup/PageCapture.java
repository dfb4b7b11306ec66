package dev.eddy.core.backup;

import dev.eddy.core.Meters;
import dev.eddy.core.storage.ChangeLog;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemPage;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.BackupPoint;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.util.List;

/**
 * The writers' part of a consistent backup (the storage engine's page hook). A write about to give
 * a page its first state after a backup's point (the stored state has a sequence number at or
 * before the point, the new one after it) keeps the stored state for the backup first: that is the
 * state the page had at the point, and nobody could read it later. Together with the copy duty,
 * which reads every page still at or before the point ({@link BackupCopy}), each page's state at
 * the point reaches the backup, while writers never wait for the copy.
 *
 * <p>The backups in progress are read from the table's definition after the write took its
 * sequence number from the clock, in two places: the catalog's near cache (the common case: the
 * servers invalidate it within milliseconds) and this process's last read of the definition from
 * the servers, taken again when older than {@link #RECHECK_MILLIS}. The second is what makes it
 * hold: a near cache's invalidation can come late or not at all (its listener cut off, an
 * invalidation crossing a read), and a backup's point lies at least half a second after the
 * request announced it (CreateBackup), so a write whose number is past the point uses a read
 * started after the announcement. Relying on the near cache alone, a clean-clone CI run lost
 * three quarters of a backup under load (writers kept no page: their near cache never showed the
 * point).
 */
public final class PageCapture implements ItemStore.PageHook {
    private final TableCatalog catalog;
    private final BackupCatalog backups;
    private final TransactionLog transactions;
    private final Meters meters;
    private volatile ItemStore items;
    /**
     * How old this process's own read of a table's backups may be: well inside the half second
     * by which a backup is announced ahead of its point (CreateBackup.ANNOUNCED_AHEAD_MICROS).
     */
    static final long RECHECK_MILLIS = 100;

    /** A table's backups in progress as read from the servers, and when that read started. */
    private record Checked(long startedMillis, String cacheName, List<BackupPoint> points) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Checked> checked = new java.util.concurrent.ConcurrentHashMap<>();

    public PageCapture(TableCatalog catalog, BackupCatalog backups, TransactionLog transactions, Meters meters) {
        this.catalog = catalog;
        this.backups = backups;
        this.transactions = transactions;
        this.meters = meters;
    }

    /** Hooks this capture into the engine's writes. */
    public void install(ItemStore store) {
        this.items = store;
        store.pageHook(this);
    }

    @Override
    public boolean beforeReplace(TableDefinition table, ChangeLog.Location location, Entries.Versioned stored,
                                 long storedSequence, long newSequence) {
        for (BackupPoint p : points(table)) {
            if (storedSequence <= p.pointMicros() && newSequence > p.pointMicros()
                    && !capture(p, location, stored, storedSequence)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The table's backups in progress: those the near cache shows, with those of a read from the
     * servers started at most {@link #RECHECK_MILLIS} ago (read again here when older).
     */
    private List<BackupPoint> points(TableDefinition table) {
        List<BackupPoint> near = pointsOf(catalog.find(table.tableName()), table);
        Checked read = checked.get(table.tableName());
        long started = System.currentTimeMillis();
        if (read == null || !read.cacheName().equals(table.cacheName()) || started - read.startedMillis() > RECHECK_MILLIS) {
            read = new Checked(started, table.cacheName(), pointsOf(catalog.findConsistent(table.tableName()), table));
            checked.merge(table.tableName(), read, (a, b) -> a.startedMillis() >= b.startedMillis() ? a : b);
        }
        if (read.points().isEmpty() || near.containsAll(read.points())) {
            return near;
        }
        meters.counter("eddy.backups.points-seen-late").increment(); // the near cache had not heard of one yet
        List<BackupPoint> all = new java.util.ArrayList<>(near);
        for (BackupPoint p : read.points()) {
            if (!all.contains(p)) {
                all.add(p);
            }
        }
        return all;
    }

    /** The backups in progress of the table as found, when it is still the table written; else as the writer has it. */
    private static List<BackupPoint> pointsOf(TableDefinition found, TableDefinition table) {
        return found != null && found.cacheName().equals(table.cacheName()) ? found.backupsInProgress()
                : table.backupsInProgress();
    }

    /**
     * Without waiting: "no" only when neither the near cache nor a read from the servers of the
     * last {@link #RECHECK_MILLIS} shows a backup; otherwise "may" (the write then reads its page
     * from the owners, and {@link #beforeReplace} reads the servers again).
     */
    @Override
    public boolean mayCapture(TableDefinition table) {
        Checked read = checked.get(table.tableName());
        if (read == null || !read.cacheName().equals(table.cacheName()) || !read.points().isEmpty()
                || System.currentTimeMillis() - read.startedMillis() > RECHECK_MILLIS) {
            return true;
        }
        java.util.concurrent.CompletableFuture<TableDefinition> found = catalog.findAsync(table.tableName());
        if (!found.isDone() || found.isCompletedExceptionally()) {
            return true;
        }
        return !pointsOf(found.join(), table).isEmpty();
    }

    /** Keeps the stored page state for the backup; false when it turned out stale (the write starts over). */
    private boolean capture(BackupPoint p, ChangeLog.Location location, Entries.Versioned stored, long sequence) {
        try {
            PointInTime.waitPast(p.pointMicros());
            ItemPage page = ItemPage.decode(stored.value(), location.space().sorted());
            List<PointItem> state = PointInTime.items(page, p.pointMicros(), transactions, () -> {
                ItemStore.PageImage current = items.readPage(location);
                return current != null && current.version() == stored.version();
            });
            if (state == null) {
                return false;
            }
            BackupData.capture(items, p.cacheName(), location, sequence, p.pointMicros(), state);
            meters.counter("eddy.backups.pages-captured").increment();
            return true;
        } catch (RuntimeException e) {
            Backup b = backups.find(p.backupId());
            if (b != null && b.isCreating()) {
                throw e;
            }
            return true; // the copy is over (this process's view of the table was late): nothing to keep
        }
    }
}

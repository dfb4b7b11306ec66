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
 * <p>The backups in progress are read from the table's definition as this process has it, after
 * the write took its sequence number from the clock: a backup's point is set a grace period after it
 * is announced, so a write whose number is past the point sees the announcement (the catalog's near
 * cache is invalidated within milliseconds).
 */
public final class PageCapture implements ItemStore.PageHook {
    private final TableCatalog catalog;
    private final BackupCatalog backups;
    private final TransactionLog transactions;
    private final Meters meters;
    private volatile ItemStore items;

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
        TableDefinition now = catalog.find(table.tableName());
        List<BackupPoint> points = now != null && now.cacheName().equals(table.cacheName())
                ? now.backupsInProgress() : table.backupsInProgress();
        for (BackupPoint p : points) {
            if (storedSequence <= p.pointMicros() && newSequence > p.pointMicros()
                    && !capture(p, location, stored, storedSequence)) {
                return false;
            }
        }
        return true;
    }

    /** Without waiting: the table as this process has it when the near cache holds it, otherwise "may". */
    @Override
    public boolean mayCapture(TableDefinition table) {
        java.util.concurrent.CompletableFuture<TableDefinition> found = catalog.findAsync(table.tableName());
        if (!found.isDone() || found.isCompletedExceptionally()) {
            return true;
        }
        TableDefinition now = found.join();
        return !(now != null && now.cacheName().equals(table.cacheName()) ? now.backupsInProgress()
                : table.backupsInProgress()).isEmpty();
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
            BackupData.capture(items, p.cacheName(), location, sequence, state);
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

package dev.eddy.core.backup;

import dev.eddy.core.Meters;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The maintenance role's backup duties: a {@link BackupCopy} for each backup being created (found
 * in the backups' metadata, listed at most every {@value #LIST_MILLIS} ms, so a backup whose table
 * was deleted meanwhile is still finished), and a {@link TableRestore} for each table being restored.
 */
public final class BackupDuties {
    private static final long LIST_MILLIS = 1_000;

    private final ItemStore items;
    private final Storage storage;
    private final TableCatalog catalog;
    private final BackupCatalog backups;
    private final TransactionLog transactions;
    private final SecondaryIndexes indexes;
    private final Meters meters;
    private volatile List<Backup> creating = List.of();
    private volatile long listedAt;

    public BackupDuties(ItemStore items, Storage storage, TableCatalog catalog, BackupCatalog backups,
                        TransactionLog transactions, SecondaryIndexes indexes, Meters meters) {
        this.items = items;
        this.storage = storage;
        this.catalog = catalog;
        this.backups = backups;
        this.transactions = transactions;
        this.indexes = indexes;
        this.meters = meters;
    }

    /** The copies and restores wanted now, from the tables as last listed. */
    public List<Duty> wanted(Supplier<List<TableDefinition>> tables) {
        List<Duty> out = new ArrayList<>();
        for (Backup b : creating()) {
            out.add(new BackupCopy(items, storage, catalog, backups, transactions, meters, b.backupId()));
        }
        for (TableDefinition t : tables.get()) {
            if (t.isRestoring()) {
                out.add(new TableRestore(items, storage, catalog, backups, indexes, meters, t));
            }
        }
        return out;
    }

    private List<Backup> creating() {
        long now = System.currentTimeMillis();
        if (now - listedAt >= LIST_MILLIS) {
            List<Backup> found = new ArrayList<>();
            for (Backup b : backups.all()) {
                if (b.isCreating()) {
                    found.add(b);
                }
            }
            creating = found;
            listedAt = now;
        }
        return creating;
    }

    /**
     * Whether a deleted table's cache is still read by a backup being created from it: its removal
     * waits until the copy is done (a backup outlives its table, as in DynamoDB).
     */
    public boolean stillCopied(String cacheName) {
        for (Backup b : backups.all()) {
            if (b.isCreating() && b.source().cacheName().equals(cacheName)) {
                return true;
            }
        }
        return false;
    }
}

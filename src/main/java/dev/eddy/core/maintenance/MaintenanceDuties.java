package dev.eddy.core.maintenance;

import dev.eddy.core.EddyConfig;
import dev.eddy.core.backup.BackupCatalog;
import dev.eddy.core.backup.BackupDuties;
import dev.eddy.core.Meters;
import dev.eddy.core.encryption.Encryption;
import dev.eddy.core.encryption.KeyUpkeep;
import dev.eddy.core.index.IndexBuild;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.lease.Leases;
import dev.eddy.core.outbox.OutboxSweeper;
import dev.eddy.core.outbox.PendingPages;
import dev.eddy.core.outbox.WriteCompletion;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.storage.TableStatistics;
import dev.eddy.core.storage.UpkeepQueue;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.transaction.TransactionLog;
import dev.eddy.core.transaction.TransactionRecovery;
import dev.eddy.core.ttl.Expirer;
import dev.eddy.core.ttl.ExpiryBackfill;
import dev.eddy.core.ttl.ExpiryIndex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The maintenance role's duties, assembled: each one held by one live process in the cluster.
 * <ul>
 * <li>{@code outbox-sweeper}: finishes the change records of processes that died or ended;</li>
 * <li>{@code upkeep-timers}: Time to Live expiries, tombstone sweeps, page checks, engine-wide timers;</li>
 * <li>{@code transaction-recovery}: settles transactions whose coordinator died;</li>
 * <li>{@code statistics}: recounts the tables whose figures were asked for;</li>
 * <li>{@code index-build:<table>:<index>}: builds or removes a global index added or deleted by UpdateTable;</li>
 * <li>{@code ttl-index:<table>}: enters existing items in the expiry index when Time to Live is enabled;</li>
 * <li>{@code layout-migration:<table>}: brings a table stored before the current layout to it, once;</li>
 * <li>{@code encryption-keys}: wraps data keys under a new master key, rotates them by age, and seals
 * values stored under an old version (or before encryption) again;</li>
 * <li>{@code backup-copy:<backup>}: copies a table into an on-demand backup being created;</li>
 * <li>{@code table-restore:<table>}: loads a table being restored from a backup.</li>
 * </ul>
 */
public final class MaintenanceDuties {
    /** The cache of engine-wide state: its upkeep queue holds timers not tied to a table. */
    public static final String SYSTEM_CACHE = UpkeepTimers.SYSTEM_CACHE;
    /** An engine-wide timer's action: delete a stream topic (argument: the topic). */
    public static final byte DELETE_TOPIC = 1;
    /** An engine-wide timer's action: remove a deleted table's cache (argument: the cache). */
    public static final byte REMOVE_CACHE = 2;

    private MaintenanceDuties() {
    }

    public static Maintenance start(EddyConfig config, Storage storage, TableCatalog catalog, ItemStore items,
                                    TableStatistics statistics, TransactionLog transactions, Instances instances,
                                    Leases leases, SecondaryIndexes indexes, ExpiryIndex expiries,
                                    StreamPublisher publisher, PendingPages pending, WriteCompletion completion,
                                    BackupCatalog backups, Encryption encryption, Meters meters) {
        CatalogView tables = new CatalogView(catalog, 1_000);
        long sweep = config.streams().sweepMillis();
        OutboxSweeper sweeper = new OutboxSweeper(instances, pending, completion, catalog, meters, sweep);
        BackupDuties backupDuties = new BackupDuties(items, storage, catalog, backups, transactions, indexes, meters);
        UpkeepTimers timers = new UpkeepTimers(items, tables, new Expirer(items, meters), indexes,
                Map.of(DELETE_TOPIC, (topic, payload) -> publisher == null || publisher.deleteTopic(topic),
                        REMOVE_CACHE, (cache, payload) -> !backupDuties.stillCopied(cache) && removeCache(storage, cache)),
                meters,
                Math.min(config.timeToLiveSweepMillis(), 5_000));
        TransactionRecovery recovery = new TransactionRecovery(transactions, items, catalog, meters,
                Math.max(500, Math.min(2_000, config.transactionTimeoutMillis() / 4)));
        Duty recount = statistics.recount(tables::tables,
                t -> index -> SecondaryIndexes.space(t, index), meters, 1_000);
        Duty keys = new KeyUpkeep(encryption, storage, catalog, tables::tables, config.encryption().rotationMillis(),
                config.region(), config.accountId(), meters);
        List<Duty> fixed = List.<Duty>of(sweeper, timers, recovery, recount, keys);
        IndexBuild.Waits buildWaits = new IndexBuild.Waits(config.storage().writersLearnMillis());
        return new Maintenance(leases, instances, meters)
                .addSource(() -> fixed)
                .addSource(() -> {
                    List<Duty> perTable = new ArrayList<>();
                    perTable.addAll(IndexBuild.wanted(tables.tables(), catalog, items, indexes, meters, buildWaits));
                    perTable.addAll(ExpiryBackfill.wanted(tables.tables(), catalog, items, expiries));
                    perTable.addAll(LayoutMigration.wanted(tables.tables(), catalog, items, indexes, expiries,
                            completion, meters));
                    perTable.addAll(backupDuties.wanted(tables::tables));
                    return perTable;
                })
                .start();
    }

    private static boolean removeCache(Storage storage, String cacheName) {
        if (storage.cacheExists(cacheName)) {
            storage.removeCache(cacheName);
        }
        return true;
    }

    /** Sets an engine-wide timer on the system queue. */
    public static void later(ItemStore items, long dueMillis, byte action, String argument) {
        byte[] arg = argument.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[1 + arg.length];
        payload[0] = action;
        System.arraycopy(arg, 0, payload, 1, arg.length);
        items.queue().add(SYSTEM_CACHE, new UpkeepQueue.Timer(dueMillis, UpkeepQueue.SYSTEM, payload));
    }
}

package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.Meters;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupArns;
import dev.eddy.core.backup.BackupCatalog;
import dev.eddy.core.backup.BackupDuties;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.table.BackupPoint;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backup whose request died before announcing its point is announced by the copy duty, with a new
 * point a second ahead. Like CreateBackup, the duty takes the announcement back when it took so long
 * (the catalog's write held up) that writers could pass the point before hearing of it, and announces
 * again at its next run: a late point would lose every page a writer crossed it without keeping.
 */
class BackupAnnouncedLateAgainTest {
    private final TestNode node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aPointAnnouncedTooLateByTheCopyIsTakenBackAndAnnouncedAgain() throws Exception {
        Meters meters = new Meters();
        ItemStore items = new ItemStore(node.storage, StorageConfig.DEFAULT_PAGE_BYTES, meters);
        TableCatalog catalog = new TableCatalog(node.storage);
        BackupCatalog backups = new BackupCatalog(node.storage);
        TableDefinition t = Fixtures.table(node, true);
        assertTrue(catalog.create(t));

        // the request made the backup a minute ago and died before naming its point in the table
        long created = System.currentTimeMillis() - 60_000;
        String backupId = BackupArns.newId(created);
        String cacheName = Backup.cacheNameOf(backupId);
        node.storage.createCache(cacheName);
        assertTrue(backups.create(new Backup(backupId, BackupArns.arn(t.tableArn(), backupId), "orphan", Backup.CREATING,
                created, created * 1000, cacheName, t, null, null, null, null)));
        Duty copy = new BackupDuties(items, node.storage, catalog, backups, new TransactionLog(node.storage, 10_000),
                new SecondaryIndexes(items, meters), meters).wanted(List::of).get(0);

        // the duty's announcement reaches the servers 1.5 s late: past its point's half-second lead
        CompletableFuture<Void> reached = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        node.holdThenLoseReplyOfNextWrite(TableCatalog.CACHE, t.tableName().getBytes(StandardCharsets.UTF_8), 0,
                reached, release);
        reached.thenRun(() -> CompletableFuture.delayedExecutor(1_500, TimeUnit.MILLISECONDS).execute(() -> release.complete(null)));
        assertFalse(copy.run(new HeldInMemory()), "nothing is copied under a point announced late");
        assertTrue(reached.isDone(), "the announcement was held up");
        assertTrue(backups.find(backupId).isCreating(), "not copied as of the late point");
        assertEquals(List.of(), catalog.findConsistent(t.tableName()).backupsInProgress(), "the late point is taken back");
        assertEquals(1, meters.count("eddy.backups.announced-late"));

        // the next runs announce it again, in time, and copy the table as of the new point
        long before = System.currentTimeMillis() * 1000;
        HeldInMemory held = new HeldInMemory();
        long deadline = System.currentTimeMillis() + 30_000;
        while (backups.find(backupId).isCreating() && System.currentTimeMillis() < deadline) {
            copy.run(held);
        }
        Backup done = backups.find(backupId);
        assertEquals(Backup.AVAILABLE, done.status());
        assertTrue(done.pointMicros() > before, "copied as of the point announced again");
        assertEquals(1, meters.count("eddy.backups.announced-late"), "announced in time the second time");
        assertEquals(List.of(), catalog.findConsistent(t.tableName()).backupsInProgress(), "the point is off the table once copied");
    }
}

package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.Meters;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupCatalog;
import dev.eddy.core.backup.PageCapture;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.BackupPoint;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write that moves a page past a backup's point keeps the page's state for the backup even when
 * this process's near cache of the catalog never heard of the backup (its invalidation lost, as
 * when a partition cuts the near cache's listener off, or late, as a clean-clone CI run showed:
 * writers kept no page and three quarters of a backup taken under load were missing).
 */
class BackupPointBehindNearCacheTest {
    private static TestNode node;
    private static Meters meters;
    private static ItemStore items;
    private static TableCatalog catalog;

    @BeforeAll
    static void start() {
        node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);
        meters = new Meters();
        items = new ItemStore(node.storage, StorageConfig.DEFAULT_PAGE_BYTES, meters);
        catalog = new TableCatalog(node.storage);
        new PageCapture(catalog, new BackupCatalog(node.storage), new TransactionLog(node.storage, 10_000), meters)
                .install(items);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static final AttributeValue PK = AttributeValue.s("acct");

    private static Map<String, AttributeValue> item(String v) {
        return Map.of("pk", PK, "sk", AttributeValue.n("1"), "v", AttributeValue.s(v));
    }

    @Test
    void aWritePastAPointItsNearCacheNeverShowedKeepsThePage() throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        assertTrue(catalog.create(t));
        PrimaryKey key = new PrimaryKey(PK, AttributeValue.n("1"));
        items.write(t, key, current -> item("at the point"));
        assertTrue(catalog.find(t.tableName()).backupsInProgress().isEmpty()); // the near cache holds the table now

        // A backup announced on the servers only: no invalidation reaches this process's near cache.
        String backupId = "b-" + UUID.randomUUID();
        String backupCache = Backup.cacheNameOf(backupId);
        node.storage.createCache(backupCache);
        long point = System.currentTimeMillis() * 1000 + 300_000;
        byte[] announced = new ObjectMapper().writeValueAsBytes(
                t.withBackupPoints(List.of(new BackupPoint(backupId, point, backupCache))));
        node.changeUnannounced(TableCatalog.CACHE, t.tableName().getBytes(StandardCharsets.UTF_8), stored -> announced);
        assertTrue(catalog.find(t.tableName()).backupsInProgress().isEmpty(), "the near cache has not heard of the backup");
        assertEquals(1, catalog.findConsistent(t.tableName()).backupsInProgress().size());

        while (System.currentTimeMillis() * 1000 <= point + 1_000) {
            Thread.sleep(20);
        }
        items.write(t, key, current -> item("after the point"));

        assertEquals(1, meters.count("eddy.backups.pages-captured"),
                "the write kept the page's state at the point for the backup");
        assertFalse(node.keys(backupCache).isEmpty(), "the kept state is in the backup's cache");
        assertEquals(1, meters.count("eddy.backups.points-seen-late"), "the point came from the servers, not the near cache");
        assertTrue(catalog.find(t.tableName()).backupsInProgress().isEmpty(), "the near cache is still behind");
    }
}

package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.eddy.core.Meters;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.index.IndexBuild;
import dev.eddy.core.index.IndexEntryKey;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.outbox.PendingPages;
import dev.eddy.core.outbox.WriteCompletion;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.Projection;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.Throughput;
import dev.eddy.core.ttl.ExpiryIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A global index added by UpdateTable while a writer still holds the table's definition from before
 * (its near cache: the invalidation on its way, or lost and the entry not yet past its age). Such a
 * writer records no change for the index; a build that had already walked past the item would leave
 * it out of the index for good. The build waits until every writer knows the index.
 */
class IndexBuildWaitsForWritersTest {
    private final TestNode node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);
    private final Meters meters = new Meters();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        node.close();
    }

    @Test
    void anItemWrittenByAWriterThatHasNotSeenTheIndexYetIsIndexed() throws Exception {
        TableCatalog catalog = new TableCatalog(node.storage);
        ItemStore items = node.items(StorageConfig.DEFAULT_PAGE_BYTES);
        Instances identity = new Instances(node.storage, "function", 10_000, meters);
        PendingPages pending = new PendingPages(node.storage, identity, items, meters);
        SecondaryIndexes indexes = new SecondaryIndexes(items, meters);
        WriteCompletion completion = new WriteCompletion("us-east-1", items, catalog, indexes,
                new ExpiryIndex(items.queue()), null, pending, meters, 100);
        open.add(identity);
        open.add(pending);
        open.add(completion);

        String id = UUID.randomUUID().toString();
        TableDefinition before = new TableDefinition("t-" + id.substring(0, 8), id, "arn:aws:dynamodb:us-east-1:0:table/t",
                Storage.PREFIX + "t." + id, System.currentTimeMillis(), TableDefinition.ACTIVE,
                List.of(new KeyElement("pk", "HASH")),
                List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("g", "S")),
                TableDefinition.PAY_PER_REQUEST, null, Throughput.ZERO, List.of(), List.of(), null, null, Map.of(),
                false, null, null, TableDefinition.CURRENT_LAYOUT, null);
        node.storage.createCache(before.cacheName());
        catalog.create(before);
        Map<String, AttributeValue> first = item("first", "x");
        items.write(before, key("first"), current -> first);

        // UpdateTable adds the index (CREATING, backfilling); the maintenance role's build picks it up
        IndexDefinition adding = IndexDefinition.global("byGroup", List.of(new KeyElement("g", "HASH")),
                new Projection(IndexDefinition.ALL, null), Throughput.ZERO, TableDefinition.CREATING)
                .withStatus(TableDefinition.CREATING, true);
        TableDefinition after = catalog.update(before.tableName(),
                t -> t.withGlobalSecondaryIndexes(List.of(adding), t.attributeDefinitions()).withStatus(TableDefinition.UPDATING));
        IndexBuild build = new IndexBuild(catalog, items, indexes, meters, after, adding, new IndexBuild.Waits(1_500));
        HeldInMemory held = new HeldInMemory();
        build.run(held);

        // a writer whose near cache still holds the table as it was writes (no change recorded for the index)
        Map<String, AttributeValue> second = item("second", "y");
        items.write(before, key("second"), current -> second);

        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && !TableDefinition.ACTIVE.equals(
                catalog.findConsistent(before.tableName()).globalSecondaryIndexes().get(0).status())) {
            build.run(held);
            Thread.sleep(100);
        }
        TableDefinition done = catalog.findConsistent(before.tableName());
        IndexDefinition built = done.globalSecondaryIndexes().get(0);
        assertEquals(TableDefinition.ACTIVE, built.status());
        CollectionSpace space = SecondaryIndexes.space(done, built);
        assertNotNull(items.readWithSequence(space, IndexEntryKey.of(done, built, first)).item(),
                "the item there before the index has its entry");
        assertNotNull(items.readWithSequence(space, IndexEntryKey.of(done, built, second)).item(),
                "the item written by the writer that had not seen the index has its entry");
    }

    /** A build's first sight is forgotten once no table calls for the build (the table deleted, the index built elsewhere). */
    @Test
    void aBuildNoLongerWantedIsForgotten() {
        IndexBuild.Waits waits = new IndexBuild.Waits(1_000);
        waits.firstSeen().put("index-build:a-deleted-table:byGroup", System.currentTimeMillis());
        assertEquals(List.of(), IndexBuild.wanted(List.of(), null, null, null, meters, waits));
        assertEquals(Map.of(), waits.firstSeen());
    }

    private static PrimaryKey key(String pk) {
        return new PrimaryKey(AttributeValue.s(pk), null);
    }

    private static Map<String, AttributeValue> item(String pk, String group) {
        return new HashMap<>(Map.of("pk", AttributeValue.s(pk), "g", AttributeValue.s(group)));
    }
}

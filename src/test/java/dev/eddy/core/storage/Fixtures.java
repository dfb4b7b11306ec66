package dev.eddy.core.storage;

import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.Throughput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Table definitions for the engine's tests, and their caches on the test node. */
final class Fixtures {
    private Fixtures() {
    }

    /** A table keyed by pk (S) and, when sorted, sk (N), on the current layout, its cache created. */
    static TableDefinition table(TestNode node, boolean sorted) {
        String id = UUID.randomUUID().toString();
        List<KeyElement> keys = new ArrayList<>(List.of(new KeyElement("pk", "HASH")));
        List<AttributeDefinition> attrs = new ArrayList<>(List.of(new AttributeDefinition("pk", "S")));
        if (sorted) {
            keys.add(new KeyElement("sk", "RANGE"));
            attrs.add(new AttributeDefinition("sk", "N"));
        }
        TableDefinition t = new TableDefinition("t-" + id.substring(0, 8), id, "arn:aws:dynamodb:us-east-1:0:table/t",
                Storage.PREFIX + "t." + id, System.currentTimeMillis(), TableDefinition.ACTIVE, keys, attrs,
                TableDefinition.PAY_PER_REQUEST, null, Throughput.ZERO, List.<IndexDefinition>of(),
                List.<IndexDefinition>of(), null, null, Map.of(), false, null, null, TableDefinition.CURRENT_LAYOUT, null, null, null, null);
        node.storage.createCache(t.cacheName());
        return t;
    }
}

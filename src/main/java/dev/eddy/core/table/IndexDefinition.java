package dev.eddy.core.table;

import java.util.List;

/** A local or global secondary index as defined on the table. */
public record IndexDefinition(String indexName, List<KeyElement> keySchema, Projection projection,
                              Throughput throughput, String status) {
    public String hashKey() {
        return keySchema.get(0).attributeName();
    }

    public String rangeKey() {
        return keySchema.size() > 1 ? keySchema.get(1).attributeName() : null;
    }
}

package dev.eddy.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Fills a table with BatchWriteItem from a few threads at once. The kill tests need tables large
 * enough for their copies and builds to be under way when a process is killed; how the table was
 * filled is not what they test, and one batch after another took most of their time.
 */
final class TableLoad {
    private static final int THREADS = 4;

    private TableLoad() {
    }

    /** Puts every item (in batches of 25, unprocessed items sent again) and returns once all are written. */
    static void put(DynamoDbClient c, String table, List<Map<String, AttributeValue>> items) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int from = 0; from < items.size(); from += 25) {
                List<WriteRequest> batch = items.subList(from, Math.min(from + 25, items.size())).stream()
                        .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                        .toList();
                sent.add(pool.submit(() -> {
                    var left = c.batchWriteItem(r -> r.requestItems(Map.of(table, batch))).unprocessedItems();
                    while (left != null && !left.isEmpty()) {
                        var again = left;
                        left = c.batchWriteItem(r -> r.requestItems(again)).unprocessedItems();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

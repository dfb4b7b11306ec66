package dev.eddy.functions.faults;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A table's whole stream as the DynamoDB Streams API serves it (DescribeStream, GetShardIterator at
 * TRIM_HORIZON, GetRecords to the end of each shard), grouped by item in the order read.
 */
final class StreamHistory {
    /** One record: its eventID, INSERT/MODIFY/REMOVE, and the write id its new image carries (null if none). */
    record Change(String eventId, String eventName, String write, boolean byTimeToLive) {
    }

    final Map<String, List<Change>> byItem = new LinkedHashMap<>();
    int records;

    static StreamHistory read(URI endpoint, DynamoDbClient dynamo, String table) {
        StreamHistory h = new StreamHistory();
        String arn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(endpoint)
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("faults", "faults")))
                .build()) {
            List<Shard> shards = new ArrayList<>();
            String after = null;
            do {
                String start = after;
                var d = streams.describeStream(r -> r.streamArn(arn).exclusiveStartShardId(start)).streamDescription();
                shards.addAll(d.shards());
                after = d.lastEvaluatedShardId();
            } while (after != null);
            for (Shard shard : shards) {
                String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                int empty = 0;
                while (iterator != null && empty < 2) {
                    String it = iterator;
                    var page = streams.getRecords(r -> r.shardIterator(it).limit(1000));
                    for (Record r : page.records()) {
                        h.add(r);
                    }
                    empty = page.records().isEmpty() ? empty + 1 : 0;
                    iterator = page.nextShardIterator();
                }
            }
        }
        return h;
    }

    private void add(Record r) {
        records++;
        var image = r.dynamodb().newImage();
        String write = image != null && image.containsKey("w") ? image.get("w").s() : null;
        byItem.computeIfAbsent(r.dynamodb().keys().get("pk").s(), k -> new ArrayList<>())
                .add(new Change(r.eventID(), r.eventNameAsString(), write, r.userIdentity() != null));
    }

    List<Change> of(String pk) {
        return byItem.getOrDefault(pk, List.of());
    }
}

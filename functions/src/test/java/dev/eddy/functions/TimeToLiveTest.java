package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Time to Live: UpdateTimeToLive / DescribeTimeToLive, expired items deleted in the background and streamed as the service's REMOVEs. */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
class TimeToLiveTest extends DynamoTestBase {

    private static Map<String, AttributeValue> item(String id, AttributeValue expires) {
        return expires == null ? Map.of("pk", AttributeValue.fromS(id))
                : Map.of("pk", AttributeValue.fromS(id), "expires", expires);
    }

    private boolean exists(String table, String id) {
        return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of("pk", AttributeValue.fromS(id))))
                .hasItem();
    }

    @Test
    void expiredItemsAreDeletedAndStreamedAsTheServicesRemoves() throws Exception {
        String table = createTable("ttl", "pk", ScalarAttributeType.S, null, null);
        assertEquals(TimeToLiveStatus.DISABLED, dynamo.describeTimeToLive(r -> r.tableName(table))
                .timeToLiveDescription().timeToLiveStatus());
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.OLD_IMAGE)));
        var enabled = dynamo.updateTimeToLive(r -> r.tableName(table)
                .timeToLiveSpecification(s -> s.enabled(true).attributeName("expires")));
        assertEquals("expires", enabled.timeToLiveSpecification().attributeName());
        assertEquals(TimeToLiveStatus.ENABLED, dynamo.describeTimeToLive(r -> r.tableName(table))
                .timeToLiveDescription().timeToLiveStatus());
        assertDynamoError("ValidationException", "TimeToLive is already enabled", () -> dynamo.updateTimeToLive(r -> r
                .tableName(table).timeToLiveSpecification(s -> s.enabled(true).attributeName("expires"))));

        long now = System.currentTimeMillis() / 1000;
        dynamo.putItem(r -> r.tableName(table).item(item("expired", AttributeValue.fromN(Long.toString(now - 10)))));
        dynamo.putItem(r -> r.tableName(table).item(item("future", AttributeValue.fromN(Long.toString(now + 3600)))));
        dynamo.putItem(r -> r.tableName(table).item(item("text", AttributeValue.fromS(Long.toString(now - 10)))));
        dynamo.putItem(r -> r.tableName(table).item(item("ancient", AttributeValue.fromN(Long.toString(now - 6L * 366 * 86400)))));
        dynamo.putItem(r -> r.tableName(table).item(item("none", null)));

        long deadline = System.currentTimeMillis() + 20_000;
        while (exists(table, "expired")) {
            if (System.currentTimeMillis() > deadline) {
                fail("expired item still there");
            }
            Thread.sleep(100);
        }
        for (String kept : List.of("future", "text", "ancient", "none")) {
            assertTrue(exists(table, kept), kept + " is not expired");
        }

        String arn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(URI.create(endpoint.toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> records = new ArrayList<>();
            long until = System.currentTimeMillis() + 20_000;
            while (records.stream().noneMatch(x -> x.eventName() == OperationType.REMOVE) && System.currentTimeMillis() < until) {
                String from = iterator;
                var page = streams.getRecords(r -> r.shardIterator(from));
                records.addAll(page.records());
                iterator = page.nextShardIterator();
                Thread.sleep(100);
            }
            Record removal = records.stream().filter(x -> x.eventName() == OperationType.REMOVE).findFirst().orElseThrow();
            assertEquals("expired", removal.dynamodb().keys().get("pk").s());
            assertEquals("Service", removal.userIdentity().type());
            assertEquals("dynamodb.amazonaws.com", removal.userIdentity().principalId());
            assertFalse(removal.dynamodb().oldImage().isEmpty());
            assertTrue(records.stream().filter(x -> x.eventName() == OperationType.INSERT)
                    .allMatch(x -> x.userIdentity() == null), "user writes carry no service identity");
        }

        dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s.enabled(false).attributeName("expires")));
        // Table settings are read through the near cache: the change shows within milliseconds, not at once.
        long settled = System.currentTimeMillis() + 5_000;
        while (dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().timeToLiveStatus()
                != TimeToLiveStatus.DISABLED && System.currentTimeMillis() < settled) {
            Thread.sleep(20);
        }
        assertEquals(TimeToLiveStatus.DISABLED, dynamo.describeTimeToLive(r -> r.tableName(table))
                .timeToLiveDescription().timeToLiveStatus());
    }
}

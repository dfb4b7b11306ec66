package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disabled stream (issue 17, item 9): described with the view type it had, its shards closed
 * (an EndingSequenceNumber, and no NextShardIterator once read to the end); an ARN that cannot be
 * a stream's is a ValidationException. A stream enabled by UpdateTable is ENABLING for a moment.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
class StreamClosingTest extends DynamoTestBase {
    private DynamoDbStreamsClient streams;

    @BeforeEach
    void connectStreams() {
        streams = DynamoDbStreamsClient.builder().endpointOverride(URI.create(endpoint.toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void closeStreams() {
        streams.close();
    }

    private String iterator(String arn, Shard shard) {
        return streams.getShardIterator(r -> r.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    @Test
    void aDisabledStreamKeepsItsViewTypeAndItsShardsEnd() throws Exception {
        String table = createTable("closing", "pk", ScalarAttributeType.S, null, null);
        String arn = enableStream(table, StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"))));
        Shard open = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0);
        long deadline = System.currentTimeMillis() + 30_000;
        GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(iterator(arn, open)));
        while (page.records().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            String next = page.nextShardIterator();
            page = streams.getRecords(r -> r.shardIterator(next));
        }
        assertEquals(1, page.records().size());
        assertNotNull(page.nextShardIterator(), "an enabled stream's shard stays open");

        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        StreamDescription disabled = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        assertEquals(StreamStatus.DISABLED, disabled.streamStatus());
        assertEquals(StreamViewType.KEYS_ONLY, disabled.streamViewType());
        Shard closed = disabled.shards().get(0);
        assertEquals(page.records().get(0).dynamodb().sequenceNumber(), closed.sequenceNumberRange().endingSequenceNumber());
        GetRecordsResponse last = streams.getRecords(r -> r.shardIterator(iterator(arn, closed)));
        assertEquals(1, last.records().size());
        assertNull(last.nextShardIterator(), "a closed shard read to its end has no next iterator");
    }

    /**
     * A stream enabled by UpdateTable is ENABLING until every writer acts on it (a writer may hold the
     * table's definition from before for up to the near cache's maximum age, and records no change
     * meanwhile); one created with its table is ENABLED at once.
     */
    @Test
    void aStreamEnabledOnATableIsEnablingUntilEveryWriterRecordsForIt() throws Exception {
        String table = createTable("enabling", "pk", ScalarAttributeType.S, null, null);
        String arn = enableStream(table, StreamViewType.NEW_IMAGE);
        long enabled = System.currentTimeMillis();
        assertEquals(StreamStatus.ENABLING, status(arn));
        long deadline = System.currentTimeMillis() + 30_000;
        StreamStatus status = StreamStatus.ENABLING;
        while (status == StreamStatus.ENABLING && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = status(arn);
        }
        assertEquals(StreamStatus.ENABLED, status);
        long age = runtimeNearCacheMaxAge();
        assertTrue(System.currentTimeMillis() - enabled >= age, "ENABLING lasts at least the near cache's maximum age ("
                + age + " ms)");

        String created = uniqueName("enabled");
        dynamo.createTable(r -> r.tableName(created).billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
        String createdArn = dynamo.describeTable(r -> r.tableName(created)).table().latestStreamArn();
        assertEquals(StreamStatus.ENABLED, status(createdArn));
    }

    /** Enables a stream on an existing table (UpdateTable); returns its ARN. */
    private String enableStream(String table, StreamViewType viewType) {
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType)));
        return dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    private StreamStatus status(String arn) {
        return streams.describeStream(r -> r.streamArn(arn)).streamDescription().streamStatus();
    }

    private static long runtimeNearCacheMaxAge() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("eddy.near-cache.max-age", java.time.Duration.class)
                .orElse(java.time.Duration.ofMillis(dev.eddy.core.StorageConfig.DEFAULT_NEAR_CACHE_MAX_AGE_MILLIS)).toMillis();
    }

    @Test
    void anArnThatCannotBeAStreamsIsAValidationError() {
        for (String bad : new String[] {"fake-stream", "arn:aws:dynamodb:us-east-1:000000000000:table/some-table"}) {
            assertDynamoError("ValidationException", "Invalid StreamArn",
                    () -> streams.describeStream(r -> r.streamArn(bad)));
            assertDynamoError("ValidationException", "Invalid StreamArn", () -> streams.getShardIterator(r -> r
                    .streamArn(bad).shardId("shardId-00000000000000000000-00000000")
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
        }
        assertDynamoError("ResourceNotFoundException", null, () -> streams.describeStream(r -> r.streamArn(
                "arn:aws:dynamodb:us-east-1:000000000000:table/no-such-table/stream/2026-01-01T00:00:00.000")));
    }
}

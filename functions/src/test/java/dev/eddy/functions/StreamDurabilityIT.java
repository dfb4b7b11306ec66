package dev.eddy.functions;

import dev.eddy.devstack.EmbeddedKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write and its record are one step: an application process is killed (SIGKILL) while eight
 * threads write through it; another process over the same Infinispan cluster and Kafka broker
 * then serves the stream, and every acknowledged write has exactly one record in it.
 */
class StreamDurabilityIT {
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static EmbeddedKafka kafka;
    private static Map<String, String> config;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        work = Files.createTempDirectory("eddy-stream-kill");
        kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
        config = Map.of("eddy.infinispan.servers", servers, "eddy.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "eddy.streams.sweep-interval", "PT0.5S", "eddy.leases.duration", "PT3S");
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        cluster.stop();
    }

    @Test
    void everyAcknowledgedWriteGetsExactlyOneRecordAfterTheWriterIsKilled() throws Exception {
        String table = "Killed";
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (AppProcess writer = AppProcess.start(work, config)) {
            try (DynamoDbClient admin = writer.client()) {
                admin.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
                admin.waiter().waitUntilTableExists(r -> r.tableName(table));
            }
            int threads = 8;
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try (DynamoDbClient c = writer.client()) {
                        for (int i = 0; running.get(); i++) {
                            // Two partitions a thread: the sweeper finishes each page the killed writer left
                            // with a Kafka consumer of its own (a second or more each on a busy machine).
                            String pk = "w" + thread + "-" + (i % 2);
                            String sk = Integer.toString(i);
                            try {
                                c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk),
                                        "sk", AttributeValue.fromN(sk))));
                                acknowledged.add(pk + "/" + sk);
                            } catch (RuntimeException killed) {
                                return null;
                            }
                        }
                    }
                    return null;
                }));
            }
            while (acknowledged.size() < 400) {
                Thread.sleep(20);
            }
            writer.kill();
            running.set(false);
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }

        try (AppProcess reader = AppProcess.start(work, config);
             DynamoDbClient c = reader.client();
             DynamoDbStreamsClient streams = streamsClient(reader.endpoint())) {
            String arn = c.describeTable(r -> r.tableName(table)).table().latestStreamArn();
            String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
            Map<String, Integer> seen = new HashMap<>();
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            long deadline = System.currentTimeMillis() + 60_000;
            long quietSince = System.currentTimeMillis();
            // Read until every acknowledged write is there and nothing more came for a few seconds.
            while (System.currentTimeMillis() < deadline
                    && (!seen.keySet().containsAll(acknowledged) || System.currentTimeMillis() - quietSince < 3000)) {
                String from = iterator;
                var page = streams.getRecords(r -> r.shardIterator(from));
                for (Record record : page.records()) {
                    Map<String, AttributeValue> keys = record.dynamodb().keys();
                    seen.merge(keys.get("pk").s() + "/" + keys.get("sk").n(), 1, Integer::sum);
                    quietSince = System.currentTimeMillis();
                }
                iterator = page.nextShardIterator();
                if (page.records().isEmpty()) {
                    Thread.sleep(200);
                }
            }
            for (String write : acknowledged) {
                assertTrue(seen.containsKey(write), "acknowledged write without a record: " + write);
            }
            seen.forEach((write, count) -> assertEquals(1, count, "records for " + write));
            System.out.printf("stream kill test: %d acknowledged writes, %d records (%d for writes in flight at the kill)%n",
                    acknowledged.size(), seen.size(), seen.size() - acknowledged.size());
        }
    }

    private static DynamoDbStreamsClient streamsClient(URI endpoint) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}

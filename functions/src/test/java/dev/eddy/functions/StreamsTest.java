package dev.eddy.functions;

import dev.eddy.core.StorageConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Change streams end to end: writes through the AWS SDK, records on a real Kafka broker, read back
 * through the SDK's DynamoDbStreamsClient and through a plain Kafka consumer.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
class StreamsTest extends DynamoTestBase {
    private DynamoDbStreamsClient streams;

    @BeforeEach
    void connectStreams() throws Exception {
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

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private String streamTable(StreamViewType viewType) {
        String table = createTable("stream", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(viewType).build()));
        return table;
    }

    private String streamArn(String table) {
        return dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    /** Reads the stream's only shard from its start until {@code count} records came, or a while passed. */
    private List<Record> records(String arn, int count) {
        StreamDescription d = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        assertEquals(1, d.shards().size());
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(d.shards().get(0).shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (out.size() < count && System.currentTimeMillis() < deadline) {
            String from = iterator;
            var page = streams.getRecords(r -> r.shardIterator(from));
            out.addAll(page.records());
            iterator = page.nextShardIterator();
            if (page.records().isEmpty()) {
                sleep(100);
            }
        }
        // Anything more would be a duplicate or a record for a write that changed nothing.
        sleep(500);
        String rest = iterator;
        out.addAll(streams.getRecords(r -> r.shardIterator(rest)).records());
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyChangeIsOneRecordWithTheImagesItsViewTypeAsks() {
        String table = streamTable(StreamViewType.NEW_AND_OLD_IMAGES);
        Map<String, AttributeValue> key = Map.of("pk", s("a"), "sk", AttributeValue.fromN("1"));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", AttributeValue.fromN("1"), "v", s("one"))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", AttributeValue.fromN("1"), "v", s("one"))));
        dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("two"))));
        dynamo.deleteItem(r -> r.tableName(table).key(key));
        dynamo.deleteItem(r -> r.tableName(table).key(key));
        String arn = streamArn(table);

        List<Record> records = records(arn, 3);
        assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE),
                records.stream().map(Record::eventName).toList(), "no record for the writes that changed nothing");
        Record insert = records.get(0);
        assertEquals("aws:dynamodb", insert.eventSource());
        assertEquals("1.1", insert.eventVersion());
        assertEquals("us-east-1", insert.awsRegion());
        assertEquals(key, insert.dynamodb().keys());
        assertEquals(s("one"), insert.dynamodb().newImage().get("v"));
        assertTrue(insert.dynamodb().oldImage().isEmpty());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, insert.dynamodb().streamViewType());
        assertEquals(s("one"), records.get(1).dynamodb().oldImage().get("v"));
        assertEquals(s("two"), records.get(1).dynamodb().newImage().get("v"));
        assertTrue(records.get(2).dynamodb().newImage().isEmpty());
        assertTrue(records.get(0).dynamodb().sequenceNumber().compareTo(records.get(1).dynamodb().sequenceNumber()) < 0);
        assertTrue(insert.dynamodb().sizeBytes() > 0);

        // AFTER_SEQUENCE_NUMBER resumes right after a record, AT_SEQUENCE_NUMBER at it.
        String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String after = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber(records.get(0).dynamodb().sequenceNumber())).shardIterator();
        assertEquals(OperationType.MODIFY, streams.getRecords(r -> r.shardIterator(after)).records().get(0).eventName());
        String at = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .sequenceNumber(records.get(2).dynamodb().sequenceNumber())).shardIterator();
        assertEquals(OperationType.REMOVE, streams.getRecords(r -> r.shardIterator(at)).records().get(0).eventName());

        // LATEST starts after what is there.
        String latest = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        assertTrue(streams.getRecords(r -> r.shardIterator(latest)).records().isEmpty());

        assertTrue(streams.listStreams(r -> r.tableName(table)).streams().stream()
                .anyMatch(st -> st.streamArn().equals(arn)));
    }

    @Test
    void keysOnlyRecordsCarryNoImagesAndTheTopicHoldsTheRecordJson() {
        String table = streamTable(StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("k"), "sk", AttributeValue.fromN("7"), "v", s("x"))));
        String arn = streamArn(table);
        Record record = records(arn, 1).get(0);
        assertTrue(record.dynamodb().newImage().isEmpty());
        assertTrue(record.dynamodb().oldImage().isEmpty());
        assertEquals(Map.of("pk", s("k"), "sk", AttributeValue.fromN("7")), record.dynamodb().keys());

        String label = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamLabel();
        String topic = "eddy.stream." + table + "." + label.replaceAll("[^0-9]", "");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + table);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertEquals(1, got.size());
            assertEquals("{\"pk\":{\"S\":\"k\"},\"sk\":{\"N\":\"7\"}}", got.get(0).key());
            assertTrue(got.get(0).value().contains("\"eventSourceARN\":\"" + arn + "\""), got.get(0).value());
            assertTrue(got.get(0).value().contains("\"StreamViewType\":\"KEYS_ONLY\""));
        }
    }

    /** Racing writers on one item: one record per acknowledged change, in the item's order. */
    @Test
    void concurrentWritesToOneItemGiveOneRecordEachInOrder() throws Exception {
        String table = streamTable(StreamViewType.NEW_IMAGE);
        Map<String, AttributeValue> key = Map.of("pk", s("counter"), "sk", AttributeValue.fromN("0"));
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("ADD n :one")
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<Record> records = records(streamArn(table), threads * perThread);
        assertEquals(threads * perThread, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(Integer.toString(i + 1), records.get(i).dynamodb().newImage().get("n").n(), "record " + i);
        }
    }

    /**
     * A record sent again long after the first time (an instance resending what it could not confirm
     * after a Kafka outage, with many records between the two) is shown once by the Streams API, however
     * far behind the first copy is: the reader looks back to the record's own write time, not a fixed
     * number of records.
     */
    @Test
    void aCopyFarBehindItsRecordIsShownOnce() throws Exception {
        String table = streamTable(StreamViewType.NEW_IMAGE);
        int others = 600;
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("first"), "sk", AttributeValue.fromN("0"))));
        String arn = streamArn(table);
        // On the topic before the others are written: records of different items may be sent in any order
        // (two completion threads; a send left to the retry pass after a failed one), so only this puts
        // every other record between the first and its copy.
        assertEquals(1, records(arn, 1).size());
        for (int b = 0; b < others; b += 25) {
            List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new ArrayList<>();
            for (int i = b; i < b + 25; i++) {
                String sk = Integer.toString(i);
                batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(put -> put
                        .item(Map.of("pk", s("other"), "sk", AttributeValue.fromN(sk)))).build());
            }
            dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
        }
        assertEquals(others + 1, records(arn, others + 1).size());

        String label = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamLabel();
        String topic = "eddy.stream." + table + "." + label.replaceAll("[^0-9]", "");
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The first write's record, found on the topic wherever it is (any partition, any offset).
        ConsumerRecord<byte[], byte[]> first = null;
        long before = 0; // records ahead of it in its partition
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 20_000;
            while (first == null && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (first == null && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("\"first\"")) {
                        first = r;
                        before = r.offset();
                    }
                }
            }
        }
        assertTrue(first != null, "the first write's record is on the topic");
        assertEquals(0, before, "the first write's record is the first on its partition, so its copy lands " + others
                + " records behind it");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            // the very record, as a resend carries it: same key, value and headers (its seal holds)
            producer.send(new ProducerRecord<>(topic, first.partition(), first.key(), first.value(), first.headers())).get();
        }
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("last"), "sk", AttributeValue.fromN("0"))));

        // Read as a consumer pages through a shard: pages of 100, so the copy's page starts far past the record.
        List<Record> records = new ArrayList<>();
        StreamDescription d = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(d.shards().get(0).shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            String from = iterator;
            var page = streams.getRecords(r -> r.shardIterator(from).limit(100));
            records.addAll(page.records());
            iterator = page.nextShardIterator();
            if (page.records().isEmpty()) {
                if (records.size() >= others + 2) {
                    break;
                }
                sleep(100);
            }
        }
        assertEquals(others + 2, records.size(), "every record once, the copy left out");
        assertEquals(1, records.stream().filter(r -> r.dynamodb().keys().get("pk").s().equals("first")).count());
        assertEquals("last", records.get(records.size() - 1).dynamodb().keys().get("pk").s());
    }

    /** With Kafka away, writes still succeed; their records follow once it is back, each once. */
    @Test
    void writesGoOnWhileKafkaIsDownAndTheirRecordsFollow() throws Exception {
        String table = streamTable(StreamViewType.NEW_IMAGE);
        String arn = streamArn(table);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("before"), "sk", AttributeValue.fromN("0"))));
        assertEquals(1, records(arn, 1).size());
        KafkaBroker.stopBroker();
        try {
            for (int i = 1; i <= 10; i++) {
                int n = i;
                dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("during"), "sk", AttributeValue.fromN(Integer.toString(n)))));
            }
        } finally {
            KafkaBroker.startBroker();
        }
        List<Record> records = records(arn, 11);
        assertEquals(11, records.size());
        for (int i = 1; i <= 10; i++) {
            assertEquals(Integer.toString(i), records.get(i).dynamodb().keys().get("sk").n());
        }
    }

    /**
     * With Kafka away, writes to many items (a page each) leave a backlog of many pages; once Kafka is
     * back every record follows, each once. Prints how long the backlog took
     * (a figure, not asserted): {@code -Ddrain.writes=3000} for a measurement.
     */
    @Test
    void aBacklogOfManyPagesDrainsOnceKafkaIsBack() throws Exception {
        String table = streamTable(StreamViewType.KEYS_ONLY);
        String arn = streamArn(table);
        int writes = Integer.getInteger("drain.writes", 300);
        KafkaBroker.stopBroker();
        long back;
        try {
            for (int i = 0; i < writes; i++) {
                int n = i;
                dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("drain-" + (n % (writes / 2))),
                        "sk", AttributeValue.fromN(Integer.toString(n / (writes / 2))))));
            }
        } finally {
            KafkaBroker.startBroker();
            back = System.nanoTime();
        }
        StreamDescription d = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(d.shards().get(0).shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> out = new ArrayList<>();
        long firstMillis = -1;
        long deadline = System.currentTimeMillis() + 180_000;
        while (out.size() < writes && System.currentTimeMillis() < deadline) {
            String from = iterator;
            var page = streams.getRecords(r -> r.shardIterator(from).limit(1000));
            out.addAll(page.records());
            iterator = page.nextShardIterator();
            if (firstMillis < 0 && !out.isEmpty()) {
                firstMillis = (System.nanoTime() - back) / 1_000_000;
            }
            if (page.records().isEmpty()) {
                sleep(50);
            }
        }
        long drainedMillis = (System.nanoTime() - back) / 1_000_000;
        System.out.println("drain: " + writes + " records of as many items written while Kafka was away, all on"
                + " the stream " + drainedMillis + " ms after the broker was started again (the first after "
                + firstMillis + " ms)");
        assertEquals(writes, out.size(), "every record");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Record r : out) {
            String key = r.dynamodb().keys().get("pk").s() + "/" + r.dynamodb().keys().get("sk").n();
            assertTrue(seen.add(key), "once: " + key);
        }
    }

    @jakarta.inject.Inject
    EddyRuntime runtime;

    /**
     * With Kafka away, steady writes to one item of a hash-only table (its one entry rewritten by
     * every write) keep the entry under a fixed size: the waiting records move to overflow entries.
     * Once Kafka is back every record follows, in order, each once.
     */
    @Test
    void aHotItemsEntryStaysBoundedWhileKafkaIsAwayAndEveryRecordFollowsInOrder() throws Exception {
        String table = createTable("hot", "pk", ScalarAttributeType.S, null, null);
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build()));
        String arn = streamArn(table);
        var definition = runtime.eddy().catalog().find(table);
        var space = dev.eddy.core.storage.CollectionSpace.of(definition);
        byte[] root = space.partition(dev.eddy.core.model.AttributeValue.s("hot"));
        int writes = 600;
        int largest = 0;
        KafkaBroker.stopBroker();
        try {
            for (int i = 1; i <= writes; i++) {
                int n = i;
                dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("hot"), "n", AttributeValue.fromN(Integer.toString(n)),
                        "pad", s("x".repeat(400)))));
                largest = Math.max(largest, runtime.eddy().storage().strong(definition.cacheName()).get(root).length);
            }
        } finally {
            KafkaBroker.startBroker();
        }
        // 600 records of ~0.6 KB wait; the entry holds at most half a page of them beside the item.
        assertTrue(largest < dev.eddy.core.StorageConfig.DEFAULT_PAGE_BYTES / 2 + 8192,
                "the hot item's entry grew to " + largest + " bytes");
        List<Record> records = records(arn, writes);
        assertEquals(writes, records.size(), "every record, once");
        for (int i = 0; i < writes; i++) {
            assertEquals(Integer.toString(i + 1), records.get(i).dynamodb().newImage().get("n").n(), "record " + i + " in order");
        }
    }

    /** A transaction's changes are streamed like single writes: one record per item it changed. */
    @Test
    void transactionsGetARecordPerItemTheyChange() {
        String table = streamTable(StreamViewType.NEW_AND_OLD_IMAGES);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("t"), "sk", AttributeValue.fromN("1"), "v", s("old"))));
        dynamo.transactWriteItems(r -> r.transactItems(
                t -> t.put(p -> p.tableName(table).item(Map.of("pk", s("t"), "sk", AttributeValue.fromN("2"), "v", s("new")))),
                t -> t.update(u -> u.tableName(table).key(Map.of("pk", s("t"), "sk", AttributeValue.fromN("1")))
                        .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("changed")))),
                t -> t.conditionCheck(c -> c.tableName(table).key(Map.of("pk", s("t"), "sk", AttributeValue.fromN("3")))
                        .conditionExpression("attribute_not_exists(v)"))));
        List<Record> records = records(streamArn(table), 3);
        assertEquals(List.of(OperationType.INSERT, OperationType.INSERT, OperationType.MODIFY),
                records.stream().map(Record::eventName).toList(), "the first put, then the transaction's two changes");
        Record modify = records.get(2);
        assertEquals(s("old"), modify.dynamodb().oldImage().get("v"));
        assertEquals(s("changed"), modify.dynamodb().newImage().get("v"));
    }

    @Test
    void streamErrors() {
        String table = streamTable(StreamViewType.NEW_IMAGE);
        String arn = streamArn(table);
        DynamoDbException missing = assertThrows(DynamoDbException.class,
                () -> streams.describeStream(r -> r.streamArn(arn + "0")));
        assertEquals("ResourceNotFoundException", missing.awsErrorDetails().errorCode());
        assertEquals(400, missing.statusCode());
        DynamoDbException badShard = assertThrows(DynamoDbException.class, () -> streams.getShardIterator(r -> r
                .streamArn(arn).shardId("shardId-00000000000000000000-00000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
        assertEquals("ResourceNotFoundException", badShard.awsErrorDetails().errorCode());
        DynamoDbException badIterator = assertThrows(DynamoDbException.class,
                () -> streams.getRecords(r -> r.shardIterator("not-an-iterator")));
        assertEquals("ValidationException", badIterator.awsErrorDetails().errorCode());
        assertFalse(streams.listStreams(r -> r.tableName(table)).streams().isEmpty());
        assertNull(streams.listStreams(r -> r.tableName(table)).lastEvaluatedStreamArn());
    }
}

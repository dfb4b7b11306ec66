package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.Eddy;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.devstack.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Streams API shows a record once even when its copy lies farther behind it than the fixed
 * look-back and the broker answers each fetch slower than the reader's poll (the fault suite's
 * scenario 3: after a 60 s outage two instances resent the same pages thousands of records apart,
 * and a look-back that stopped at its first empty poll let 29 copies through). Every fetch is made
 * to wait on the broker (fetch.min.bytes above the topic's size, fetch.max.wait.ms above the poll),
 * so a reader that takes an empty poll for the end reads nothing here. A real Infinispan node and
 * a real Kafka broker in this JVM.
 */
class StreamCopiesUnderSlowFetchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records between the first write and its copy: more than the reader's fixed look-back of 500. */
    private static final int BETWEEN = 600;
    private static EngineWithKafka stack;
    private static EmbeddedKafka kafka;
    private static Eddy eddy;

    @BeforeAll
    static void start() throws Exception {
        stack = EngineWithKafka.infrastructure("slow-fetch");
        kafka = stack.kafka;
        Map<String, String> slowFetches = Map.of(
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "400",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 * 1024));
        eddy = stack.start(servers -> new StreamConfig(servers, 1, (short) 1, 500, slowFetches));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCopyFarBehindItsRecordIsDroppedAndNothingIsMissed() throws Exception {
        run("CreateTable", "{\"TableName\":\"Copies\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                + "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"}}");
        String streamArn = run("DescribeTable", "{\"TableName\":\"Copies\"}").path("Table").path("LatestStreamArn").asText();
        put("first");
        for (int i = 0; i < BETWEEN; i++) {
            put("other-" + i);
        }
        resendFirstRecord(BETWEEN + 1);

        List<JsonNode> shown = readAll(streamArn);
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode r : shown) {
            seen.merge(r.path("dynamodb").path("NewImage").path("pk").path("S").asText(), 1, Integer::sum);
        }
        assertEquals(BETWEEN + 1, shown.size(), "records shown (one a write)");
        assertEquals(BETWEEN + 1, seen.size(), "items with a record shown");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "an item's record shown more than once: " + seen);
    }

    private static void put(String pk) throws Exception {
        run("PutItem", "{\"TableName\":\"Copies\",\"Item\":{\"pk\":{\"S\":\"" + pk + "\"}}}");
    }

    /**
     * Waits until the stream topic holds {@code published} records, then sends its first one again,
     * key, value and headers (seal included) as they are: what an instance resending a page whose
     * records Kafka had taken puts on the topic.
     */
    private static void resendFirstRecord(int published) throws Exception {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            TopicPartition tp = null;
            while (System.nanoTime() < deadline) {
                topic = consumer.listTopics(Duration.ofSeconds(5)).keySet().stream()
                        .filter(t -> t.startsWith("eddy.stream.")).findFirst().orElse(null);
                if (topic != null) {
                    tp = new TopicPartition(topic, 0);
                    if (consumer.endOffsets(List.of(tp)).get(tp) >= published) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(tp != null && consumer.endOffsets(List.of(tp)).get(tp) >= published, "records published");
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            ConsumerRecord<byte[], byte[]> first = null;
            while (first == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    first = first == null ? r : first;
                }
            }
            assertTrue(first != null, "the first record read back");
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, 0, null, first.key(), first.value(), first.headers())).get();
            }
        }
    }

    /** The shard from TRIM_HORIZON to its end, 100 records a GetRecords, as a Streams client reads it. */
    private static List<JsonNode> readAll(String streamArn) throws Exception {
        JsonNode shard = stream("DescribeStream", "{\"StreamArn\":\"" + streamArn + "\"}")
                .path("StreamDescription").path("Shards").get(0);
        String iterator = stream("GetShardIterator", "{\"StreamArn\":\"" + streamArn + "\",\"ShardId\":\""
                + shard.path("ShardId").asText() + "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}").path("ShardIterator").asText();
        List<JsonNode> out = new ArrayList<>();
        for (int empty = 0; empty < 3; ) {
            JsonNode page = stream("GetRecords", "{\"ShardIterator\":\"" + iterator + "\",\"Limit\":100}");
            assertTrue(page.has("Records"), page.toString());
            page.path("Records").forEach(out::add);
            empty = page.path("Records").isEmpty() ? empty + 1 : 0;
            iterator = page.path("NextShardIterator").asText();
        }
        return out;
    }

    private static JsonNode run(String operation, String body) throws Exception {
        return JSON.readTree(eddy.execute(operation, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode stream(String operation, String body) throws Exception {
        return JSON.readTree(eddy.executeStreams(operation, body.getBytes(StandardCharsets.UTF_8)));
    }
}

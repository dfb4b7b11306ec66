package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.Eddy;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.devstack.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function instance makes its Kafka clients when it first needs them, not at start (issue 18: the
 * producer and admin client were a quarter of the classes a start loaded): a store in the function
 * role, with Kafka configured, starts no Kafka client thread; its first write to a table with a
 * stream then makes the producer and its change record reaches the stream. A real Infinispan node
 * and a real Kafka broker in this JVM.
 */
class LazyKafkaClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EngineWithKafka stack;
    private static EmbeddedKafka kafka;
    private static Eddy eddy;
    private static Set<String> kafkaThreadsAtStart;

    @BeforeAll
    static void start() throws Exception {
        stack = EngineWithKafka.infrastructure("lazy-kafka");
        kafka = stack.kafka;
        Set<String> before = kafkaClientThreads();
        eddy = stack.start(servers -> new StreamConfig(servers, 1, (short) 1, 500));
        kafkaThreadsAtStart = kafkaClientThreads();
        kafkaThreadsAtStart.removeAll(before);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void startsNoKafkaClientAndTheFirstWritePublishesItsRecord() throws Exception {
        assertEquals(Set.of(), kafkaThreadsAtStart, "Kafka client threads the function role started with");

        run("CreateTable", "{\"TableName\":\"Lazy\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                + "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"}}");
        String streamArn = run("DescribeTable", "{\"TableName\":\"Lazy\"}").path("Table").path("LatestStreamArn").asText();
        run("PutItem", "{\"TableName\":\"Lazy\",\"Item\":{\"pk\":{\"S\":\"first\"},\"n\":{\"N\":\"1\"}}}");

        JsonNode shard = stream("DescribeStream", "{\"StreamArn\":\"" + streamArn + "\"}")
                .path("StreamDescription").path("Shards").get(0);
        String iterator = stream("GetShardIterator", "{\"StreamArn\":\"" + streamArn + "\",\"ShardId\":\""
                + shard.path("ShardId").asText() + "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}").path("ShardIterator").asText();
        JsonNode records = JSON.createArrayNode();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (records.isEmpty() && System.nanoTime() < deadline) {
            JsonNode page = stream("GetRecords", "{\"ShardIterator\":\"" + iterator + "\"}");
            records = page.path("Records");
            iterator = page.path("NextShardIterator").asText();
            if (records.isEmpty()) {
                Thread.sleep(200);
            }
        }
        assertEquals(1, records.size(), records.toString());
        assertEquals("INSERT", records.get(0).path("eventName").asText());
        assertEquals("first", records.get(0).path("dynamodb").path("NewImage").path("pk").path("S").asText());
        assertTrue(!kafkaClientThreads().isEmpty(), "the write made a Kafka producer");
    }

    private static JsonNode run(String operation, String body) throws Exception {
        return JSON.readTree(eddy.execute(operation, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode stream(String operation, String body) throws Exception {
        return JSON.readTree(eddy.executeStreams(operation, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The threads a Kafka producer, consumer or admin client runs (named by the Kafka client library). */
    private static Set<String> kafkaClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("kafka-producer-network-thread") || n.startsWith("kafka-admin-client-thread")
                        || n.startsWith("kafka-coordinator-heartbeat-thread"))
                .collect(Collectors.toSet());
    }
}

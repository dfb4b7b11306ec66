package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Every stream record on Kafka is a CloudEvent in the Kafka binding's binary mode (ce_ headers,
 * content-type), and goes to the table's changes topic too, whose name survives a new stream.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingFunction.class, restrictToAnnotatedClass = false)
class StreamCloudEventsTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void streamRecordsCarryCloudEventHeadersOnTheStreamAndTheChangesTopic() throws Exception {
        String table = createTable("ce", "pk", ScalarAttributeType.S, null, null);
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.NEW_IMAGE)));
        var described = dynamo.describeTable(r -> r.tableName(table)).table();
        String firstArn = described.latestStreamArn();
        String streamTopic = "eddy.stream." + table + "." + described.latestStreamLabel().replaceAll("[^0-9]", "");
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k1"));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k1"), "n", AttributeValue.fromN("1"))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k1"), "n", AttributeValue.fromN("2"))));
        dynamo.deleteItem(r -> r.tableName(table).key(key));

        List<ConsumerRecord<byte[], byte[]>> onStream = read(streamTopic, 3);
        assertEquals(List.of("aws.dynamodb.stream.INSERT", "aws.dynamodb.stream.MODIFY", "aws.dynamodb.stream.REMOVE"),
                onStream.stream().map(r -> header(r, "ce_type")).toList());
        for (ConsumerRecord<byte[], byte[]> r : onStream) {
            JsonNode value = JSON.readTree(r.value());
            assertEquals("1.0", header(r, "ce_specversion"));
            assertEquals(value.path("eventID").asText(), header(r, "ce_id"));
            assertEquals(firstArn, header(r, "ce_source"));
            assertEquals(JSON.readTree(r.key()), JSON.readTree(header(r, "ce_subject")));
            assertEquals("{\"pk\":{\"S\":\"k1\"}}", header(r, "ce_subject"));
            assertEquals("application/json", header(r, "content-type"));
        }

        // a new stream: a new stream topic, the same changes topic
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.KEYS_ONLY)));
        String secondArn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        assertNotEquals(firstArn, secondArn);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k2"))));
        List<ConsumerRecord<byte[], byte[]>> changes = read("eddy.changes." + table, 4);
        assertEquals(List.of(firstArn, firstArn, firstArn, secondArn), changes.stream().map(r -> header(r, "ce_source")).toList());
        assertEquals(onStream.stream().map(r -> header(r, "ce_id")).toList(),
                changes.subList(0, 3).stream().map(r -> header(r, "ce_id")).toList(), "the same records, in order");
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ce-test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertEquals(count, out.size(), "records on " + topic);
        return out;
    }
}

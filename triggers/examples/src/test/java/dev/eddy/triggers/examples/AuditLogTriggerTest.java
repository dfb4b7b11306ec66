package dev.eddy.triggers.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The audit log trigger: every change to a table, as an item of the AuditLog table in Eddy. */
@QuarkusTest
@QuarkusTestResource(value = EddyProcess.class, restrictToAnnotatedClass = false)
class AuditLogTriggerTest extends TriggerTestBase {

    @TestHTTPResource("/auditLog")
    URL auditLog;

    @Test
    void everyChangeBecomesAnAuditEntryInTheItemsOrder() throws Exception {
        TableChanges orders = ordersTable();
        trigger(orders.topic(), auditLog.toString());

        orders.put(order("c-1", "o-1", "10.50"));
        orders.update(orderKey("c-1", "o-1"), "SET #t = :t", Map.of("#t", "total"), Map.of(":t", AttributeValue.fromN("12")));
        orders.put(order("c-2", "o-7", "3"));
        orders.delete(orderKey("c-1", "o-1"));

        String item = orders.table() + " customerId=c-1, orderId=o-1";
        eventually(() -> assertEquals(3, history(item).size()));
        List<Map<String, AttributeValue>> history = history(item);
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), history.stream().map(e -> e.get("EventName").s()).toList());
        List<Long> sequences = history.stream().map(e -> Long.parseLong(e.get("Sequence").n())).toList();
        assertTrue(sequences.get(0) < sequences.get(1) && sequences.get(1) < sequences.get(2),
                "the item's records in the order of its changes: " + sequences);

        Map<String, AttributeValue> modify = history.get(1);
        assertEquals("10.5", modify.get("OldImage").m().get("total").n());
        assertEquals("12", modify.get("NewImage").m().get("total").n());
        assertEquals(List.of("total"), modify.get("ChangedAttributes").ss());
        assertEquals(orders.table(), modify.get("Table").s());
        assertFalse(modify.get("ByTimeToLive").bool());

        Map<String, AttributeValue> remove = history.get(2);
        assertTrue(remove.get("NewImage") == null && remove.get("OldImage") != null, "a removal keeps the old image only");
        eventually(() -> assertEquals(1, history(orders.table() + " customerId=c-2, orderId=o-7").size()));
    }

    @Test
    void aKafkaSourceCloudEventCarriesOneRecord() throws Exception {
        String record = """
                {"eventID":"ks-1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb",
                 "awsRegion":"us-east-1","eventSourceARN":"arn:aws:dynamodb:us-east-1:000000000000:table/Knative/stream/2026-01-01T00:00:00.000",
                 "dynamodb":{"ApproximateCreationDateTime":1763790000,"Keys":{"pk":{"S":"k-1"}},
                   "NewImage":{"pk":{"S":"k-1"},"n":{"N":"1"}},"SequenceNumber":"000000000000000000042",
                   "SizeBytes":20,"StreamViewType":"NEW_AND_OLD_IMAGES"}}""";
        // as a KafkaSource sends a Kafka record to its sink: a binary-mode CloudEvent, the record value as data
        given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-type", "dev.knative.kafka.event")
                .header("ce-source", "/apis/v1/namespaces/eddy/kafkasources/audit-log#eddy.stream.Knative.1")
                .header("ce-id", "partition:0/offset:17")
                .body(record)
                .when().post("/")
                .then().statusCode(both(greaterThanOrEqualTo(200)).and(lessThan(300)));

        List<Map<String, AttributeValue>> history = history("Knative pk=k-1");
        assertEquals(1, history.size());
        assertEquals("42", history.get(0).get("Sequence").n());
        assertEquals("2025-11-22T05:40:00Z", history.get(0).get("ChangedAt").s());
    }

    @Test
    void eddysOwnRecordOffTheChangesTopicIsACloudEventTheFunqyAppTakes() throws Exception {
        TableChanges orders = ordersTable();
        orders.put(order("c-9", "o-9", "4"));
        ConsumerRecord<byte[], byte[]> record = firstRecord("eddy.changes." + orders.table());
        // a KafkaSource sends a record that is a binary-mode CloudEvent on as one: each ce_ header as an
        // HTTP ce- header, the content type as Content-Type, the value as the body
        Map<String, String> sent = new java.util.TreeMap<>();
        for (Header h : record.headers()) {
            String value = new String(h.value(), StandardCharsets.UTF_8);
            if (h.key().startsWith("ce_")) {
                sent.put("ce-" + h.key().substring(3), value);
            } else if (h.key().equalsIgnoreCase("content-type")) {
                sent.put("Content-Type", value);
            }
        }
        assertEquals("aws.dynamodb.stream.INSERT", sent.get("ce-type"), "Eddy's record carries its event name: " + sent);
        assertEquals("application/json", sent.get("Content-Type"));
        given().headers(sent).body(record.value())
                .when().post("/")
                .then().statusCode(both(greaterThanOrEqualTo(200)).and(lessThan(300)));

        assertEquals(1, history(orders.table() + " customerId=c-9, orderId=o-9").size());
    }

    private static ConsumerRecord<byte[], byte[]> firstRecord(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EddyProcess.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-log-test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            for (int i = 0; i < 150; i++) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record on " + topic);
    }

    private List<Map<String, AttributeValue>> history(String item) {
        return dynamo.query(q -> q.tableName("AuditLog").consistentRead(true).keyConditionExpression("#i = :i")
                .expressionAttributeNames(Map.of("#i", "Item"))
                .expressionAttributeValues(Map.of(":i", AttributeValue.fromS(item)))).items();
    }
}

package dev.eddy.triggers.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The Kafka consumer example end to end: writes through Eddy's DynamoDB endpoint, Eddy's records on
 * its Kafka, read by SmallRye Reactive Messaging from the table's changes topic in each item's order,
 * a copy of a record dropped by its SequenceNumber.
 */
@QuarkusTest
@QuarkusTestResource(value = EddyProcess.class, restrictToAnnotatedClass = false)
class OrderChangesTest extends TriggerTestBase {
    @Inject
    OrderChanges changes;

    @Test
    void changesArriveInEachItemsOrderAndACopyIsDropped() throws Exception {
        if (dynamo.listTables().tableNames().contains("Orders")) {
            dynamo.deleteTable(r -> r.tableName("Orders"));
            dynamo.waiter().waitUntilTableNotExists(r -> r.tableName("Orders"));
        }
        dynamo.createTable(r -> r.tableName("Orders").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("customerId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("orderId").keyType(KeyType.RANGE).build())
                .attributeDefinitions(a -> a.attributeName("customerId").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("orderId").attributeType(ScalarAttributeType.S))
                .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName("Orders"));
        dynamo.putItem(r -> r.tableName("Orders").item(order("c-1", "o-1", "1")));
        dynamo.putItem(r -> r.tableName("Orders").item(order("c-1", "o-1", "2")));
        dynamo.putItem(r -> r.tableName("Orders").item(order("c-2", "o-2", "5")));
        dynamo.deleteItem(r -> r.tableName("Orders").key(orderKey("c-1", "o-1")));

        eventually(() -> assertEquals(3, history("o-1").size()));
        List<String> first = history("o-1");
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), first.stream().map(c -> c.split(":")[0]).toList());
        BigInteger previous = BigInteger.ZERO;
        for (String c : first) {
            BigInteger sequence = new BigInteger(c.split(":")[1]);
            assertTrue(sequence.compareTo(previous) > 0, "in order: " + first);
            previous = sequence;
        }
        eventually(() -> assertEquals(1, history("o-2").size()));

        // the producer delivers at least once: the same record again, as after a crash
        ConsumerRecord<String, String> original = firstRecord("eddy.changes.Orders");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EddyProcess.kafkaBootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("eddy.changes.Orders", original.key(), original.value())).get();
        }
        eventually(() -> assertEquals(1, changes.duplicates()));
        assertEquals(first, history("o-1"), "the copy changed nothing");
    }

    private List<String> history(String orderId) {
        return changes.history().entrySet().stream().filter(e -> e.getKey().contains("\"" + orderId + "\""))
                .map(Map.Entry::getValue).findFirst().orElse(List.of());
    }

    private static ConsumerRecord<String, String> firstRecord(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EddyProcess.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "order-changes-test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            for (int i = 0; i < 100; i++) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record on " + topic);
    }
}

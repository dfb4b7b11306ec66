package dev.eddy.triggers.examples;

import static org.junit.jupiter.api.Assertions.fail;

import dev.eddy.triggers.dispatcher.TriggerConfig;
import dev.eddy.triggers.dispatcher.TriggerDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The example triggers run here as the Quarkus app under test; a real Eddy ({@link EddyProcess})
 * holds the tables, its Kafka the change topics, and the real dispatcher calls the functions.
 */
abstract class TriggerTestBase {

    static final Duration WAIT = Duration.ofSeconds(30);

    DynamoDbClient dynamo;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void connect() {
        dynamo = EddyProcess.client();
    }

    @AfterEach
    void disconnect() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        dynamo.close();
    }

    /** A fresh orders table (customerId, orderId) with a stream: Eddy itself puts its changes on the stream's topic. */
    TableChanges ordersTable() throws Exception {
        String table = "Orders-" + UUID.randomUUID().toString().substring(0, 8);
        dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("customerId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("orderId").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("customerId").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("orderId").attributeType(ScalarAttributeType.S).build())
                .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        String label = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamLabel();
        return closing(new TableChanges(dynamo, table, "eddy.stream." + table + "." + label.replaceAll("[^0-9]", "")));
    }

    /** Starts the dispatcher on the topic, calling {@code functionUrl}, with extra settings (name, value pairs). */
    void trigger(String topic, String functionUrl, String... settings) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("topic", topic, "function-url", functionUrl,
                "function-response-types", "ReportBatchItemFailures", "maximum-batching-window-in-seconds", "0.2",
                "retry-initial-backoff", "50ms", "retry-max-backoff", "500ms"));
        for (int i = 0; i < settings.length; i += 2) {
            s.put(settings[i], settings[i + 1]);
        }
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        closing(TriggerDispatcher.start(TriggerConfig.of(name, s), EddyProcess.kafkaBootstrapServers(),
                EddyProcess.kafkaClientProperties()));
    }

    static Map<String, AttributeValue> order(String customer, String order, String total) {
        return Map.of("customerId", AttributeValue.fromS(customer), "orderId", AttributeValue.fromS(order),
                "total", AttributeValue.fromN(total));
    }

    static Map<String, AttributeValue> orderKey(String customer, String order) {
        return Map.of("customerId", AttributeValue.fromS(customer), "orderId", AttributeValue.fromS(order));
    }

    <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    /** Waits until the assertion passes (the triggers run asynchronously); fails with its last error. */
    static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}

package dev.eddy.functions.bench;

import dev.eddy.functions.BenchApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * How soon a write's effects show elsewhere, on the embedded stack: from PutItem's
 * acknowledgement to its record arriving at a Kafka consumer of the stream topic, and to the item
 * answering a Query on a global secondary index. Serial writes, so each is measured alone.
 * Run: {@code bin/bench-streams [writes]}.
 */
public final class StreamLatencyBenchmark {
    private static final String TABLE = "Lag";

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Path work = Files.createTempDirectory("eddy-bench-streams");
        System.out.printf("Starting Eddy (embedded stack, data in %s)%n", work);
        try (BenchApp app = BenchApp.start(work); DynamoDbClient c = app.client()) {
            c.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("color").attributeType(ScalarAttributeType.S))
                    .globalSecondaryIndexes(g -> g.indexName("byColor")
                            .keySchema(KeySchemaElement.builder().attributeName("color").keyType(KeyType.HASH).build())
                            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            c.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
            String label = c.describeTable(r -> r.tableName(TABLE)).table().latestStreamLabel();
            String topic = "eddy.stream." + TABLE + "." + label.replaceAll("[^0-9]", "");

            Map<String, Long> arrived = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> consume(app.kafkaBootstrapServers(), app.kafkaClientProperties(), topic,
                    arrived, running));
            consumer.start();
            // Warm-up: JIT, connections, the topic's creation.
            for (int i = 0; i < 200; i++) {
                put(c, "warm" + i, "warm");
            }
            long[] toRecord = new long[writes];
            long[] toIndex = new long[writes];
            for (int i = 0; i < writes; i++) {
                String pk = "k" + i;
                String color = "c" + i;
                long acknowledged = put(c, pk, color);
                long visible = awaitIndex(c, color);
                toIndex[i] = visible - acknowledged;
                Long at;
                while ((at = arrived.get("{\"pk\":{\"S\":\"" + pk + "\"}}")) == null) {
                    Thread.onSpinWait();
                }
                toRecord[i] = at - acknowledged;
            }
            running.set(false);
            consumer.join();
            System.out.printf("%n%-52s %10s %10s %10s%n", "after PutItem is acknowledged (" + writes + " serial writes)",
                    "p50 ms", "p99 ms", "max ms");
            report("record received by a Kafka consumer of the topic", toRecord);
            report("item answers a Query on a global secondary index", toIndex);
        }
    }

    private static long put(DynamoDbClient c, String pk, String color) {
        c.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(pk), "color", AttributeValue.fromS(color))));
        return System.nanoTime();
    }

    private static long awaitIndex(DynamoDbClient c, String color) {
        while (c.query(q -> q.tableName(TABLE).indexName("byColor").keyConditionExpression("color = :c")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(color)))).count() == 0) {
            Thread.onSpinWait();
        }
        return System.nanoTime();
    }

    private static void consume(String bootstrap, Map<String, String> security, String topic, Map<String, Long> arrived,
                                AtomicBoolean running) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                consumer.poll(Duration.ofMillis(5)).forEach(r -> arrived.putIfAbsent(r.key(), System.nanoTime()));
            }
        }
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-52s %10.2f %10.2f %10.2f%n", what, p(sorted, 50) / 1e6, p(sorted, 99) / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)];
    }
}

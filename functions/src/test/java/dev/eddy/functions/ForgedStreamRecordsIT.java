package dev.eddy.functions;

import com.sun.net.httpserver.HttpServer;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream record Eddy did not write is never served by GetRecords nor delivered to a trigger, even
 * when it comes from a Kafka client holding a credential that may produce to the stream topic (here
 * Eddy's own, so this shows the check itself, not the broker's ACLs): a forged INSERT with a
 * SequenceNumber far ahead (which, taken in, would hide the item's later real records as copies), the
 * same with a made-up seal, a real record with its value changed under its own seal, a real record
 * copied whole into another table's topic, and a value that is not even JSON.
 */
class ForgedStreamRecordsIT {
    private static final String PASSWORD = "forgery-test-secret";
    private static Path work;
    private static EmbeddedInfinispan infinispan;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("eddy-forged-records");
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(work.resolve("infinispan"), 0));
        kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, EmbeddedKafka.saslPlain(Map.of("eddy", PASSWORD)));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (infinispan != null) {
            infinispan.close();
        }
    }

    private static Properties client() {
        Properties p = new Properties();
        p.putAll(EmbeddedKafka.saslPlainClient("eddy", PASSWORD));
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    @Test
    void forgedRecordsAreNeitherServedNorDelivered() throws Exception {
        LinkedBlockingQueue<String> batches = new LinkedBlockingQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/audit", exchange -> {
            batches.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        hook.start();
        Map<String, String> properties = new HashMap<>(Map.of(
                "eddy.infinispan.servers", infinispan.hotRodAddress(),
                "eddy.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "eddy.streams.sweep-interval", "PT0.5S"));
        Map<String, String> environment = new HashMap<>();
        EmbeddedKafka.saslPlainClient("eddy", PASSWORD).forEach((k, v) ->
                environment.put("EDDY_KAFKA_CLIENT_" + k.toUpperCase().replace('.', '_'), v));
        environment.put("EDDY_TRIGGERS_AUDIT_TABLE", "Orders");
        environment.put("EDDY_TRIGGERS_AUDIT_FUNCTION_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/audit");
        properties.put("eddy.role", "all");
        try (AppProcess app = AppProcess.start(AppProcess.jar(), work, properties, environment, List.of(), "-Xmx512m");
             DynamoDbClient dynamo = app.client();
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(app.endpoint())
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("t", "t"))
                     .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            String orders = streamedTable(dynamo, "Orders");
            String other = streamedTable(dynamo, "Other");
            put(dynamo, "real-1");
            String first = batches.poll(90, TimeUnit.SECONDS);
            assertNotNull(first, "the trigger delivered the real record: " + app.output());
            assertTrue(first.contains("real-1"), first);
            assertEquals(List.of("real-1"), values(streams, dynamo, "Orders"));

            ConsumerRecord<byte[], byte[]> real = firstRecord(orders);
            Header seal = real.headers().lastHeader("eddy-seal");
            assertNotNull(seal, "Eddy seals its records");
            String value = new String(real.value(), StandardCharsets.UTF_8);
            String ahead = value.replace("real-1", "forged-1")
                    .replaceFirst("\"SequenceNumber\":\"[0-9]+\"", "\"SequenceNumber\":\"999999999999999999999\"");
            byte[] madeUp = new byte[seal.value().length];
            System.arraycopy(seal.value(), 0, madeUp, 0, 4);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client(), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                List<ProducerRecord<byte[], byte[]>> forged = new ArrayList<>();
                forged.add(new ProducerRecord<>(orders, real.key(), ahead.getBytes(StandardCharsets.UTF_8)));
                forged.add(new ProducerRecord<>(orders, null, real.key(), value.replace("real-1", "forged-2")
                        .getBytes(StandardCharsets.UTF_8), List.of(new RecordHeader("eddy-seal", madeUp))));
                forged.add(new ProducerRecord<>(orders, null, real.key(), value.replace("real-1", "forged-3")
                        .getBytes(StandardCharsets.UTF_8), List.of(seal)));
                forged.add(new ProducerRecord<>(orders, real.key(), "not json at all".getBytes(StandardCharsets.UTF_8)));
                forged.add(new ProducerRecord<>(other, null, real.key(), real.value(), List.of(seal)));
                for (ProducerRecord<byte[], byte[]> r : forged) {
                    producer.send(r).get(30, TimeUnit.SECONDS); // the broker takes them: the credential may produce
                }
            }
            put(dynamo, "real-2");
            List<String> delivered = new ArrayList<>(List.of(first));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (delivered.stream().noneMatch(b -> b.contains("real-2")) && System.nanoTime() < deadline) {
                String b = batches.poll(1, TimeUnit.SECONDS);
                if (b != null) {
                    delivered.add(b);
                }
            }
            assertTrue(delivered.stream().anyMatch(b -> b.contains("real-2")),
                    "the item's next real record still reaches the trigger: " + delivered + app.output());
            Thread.sleep(1_000);
            batches.drainTo(delivered);
            for (String b : delivered) {
                assertFalse(b.contains("forged") || b.contains("not json"), "delivered: " + b);
            }
            assertEquals(List.of("real-1", "real-2"), values(streams, dynamo, "Orders"));
            assertEquals(List.of(), values(streams, dynamo, "Other"), "a record copied from another table's topic");
        } finally {
            hook.stop(0);
        }
    }

    private static String streamedTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return StreamTopics.topic(name, dynamo.describeTable(r -> r.tableName(name)).table().latestStreamLabel());
    }

    private static void put(DynamoDbClient dynamo, String value) {
        dynamo.putItem(r -> r.tableName("Orders").item(Map.of("pk", AttributeValue.fromS("order"),
                "v", AttributeValue.fromS(value))));
    }

    /** The v of every record GetRecords serves on the table's stream, from its first. */
    private static List<String> values(DynamoDbStreamsClient streams, DynamoDbClient dynamo, String table) {
        String arn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 5 && iterator != null; i++) {
            String at = iterator;
            var page = streams.getRecords(r -> r.shardIterator(at));
            for (Record r : page.records()) {
                out.add(r.dynamodb().newImage().get("v").s());
            }
            iterator = page.nextShardIterator();
        }
        return out;
    }

    private static ConsumerRecord<byte[], byte[]> firstRecord(String topic) {
        Properties p = client();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            for (int i = 0; i < 50; i++) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record on " + topic);
    }
}

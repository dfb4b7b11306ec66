package dev.eddy.local;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local app's embedded Hot Rod and Kafka ports refuse clients without Eddy's own passwords (made
 * on the first start, kept in the data folder for its owner alone, the same after a restart), while
 * a user of the app does everything through Eddy as before: tables, items, stream records.
 */
class InternalPortsIT {

    @Test
    void thePortsRefuseClientsWithoutEddysPasswordsAndEddyWorksThroughThem() throws Exception {
        Path work = Files.createTempDirectory("eddy-internal-ports");
        Path data = work.resolve("data");
        Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", data.toString());
        String hotRod = "127.0.0.1:" + config.get("eddy.embedded.hotrod-port");
        String kafka = "127.0.0.1:" + config.get("eddy.embedded.kafka-port");
        Path credentials = data.resolve("internal-credentials.properties");
        String first;
        try (LocalApp app = LocalApp.start(work, config)) {
            assertTrue(app.output().contains("kept in " + credentials.toAbsolutePath().normalize()), app.output());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            first = Files.readString(credentials);
            Properties secrets = load(credentials);

            assertRefused(hotRodClient(hotRod, null, null));
            assertRefused(hotRodClient(hotRod, "eddy", "not-the-password"));
            try (RemoteCacheManager eddysOwn = new RemoteCacheManager(hotRodClient(hotRod, "eddy",
                    secrets.getProperty("hotrod.password")).build())) {
                assertTrue(eddysOwn.getCacheNames().contains("eddy.catalog"), "the password in the file opens the port");
            }

            assertProduceRefused(kafka, Map.of());
            assertProduceRefused(kafka, Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"eddy\" password=\"guessed\";"));

            everythingWorksThroughEddy(app, "Ports");
        }
        try (LocalApp again = LocalApp.start(work, config); DynamoDbClient dynamo = again.client()) {
            assertEquals(first, Files.readString(credentials), "made once, kept across restarts");
            assertEquals("kept", dynamo.getItem(r -> r.tableName("Ports").consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("a")))).item().get("v").s());
            assertRefused(hotRodClient(hotRod, null, null));
        }
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static ConfigurationBuilder hotRodClient(String address, String user, String password) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.addServers(address).connectionTimeout(2_000).socketTimeout(5_000).maxRetries(0);
        if (user != null) {
            b.security().authentication().enable().username(user).password(password).saslMechanism("SCRAM-SHA-512");
        }
        return b;
    }

    /** A client that cannot list the caches, let alone read or write them. */
    private static void assertRefused(ConfigurationBuilder client) {
        assertThrows(RuntimeException.class, () -> {
            try (RemoteCacheManager manager = new RemoteCacheManager(client.build())) {
                manager.getCacheNames();
            }
        });
    }

    private static void assertProduceRefused(String bootstrap, Map<String, String> security) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 4_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // Any topic: an anonymous producer never learns the cluster's metadata.
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
                    "eddy.stream.Ports.1", "k".getBytes(), "forged".getBytes())).get(20, TimeUnit.SECONDS));
            assertNotEquals(null, e.getCause());
        } catch (RuntimeException refusedEarlier) {
            // a producer whose authentication failed may refuse at send() already: refused all the same
        }
    }

    private static void everythingWorksThroughEddy(LocalApp app, String table) throws Exception {
        try (DynamoDbClient dynamo = app.client();
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(app.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            dynamo.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"),
                    "v", AttributeValue.fromS("kept"))));
            assertEquals(1, dynamo.scan(r -> r.tableName(table)).count());
            String arn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
            String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<software.amazon.awssdk.services.dynamodb.model.Record> records = List.of();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = streams.getRecords(r -> r.shardIterator(iterator)).records();
                if (records.isEmpty()) {
                    Thread.sleep(250);
                }
            }
            assertEquals(1, records.size(), "the change record went through the authenticated broker: " + app.output());
            assertEquals("kept", records.get(0).dynamodb().newImage().get("v").s());
        }
    }
}

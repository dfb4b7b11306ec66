package dev.eddy.functions;

import com.sun.net.httpserver.HttpServer;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.devstack.HotRodUsers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged function connects to clusters secured as in production: an Infinispan node whose Hot
 * Rod endpoint requires SCRAM-SHA-512 authentication and TLS, and a Kafka broker that requires
 * SASL/PLAIN. Credentials and the trust store come from {@code eddy.infinispan.*}; the Kafka client
 * properties from {@code eddy.kafka.client.*} and {@code EDDY_KAFKA_CLIENT_*}, applied to the stream
 * publisher and reader and to the trigger dispatcher (a trigger set by {@code EDDY_TRIGGERS_*}).
 */
class SecuredClustersIT {
    private static final String KAFKA_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"eddy\" password=\"kafka-secret\";";
    private static Path work;
    private static EmbeddedInfinispan infinispan;
    private static EmbeddedKafka kafka;
    private static Path trustStore;

    @BeforeAll
    static void startSecuredClusters() throws Exception {
        work = Files.createTempDirectory("eddy-secured");
        Path keyStore = work.resolve("server.p12");
        trustStore = work.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "hotrod", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-alias", "hotrod", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", work.resolve("server.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "hotrod", "-file", work.resolve("server.crt").toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(work.resolve("infinispan"), 0)
                .secured(new HotRodUsers(Map.of("eddy", "hotrod-secret"), keyStore, "changeit")));
        kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, EmbeddedKafka.saslPlain(Map.of("eddy", "kafka-secret")));
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

    @Test
    void theClustersRefuseClientsWithoutCredentials() {
        ConfigurationBuilder anonymous = new ConfigurationBuilder();
        anonymous.addServers(infinispan.hotRodAddress()).connectionTimeout(2_000).maxRetries(0);
        anonymous.security().ssl().enable().trustStoreFileName(trustStore.toString())
                .trustStorePassword("changeit".toCharArray()).trustStoreType("PKCS12");
        assertThrows(RuntimeException.class, () -> {
            try (RemoteCacheManager manager = new RemoteCacheManager(anonymous.build())) {
                manager.getCacheNames();
            }
        });
        Properties plain = new Properties();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(plain)) {
            assertThrows(Exception.class, () -> admin.listTopics().names().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void eddyServesWritesStreamsAndTriggersOverTheSecuredClusters() throws Exception {
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
                "eddy.role", "all",
                "eddy.infinispan.servers", infinispan.hotRodAddress(),
                "eddy.infinispan.username", "eddy",
                "eddy.infinispan.password", "hotrod-secret",
                "eddy.infinispan.tls.enabled", "true",
                "eddy.infinispan.tls.trust-store", trustStore.toString(),
                "eddy.infinispan.tls.trust-store-password", "changeit",
                "eddy.infinispan.tls.trust-store-type", "PKCS12",
                "eddy.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "eddy.kafka.client.security.protocol", "SASL_PLAINTEXT"));
        Map<String, String> environment = Map.of(
                "EDDY_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN",
                "EDDY_KAFKA_CLIENT_SASL_JAAS_CONFIG", KAFKA_JAAS,
                "EDDY_TRIGGERS_AUDIT_TABLE", "Secured",
                "EDDY_TRIGGERS_AUDIT_FUNCTION_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/audit");
        try (AppProcess app = AppProcess.start(AppProcess.jar(), work, properties, environment, List.of(), "-Xmx512m");
             DynamoDbClient dynamo = app.client();
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(app.endpoint())
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("t", "t"))
                     .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            assertTrue(app.output().contains("Hot Rod as eddy (SCRAM-SHA-512) over TLS"), app.output());
            dynamo.createTable(b -> b.tableName("Secured").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName("Secured"));
            dynamo.putItem(r -> r.tableName("Secured").item(Map.of("pk", AttributeValue.fromS("k"),
                    "v", AttributeValue.fromS("over TLS"))));
            assertEquals("over TLS", dynamo.getItem(r -> r.tableName("Secured").consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("k")))).item().get("v").s());

            // the record reached the SASL broker (publisher) and is read back (the Streams API's reader)
            String arn = dynamo.describeTable(r -> r.tableName("Secured")).table().latestStreamArn();
            String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int records = 0;
            while (records == 0 && System.nanoTime() < deadline) {
                var page = streams.getRecords(r -> r.shardIterator(iterator));
                records = page.records().size();
                if (records == 0) {
                    Thread.sleep(250);
                }
            }
            assertEquals(1, records, "the change record, through the SASL broker");

            // the trigger (set by environment variables) read it over SASL and delivered it
            String batch = batches.poll(90, TimeUnit.SECONDS);
            assertNotNull(batch, "the trigger delivered the record: " + app.output());
            assertTrue(batch.contains("over TLS"), batch);
        } finally {
            hook.stop(0);
        }
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", arguments) + ": " + out);
    }
}

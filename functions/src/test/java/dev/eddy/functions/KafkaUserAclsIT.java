package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * The deployment's Kafka authorization, enforced by a real broker: a KRaft broker with SCRAM-SHA-512
 * users (as Strimzi's KafkaUsers are), KRaft's ACL authorizer refusing whatever no ACL allows, and the
 * ACLs of {@code k8s/32-kafka-users.yaml} read from the manifest ({@link DeploymentKafkaAcls}), so a
 * change to the manifest is tested as it stands. The packaged function runs every role as user
 * {@code eddy}; each Kafka resource Eddy touches must work with that user's ACLs alone:
 * <ul>
 *   <li>stream topics {@code eddy.stream.<table>.<label>}: created with the stream, written by the
 *       idempotent publisher, read back by GetRecords and by the publisher's copy check, deleted after
 *       the table's retention;</li>
 *   <li>changes topics {@code eddy.changes.<table>}: created and written beside every stream topic;</li>
 *   <li>consumer groups: a configured trigger's {@code eddy-trigger-<name>} and an event source
 *       mapping's {@code eddy-esm-<UUID>} (commits, offsets);</li>
 *   <li>dead-letter topics ({@code eddy.triggers.*}): created and written by an idempotent producer;</li>
 *   <li>the cluster: topic and log-dir descriptions (the readiness check, waiting for leaders).</li>
 * </ul>
 * Eddy uses no transactional producer, so no transactional id. Then the other users: {@code eddy-triggers}
 * (Knative's KafkaSource and KafkaSink) reads stream and changes topics in its groups and writes dead
 * letters but is refused a write to a stream topic; an unknown user is refused at authentication; a
 * user with no ACLs reads nothing.
 */
class KafkaUserAclsIT {
    private static final String ADMIN = "admin";
    /** A SCRAM user the manifests give no ACLs. */
    private static final String NO_ACLS = "no-acls";
    private static final String EDDY = "eddy";
    private static final String TRIGGERS = "eddy-triggers";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Path work;
    private static EmbeddedInfinispan infinispan;
    private static EmbeddedKafka kafka;
    private static DeploymentKafkaAcls acls;
    private static final Map<String, String> passwords = new HashMap<>();

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        acls = DeploymentKafkaAcls.read();
        assertTrue(acls.users().keySet().containsAll(Set.of(EDDY, TRIGGERS)), "KafkaUsers: " + acls.users().keySet());
        work = Files.createTempDirectory("eddy-kafka-acls");
        passwords.put(ADMIN, UUID.randomUUID().toString());
        Set<String> superUsers = new HashSet<>(acls.superUsers());
        superUsers.add(ADMIN); // stands for Strimzi's operators, super users of their cluster
        Map<String, String> broker = new HashMap<>(EmbeddedKafka.saslPlainAndScram(Map.of(ADMIN, passwords.get(ADMIN))));
        broker.putAll(EmbeddedKafka.aclAuthorizer(superUsers));
        kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, broker);
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(work.resolve("infinispan"), 0));

        // What Strimzi's User Operator does with the KafkaUsers: SCRAM credentials, then their ACLs.
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        List<String> scramUsers = new ArrayList<>(acls.users().keySet());
        scramUsers.add(NO_ACLS);
        for (String user : scramUsers) {
            passwords.put(user, UUID.randomUUID().toString());
            credentials.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwords.get(user)));
        }
        try (Admin admin = Admin.create(admin())) {
            admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls.all()).all().get(30, TimeUnit.SECONDS);
            // the broker answers DescribeAcls from its own authorizer: once it lists them all, it enforces them
            await("the broker has the manifest's ACLs", () -> {
                try {
                    return admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls.all());
                } catch (Exception e) {
                    return false;
                }
            });
            for (String user : scramUsers) {
                await("the broker knows SCRAM user " + user, () -> authenticates(user, passwords.get(user)));
            }
        }
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
    void eddyWorksWithTheAclsOfItsKafkaUser() throws Exception {
        LinkedBlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> failedCalls = new LinkedBlockingQueue<>();
        HttpServer functions = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        functions.createContext("/audit", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 200);
        });
        functions.createContext("/failing", exchange -> {
            failedCalls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 500);
        });
        functions.start();
        String functionsUrl = "http://127.0.0.1:" + functions.getAddress().getPort();
        Map<String, String> properties = new HashMap<>(Map.of(
                "eddy.role", "all",
                "eddy.infinispan.servers", infinispan.hotRodAddress(),
                "eddy.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "eddy.streams.sweep-interval", "PT0.5S",
                "eddy.streams.retention-after-disable", "PT1S",
                "eddy.ttl.sweep-interval", "PT0.5S",
                "eddy.leases.duration", "PT3S"));
        Map<String, String> environment = new HashMap<>();
        // the deployment's way (k8s/40-eddy-settings.yaml): EDDY_KAFKA_CLIENT_*, SCRAM-SHA-512 as user eddy
        EmbeddedKafka.scramClient(EDDY, passwords.get(EDDY)).forEach((k, v) ->
                environment.put("EDDY_KAFKA_CLIENT_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
        environment.put("EDDY_TRIGGERS_AUDIT_TABLE", "Orders");
        environment.put("EDDY_TRIGGERS_AUDIT_FUNCTION_URL", functionsUrl + "/audit");
        try (AppProcess app = AppProcess.start(AppProcess.jar(), work, properties, environment, List.of(), "-Xmx512m");
             DynamoDbClient dynamo = app.client();
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(app.endpoint())
                     .region(Region.US_EAST_1).credentialsProvider(anyKey())
                     .httpClient(UrlConnectionHttpClient.create()).build();
             LambdaClient lambda = LambdaClient.builder().endpointOverride(app.endpoint())
                     .region(Region.US_EAST_1).credentialsProvider(anyKey())
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            // readiness: Kafka's cluster description, as user eddy
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    app.endpoint().resolve("/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());

            // a stream: its topic and the table's changes topic, created by Eddy
            dynamo.createTable(b -> b.tableName("Orders").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName("Orders"));
            var table = dynamo.describeTable(r -> r.tableName("Orders")).table();
            String streamTopic = StreamTopics.topic("Orders", table.latestStreamLabel());
            String changesTopic = StreamTopics.changesTopicOf("Orders");

            // an event source mapping (group eddy-esm-<UUID>) whose function fails: its records go to
            // the mapping's dead-letter topic
            String deadLetters = "eddy.triggers.orders-failures";
            lambda.createEventSourceMapping(r -> r.eventSourceArn(table.latestStreamArn())
                    .functionName(functionsUrl + "/failing").startingPosition(EventSourcePosition.TRIM_HORIZON)
                    .maximumRetryAttempts(0)
                    .destinationConfig(d -> d.onFailure(f -> f.destination("kafka://" + deadLetters))));

            List<String> written = List.of("order-1", "order-2", "order-3");
            for (String pk : written) {
                dynamo.putItem(r -> r.tableName("Orders").item(Map.of("pk", AttributeValue.fromS(pk),
                        "v", AttributeValue.fromS("value of " + pk))));
            }

            // GetRecords serves them, read back from the stream topic as user eddy (each item's records
            // in order; different items' in any)
            assertEquals(written, getRecords(streams, table.latestStreamArn(), written.size()).stream().sorted().toList(),
                    "GetRecords: " + app.output());
            // both topics hold every record (read here as the broker's admin)
            assertEquals(written.size(), records(admin(), streamTopic, written.size()).size());
            assertEquals(written.size(), records(admin(), changesTopic, written.size()).size(),
                    "the changes topic: " + app.output());
            // the configured trigger, in its group, delivered them all
            await("the trigger delivered every record", () -> written.stream().allMatch(pk ->
                    delivered.stream().anyMatch(batch -> batch.contains(pk))));
            // the mapping, in its group, called its function and wrote what failed to its dead-letter topic
            assertNotNull(failedCalls.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the mapping called: " + app.output());
            List<ConsumerRecord<String, String>> given = records(admin(), deadLetters, written.size());
            assertEquals(written.size(), given.size(), "dead letters: " + app.output());

            // the stream's topic goes after its retention once the table is deleted
            dynamo.deleteTable(r -> r.tableName("Orders"));
            await("the deleted table's stream topic is deleted", () -> !topics().contains(streamTopic));

            String output = app.output();
            assertFalse(output.contains("AuthorizationException") || output.contains("Not authorized"),
                    "Eddy was refused something:\n" + output);
        } finally {
            functions.stop(0);
        }
    }

    @Test
    void theTriggersUserReadsStreamsAndWritesDeadLettersButCannotWriteAStream() throws Exception {
        String stream = StreamTopics.topic("Triggers", "20260101000000000");
        String changes = StreamTopics.changesTopicOf("Triggers");
        String deadLetters = "eddy.triggers.dead-letters"; // k8s/33-kafka-topics.yaml
        writeAsAdmin(stream, changes, deadLetters);

        // what Knative's KafkaSource does: subscribe in a group eddy-trigger-<source> and commit
        Properties source = client(TRIGGERS);
        source.put(ConsumerConfig.GROUP_ID_CONFIG, "eddy-trigger-audit-log");
        source.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        source.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        for (String topic : List.of(stream, changes)) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(source, new StringDeserializer(),
                    new StringDeserializer())) {
                c.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> read = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(200)).forEach(read::add);
                }
                assertEquals(1, read.size(), topic);
                c.commitSync();
            }
        }
        // what its KafkaSink does: write dead letters
        try (KafkaProducer<String, String> p = producer(TRIGGERS)) {
            p.send(new ProducerRecord<>(deadLetters, "k", "given up")).get(30, TimeUnit.SECONDS);
            for (String topic : List.of(stream, changes)) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> p.send(new ProducerRecord<>(topic, "k", "forged")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), topic);
            }
        }
    }

    @Test
    void anUnknownUserIsRefused() {
        for (Map.Entry<String, String> credential : Map.of("stranger", "any password", EDDY, "not eddy's").entrySet()) {
            Properties p = base();
            p.putAll(EmbeddedKafka.scramClient(credential.getKey(), credential.getValue()));
            try (Admin admin = Admin.create(p)) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, refused.getCause(), credential.getKey());
            }
        }
    }

    @Test
    void aUserWithoutAclsCannotRead() throws Exception {
        String stream = StreamTopics.topic("NoAcls", "20260101000000000");
        String changes = StreamTopics.changesTopicOf("NoAcls");
        writeAsAdmin(stream, changes);
        for (String topic : List.of(stream, changes)) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(client(NO_ACLS), new StringDeserializer(),
                    new StringDeserializer())) {
                TopicPartition tp = new TopicPartition(topic, 0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                assertThrows(TopicAuthorizationException.class, () -> c.poll(Duration.ofSeconds(10)), topic);
            }
        }
    }

    private static void writeAsAdmin(String... topics) throws Exception {
        try (Admin admin = Admin.create(admin())) {
            List<NewTopic> created = new ArrayList<>();
            for (String t : topics) {
                created.add(new NewTopic(t, 1, (short) 1));
            }
            admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        }
        Properties p = admin();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String t : topics) {
                producer.send(new ProducerRecord<>(t, "k", "written by the admin")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The v of every record GetRecords serves on the stream's first shard, waiting for {@code expected}. */
    private static List<String> getRecords(DynamoDbStreamsClient streams, String arn, int expected) throws Exception {
        String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < expected && iterator != null && System.nanoTime() < deadline) {
            String at = iterator;
            var page = streams.getRecords(r -> r.shardIterator(at));
            for (Record r : page.records()) {
                out.add(r.dynamodb().newImage().get("pk").s());
            }
            iterator = page.nextShardIterator();
            if (page.records().isEmpty()) {
                Thread.sleep(200);
            }
        }
        return out;
    }

    /** The records of a topic's partitions from the start, as this client, once {@code expected} are there (or time is up). */
    private static List<ConsumerRecord<String, String>> records(Properties client, String topic, int expected) {
        client.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static Set<String> topics() {
        try (Admin admin = Admin.create(admin())) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean authenticates(String user, String password) {
        Properties p = base();
        p.putAll(EmbeddedKafka.scramClient(user, password));
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static KafkaProducer<String, String> producer(String user) {
        Properties p = client(user);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static Properties client(String user) {
        Properties p = base();
        p.putAll(EmbeddedKafka.scramClient(user, passwords.get(user)));
        return p;
    }

    /** The broker's super user (PLAIN), as Strimzi's operators are. */
    private static Properties admin() {
        Properties p = base();
        p.putAll(EmbeddedKafka.saslPlainClient(ADMIN, passwords.get(ADMIN)));
        return p;
    }

    private static Properties base() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    private static StaticCredentialsProvider anyKey() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status) throws java.io.IOException {
        byte[] body = (status == 200 ? "{}" : "{\"errorMessage\":\"failing on purpose\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}

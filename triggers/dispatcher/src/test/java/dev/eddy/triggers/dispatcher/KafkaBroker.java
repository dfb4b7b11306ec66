package dev.eddy.triggers.dispatcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * One real Kafka broker for all the dispatcher tests (and the benchmark) in this JVM: a KRaft node
 * that is broker and controller at once, started in-process from Kafka's own server classes (the
 * approach of the application's embedded dev stack), in a temporary folder removed at exit.
 */
final class KafkaBroker {

    private static String bootstrapServers;

    private KafkaBroker() {
    }

    static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            try {
                bootstrapServers = start(Files.createTempDirectory("eddy-trigger-kafka"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test broker", e);
            }
        }
        return bootstrapServers;
    }

    private static String start(Path dir) throws Exception {
        int clientPort = freePort();
        int controllerPort = freePort();
        Map<String, String> settings = new HashMap<>(Map.of(
                "node.id", "1",
                "process.roles", "broker,controller",
                "controller.quorum.voters", "1@127.0.0.1:" + controllerPort,
                "controller.listener.names", "CONTROLLER",
                "listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "log.dirs", dir.toString(),
                "auto.create.topics.enable", "false",
                "group.initial.rebalance.delay.ms", "0"));
        // one node: every internal topic has a single replica
        for (String internal : List.of("offsets.topic", "transaction.state.log", "share.coordinator.state.topic")) {
            settings.put(internal + ".replication.factor", "1");
            settings.put(internal + ".num.partitions", "1");
        }
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        Properties properties = new Properties();
        properties.putAll(settings);

        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        new Formatter().setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                .setNodeId(1).setClusterId(Uuid.randomUuid().toString()).setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dir.toString()).addDirectory(dir.toString()).run();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        server.startup();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            deleteTree(dir);
        }));
        return "127.0.0.1:" + clientPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Creates a topic, ready to be written to. */
    static void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            KafkaTopics.create(admin, topic, partitions, Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
    }

    /** The offsets a consumer group has committed. */
    static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a topic from the beginning until {@code expected} records are there (or the time is up). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}

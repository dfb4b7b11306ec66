package dev.eddy.functions.faults;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * One node of the fault suite's Kafka cluster, as a process of its own: a KRaft node that is both
 * broker and controller (a static quorum of every node), with the production classes that
 * {@code kafka-storage.sh format} and {@code kafka-server-start.sh} run. Every topic is kept on 3
 * brokers and a write needs 2 of them, as the Strimzi cluster in {@code k8s/31-kafka.yaml} has it.
 * SIGTERM is a controlled shutdown; SIGKILL leaves the log to be recovered on the next start.
 *
 * <p>Arguments: nodeId dataDir clusterId brokerPort,brokerPort,... controllerPort,controllerPort,...
 * (node n listens on the n-th of each list, counting from 1)
 */
public final class KafkaServer {
    public static void main(String[] args) throws Exception {
        int nodeId = Integer.parseInt(args[0]);
        Path logDir = Path.of(args[1]).toAbsolutePath();
        String clusterId = args[2];
        String[] brokerPorts = args[3].split(",");
        String[] controllerPorts = args[4].split(",");
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < controllerPorts.length; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        String broker = "127.0.0.1:" + brokerPorts[nodeId - 1];
        String controller = "127.0.0.1:" + controllerPorts[nodeId - 1];
        Properties p = new Properties();
        p.put("node.id", Integer.toString(nodeId));
        p.put("process.roles", "broker,controller");
        p.put("controller.quorum.voters", String.join(",", voters));
        p.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        p.put("advertised.listeners", "PLAINTEXT://" + broker);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // k8s/31-kafka.yaml: every topic on 3 brokers, a write acknowledged by 2
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A killed node re-registers within seconds rather than after the default 9 s session.
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "3000");
        // small footprint: three of these share a 2-core machine with the rest of the cluster
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("group.coordinator.threads", "1");
        p.put("share.coordinator.threads", "1");

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            Files.createDirectories(logDir);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                new Formatter().setPrintStream(ps).setNodeId(nodeId).setClusterId(clusterId)
                        .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(logDir.toString())
                        .addDirectory(logDir.toString()).run();
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "controlled-shutdown"));
        server.startup();
        System.out.println("READY kafka " + nodeId + " " + broker);
    }
}

package dev.eddy.triggers.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creating a topic that is ready to be written to. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * Creates the topic unless it exists, then waits until every partition has a leader that
     * hosts its log. Writing earlier is not safe with the 4.1 client and a KRaft broker: an
     * idempotent producer whose first send meets NOT_LEADER_OR_FOLLOWER can then retry
     * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout.
     */
    public static void create(Admin admin, String topic, int partitions, Duration timeout)
            throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready(admin, topic)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " is not ready for writes after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private static boolean ready(Admin admin, String topic) throws InterruptedException, ExecutionException {
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false; // created, not yet known to the broker that answered
            }
            throw e;
        }
        List<TopicPartitionReplica> leaders = new ArrayList<>();
        for (TopicPartitionInfo p : description.partitions()) {
            if (p.leader() == null || p.leader().isEmpty()) {
                return false;
            }
            leaders.add(new TopicPartitionReplica(topic, p.partition(), p.leader().id()));
        }
        return admin.describeReplicaLogDirs(leaders).all().get().values().stream()
                .allMatch(dir -> dir.getCurrentReplicaLogDir() != null);
    }
}

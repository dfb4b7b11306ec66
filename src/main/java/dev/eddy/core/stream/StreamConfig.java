package dev.eddy.core.stream;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where change records go.
 *
 * @param bootstrapServers Kafka; null keeps no records (tables can still enable streams, but
 *                         nothing is recorded: the process says so at startup)
 * @param partitions       partitions (= shards) of each stream topic
 * @param replication      replication factor of stream topics
 * @param sweepMillis      how often change records that could not be carried out are retried, and
 *                         how often the maintenance role looks for processes that died or ended
 * @param clientProperties Kafka client properties for every producer, consumer and admin client
 *                         (security.protocol, sasl.*, ssl.*, ...)
 * @param minInsyncReplicas {@code min.insync.replicas} of each new stream topic, or 0 for the broker's
 *                         default
 * @param changesTopics    whether each record also goes to its table's changes topic, whose name never
 *                         changes ({@link StreamTopics#changesTopic})
 */
public record StreamConfig(String bootstrapServers, int partitions, short replication, long sweepMillis,
                           Map<String, String> clientProperties, int minInsyncReplicas, boolean changesTopics) {
    public StreamConfig {
        clientProperties = Map.copyOf(clientProperties);
    }

    public StreamConfig(String bootstrapServers, int partitions, short replication, long sweepMillis,
                        Map<String, String> clientProperties) {
        this(bootstrapServers, partitions, replication, sweepMillis, clientProperties, 0, true);
    }

    public StreamConfig(String bootstrapServers, int partitions, short replication, long sweepMillis) {
        this(bootstrapServers, partitions, replication, sweepMillis, Map.of());
    }

    public static StreamConfig none() {
        return new StreamConfig(null, 1, (short) 1, 5000);
    }

    /**
     * The properties every Kafka client Eddy makes starts from: the bootstrap servers and the
     * configured client properties. Each client then sets what its own work depends on.
     */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}

package dev.eddy.triggers.dispatcher;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where a trigger's Kafka is and how to reach it: the bootstrap servers and the client properties
 * (security.protocol, sasl.*, ssl.*, ...) every consumer, producer and admin client starts from.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {
    public KafkaConnection {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** A fresh set of properties for one client, which then sets what its own work depends on. */
    Properties properties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}

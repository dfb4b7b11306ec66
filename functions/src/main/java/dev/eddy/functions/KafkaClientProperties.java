package dev.eddy.functions;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Kafka client properties for every producer, consumer and admin client Eddy makes (the stream
 * publisher and reader, the trigger dispatcher): {@code eddy.kafka.client.<property>}
 * ({@code eddy.kafka.client.security.protocol=SASL_SSL}) or, from the environment,
 * {@code EDDY_KAFKA_CLIENT_<PROPERTY>} with dots as underscores ({@code EDDY_KAFKA_CLIENT_SASL_JAAS_CONFIG}).
 * Where both name one property, the source Quarkus ranks higher wins (system property, then the
 * environment, then application.properties).
 */
final class KafkaClientProperties {
    static final String PREFIX = "eddy.kafka.client.";
    static final String ENV_PREFIX = "EDDY_KAFKA_CLIENT_";

    private KafkaClientProperties() {
    }

    static Map<String, String> from(Config config) {
        Map<String, ConfigValue> chosen = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            String property;
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !TriggerProperties.fromEnvironment(config, name)) {
                property = name.substring(PREFIX.length());
            } else if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                property = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            } else {
                continue;
            }
            ConfigValue value = config.getConfigValue(name);
            if (value.getValue() == null) {
                continue;
            }
            chosen.merge(property, value, (a, b) -> a.getSourceOrdinal() >= b.getSourceOrdinal() ? a : b);
        }
        Map<String, String> properties = new TreeMap<>();
        chosen.forEach((property, value) -> properties.put(property, value.getValue()));
        return properties;
    }
}

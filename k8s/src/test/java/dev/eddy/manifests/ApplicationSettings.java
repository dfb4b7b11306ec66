package dev.eddy.manifests;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings each image reads, by their configuration property names, and how a manifest may set
 * them: as environment variables, named by MicroProfile Config's rule (EDDY_INFINISPAN_SERVERS for
 * eddy.infinispan.servers). The one list the manifest check reads.
 *
 * <p>The lead reconciles {@link #EDDY_PROPERTIES} with the application's {@code @ConfigMapping} when the
 * branches merge (the names below are the ones the application reads today, in EddyRuntime, and
 * the ones agreed for roles, client security and authentication). A name the application renames
 * or drops must leave this list, and the manifest check then points at every manifest that still
 * sets it.
 */
final class ApplicationSettings {
    /** Eddy's image: the functions application, in either role. */
    static final Set<String> EDDY_PROPERTIES = Set.of(
            "eddy.role",
            "eddy.infinispan.servers",
            "eddy.infinispan.table-template",
            "eddy.infinispan.username",
            "eddy.infinispan.password",
            "eddy.infinispan.sasl-mechanism",
            "eddy.infinispan.realm",
            "eddy.infinispan.tls.enabled",
            "eddy.infinispan.tls.trust-store",
            "eddy.infinispan.tls.trust-store-password",
            "eddy.infinispan.tls.trust-store-type",
            "eddy.infinispan.tls.sni-host-name",
            "eddy.kafka.bootstrap-servers",
            "eddy.data-dir",
            "eddy.embedded.hotrod-port",
            "eddy.embedded.kafka-port",
            "eddy.near-cache.max-bytes",
            "eddy.near-cache.max-age",
            "eddy.storage.page-bytes",
            "eddy.scan.mirror-max-bytes",
            "eddy.http.max-buffered-request-bytes",
            "eddy.statistics.max-age",
            "eddy.streams.partitions",
            "eddy.streams.replication",
            "eddy.streams.min-insync-replicas",
            "eddy.streams.sweep-interval",
            "eddy.ttl.sweep-interval",
            "eddy.transactions.timeout",
            "eddy.requests.timeout",
            "eddy.leases.duration",
            "eddy.streams.retention-after-disable",
            "eddy.streams.changes-topics",
            "eddy.region",
            "eddy.account-id",
            "eddy.public-endpoint",
            "eddy.auth.enabled",
            "eddy.auth.credentials-file",
            "eddy.encryption.master-key-file",
            "eddy.encryption.key-rotation");

    /** Eddy's Kafka client properties: eddy.kafka.client.&lt;a Kafka client property&gt;. */
    static final String KAFKA_CLIENT_ENV_PREFIX = "EDDY_KAFKA_CLIENT_";

    /** The values EDDY_ROLE takes. */
    static final Set<String> ROLES = Set.of("function", "maintenance", "all");

    /** The example triggers' image (triggers/examples: EddyClient, AuditLog, OrderTotals, KafkaSourceRecord). */
    static final Set<String> TRIGGER_EXAMPLES_PROPERTIES = Set.of(
            "eddy.endpoint", "eddy.region", "eddy.access-key-id", "eddy.secret-access-key",
            "kafka-source.trigger", "audit.table",
            "order-totals.table", "order-totals.customer-attribute", "order-totals.amount-attribute");

    /** Read by the JVM itself in any image. */
    static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

    /** Images by the last part of their repository name, and the settings each reads. */
    enum Image {
        EDDY("eddy", EDDY_PROPERTIES, true),
        TRIGGER_EXAMPLES("eddy-trigger-examples", TRIGGER_EXAMPLES_PROPERTIES, false);

        final String repository;
        final Set<String> properties;
        final boolean kafkaClient;

        Image(String repository, Set<String> properties, boolean kafkaClient) {
            this.repository = repository;
            this.properties = properties;
            this.kafkaClient = kafkaClient;
        }

        /** {@code registry.example/eddy/eddy:0.1.0} is Eddy's image. */
        static Optional<Image> of(String image) {
            String repository = image.replaceFirst("[:@].*$", "").replaceFirst("^.*/", "");
            for (Image i : values()) {
                if (i.repository.equals(repository)) {
                    return Optional.of(i);
                }
            }
            return Optional.empty();
        }

        /** Whether the image reads an environment variable of this name. */
        boolean reads(String env) {
            if (JVM.contains(env) || properties.stream().anyMatch(p -> envName(p).equals(env))) {
                return true;
            }
            return kafkaClient && env.startsWith(KAFKA_CLIENT_ENV_PREFIX)
                    && kafkaClientProperty(env.substring(KAFKA_CLIENT_ENV_PREFIX.length())).isPresent();
        }
    }

    private ApplicationSettings() {
    }

    /** MicroProfile Config's environment name of a property: other than letters and digits become _, upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The Kafka client property an EDDY_KAFKA_CLIENT_ suffix names, if Kafka's clients have it. */
    static Optional<String> kafkaClientProperty(String envSuffix) {
        String property = envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
        return kafkaClientProperties().contains(property) ? Optional.of(property) : Optional.empty();
    }

    /** Every configuration name of Kafka's producer, consumer and admin client (Kafka's own lists). */
    static Set<String> kafkaClientProperties() {
        Set<String> names = new TreeSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }
}

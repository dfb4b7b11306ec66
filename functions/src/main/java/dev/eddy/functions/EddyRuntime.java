package dev.eddy.functions;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.storage.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.functions.embedded.EmbeddedInfinispan;
import dev.eddy.functions.embedded.EmbeddedKafka;
import dev.eddy.triggers.dispatcher.Triggers;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The process's one {@link Eddy}. With no Infinispan servers configured it starts the embedded
 * dev stack first (an Infinispan node and a Kafka broker in this process, data in
 * {@code eddy.data-dir}); pointed at external servers it starts neither.
 */
@Startup
@ApplicationScoped
public class EddyRuntime {
    private static final Logger LOG = Logger.getLogger(EddyRuntime.class);

    @ConfigProperty(name = "eddy.infinispan.servers")
    Optional<String> infinispanServers;
    @ConfigProperty(name = "eddy.infinispan.table-template", defaultValue = StorageConfig.DEFAULT_TEMPLATE)
    String tableTemplate;
    @ConfigProperty(name = "eddy.kafka.bootstrap-servers")
    Optional<String> kafkaServers;
    @ConfigProperty(name = "eddy.data-dir", defaultValue = "eddy-data")
    Path dataDir;
    @ConfigProperty(name = "eddy.embedded.hotrod-port", defaultValue = "11222")
    int embeddedHotRodPort;
    @ConfigProperty(name = "eddy.embedded.kafka-port", defaultValue = "9092")
    int embeddedKafkaPort;
    @ConfigProperty(name = "eddy.near-cache.max-bytes", defaultValue = "64M")
    io.quarkus.runtime.configuration.MemorySize nearCacheBytes;
    @ConfigProperty(name = "eddy.storage.page-bytes", defaultValue = "65536")
    int pageBytes;
    @ConfigProperty(name = "eddy.scan.mirror-max-bytes", defaultValue = "64M")
    io.quarkus.runtime.configuration.MemorySize scanMirrorBytes;
    @ConfigProperty(name = "eddy.statistics.max-age", defaultValue = "PT5M")
    java.time.Duration statisticsMaxAge;
    @ConfigProperty(name = "eddy.streams.partitions", defaultValue = "1")
    int streamPartitions;
    @ConfigProperty(name = "eddy.streams.replication", defaultValue = "1")
    short streamReplication;
    @ConfigProperty(name = "eddy.streams.sweep-interval", defaultValue = "PT5S")
    java.time.Duration streamSweepInterval;
    @ConfigProperty(name = "eddy.ttl.sweep-interval", defaultValue = "PT30S")
    java.time.Duration ttlSweepInterval;
    @ConfigProperty(name = "eddy.transactions.timeout", defaultValue = "PT10S")
    java.time.Duration transactionTimeout;
    @ConfigProperty(name = "eddy.leases.duration", defaultValue = "PT10S")
    java.time.Duration leaseDuration;
    @ConfigProperty(name = "eddy.streams.retention-after-disable", defaultValue = "PT24H")
    java.time.Duration streamRetention;
    @ConfigProperty(name = "eddy.role", defaultValue = "all")
    String role;
    @ConfigProperty(name = "eddy.region", defaultValue = "us-east-1")
    String region;
    @ConfigProperty(name = "eddy.account-id", defaultValue = "000000000000")
    String accountId;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8000")
    int httpPort;

    private EmbeddedInfinispan embeddedInfinispan;
    private EmbeddedKafka embeddedKafka;
    private Eddy eddy;
    private String kafkaBootstrap;
    private AutoCloseable triggers;

    @PostConstruct
    void start() throws Exception {
        String servers;
        if (infinispanServers.isPresent()) {
            servers = infinispanServers.get();
        } else {
            Path dir = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(dir);
            embeddedInfinispan = EmbeddedInfinispan.start(
                    EmbeddedInfinispan.Options.standalone(dir.resolve("infinispan"), embeddedHotRodPort));
            servers = embeddedInfinispan.hotRodAddress();
        }
        if (kafkaServers.isPresent()) {
            kafkaBootstrap = kafkaServers.get();
        } else if (embeddedInfinispan != null) {
            embeddedKafka = EmbeddedKafka.start(dataDir.toAbsolutePath().normalize().resolve("kafka"), embeddedKafkaPort);
            kafkaBootstrap = embeddedKafka.bootstrapServers();
        }
        StreamConfig streams = new StreamConfig(kafkaBootstrap, streamPartitions, streamReplication,
                streamSweepInterval.toMillis());
        eddy = new Eddy(new EddyConfig(region, accountId,
                dev.eddy.core.Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)), new StorageConfig(servers, tableTemplate, nearCacheBytes.asLongValue(), pageBytes,
                scanMirrorBytes.asLongValue()),
                statisticsMaxAge.toMillis(), streams, ttlSweepInterval.toMillis(), transactionTimeout.toMillis(),
                leaseDuration.toMillis(), streamRetention.toMillis()));
        startTriggers();
        if (embeddedInfinispan != null) {
            LOG.infof("Eddy: embedded dev stack, data in %s (Infinispan Hot Rod on %s, Kafka on %s); "
                            + "authentication is OFF; DynamoDB endpoint http://localhost:%d",
                    dataDir.toAbsolutePath().normalize(), servers, kafkaBootstrap, httpPort);
        } else {
            LOG.infof("Eddy: Infinispan at %s, Kafka at %s; DynamoDB endpoint on port %d",
                    servers, kafkaBootstrap == null ? "(none configured: tables with streams record nothing)"
                            : kafkaBootstrap, httpPort);
        }
    }

    /** Triggers registered as {@code eddy.triggers.<name>.<setting>}, dispatched from this process. */
    private void startTriggers() {
        Map<String, String> settings = new HashMap<>();
        Config config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("eddy.triggers.")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> settings.put(name, v));
            }
        }
        if (settings.isEmpty()) {
            return;
        }
        if (kafkaBootstrap == null) {
            throw new IllegalStateException("eddy.triggers.* needs Kafka: set eddy.kafka.bootstrap-servers");
        }
        triggers = Triggers.start(settings, kafkaBootstrap);
        LOG.infof("Eddy: triggers %s", settings.keySet().stream().map(k -> k.split("\\.")[2]).distinct().sorted().toList());
    }

    public Eddy eddy() {
        return eddy;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    @PreDestroy
    void stop() throws Exception {
        if (triggers != null) {
            triggers.close();
        }
        if (eddy != null) {
            eddy.close();
        }
        if (embeddedKafka != null) {
            embeddedKafka.close();
        }
        if (embeddedInfinispan != null) {
            embeddedInfinispan.close();
        }
    }
}

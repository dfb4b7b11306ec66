package dev.eddy.functions;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.Role;
import dev.eddy.core.storage.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.triggers.dispatcher.Triggers;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The process's one {@link Eddy}, in the role {@code eddy.role} gives it. With no Infinispan servers
 * configured, role {@code all} in the local app starts the embedded dev stack first (an Infinispan
 * node and a Kafka broker in this process); every other case needs {@code eddy.infinispan.servers}.
 * The trigger dispatcher runs only in a role that runs the background duties.
 */
@Startup
@ApplicationScoped
public class EddyRuntime {
    private static final Logger LOG = Logger.getLogger(EddyRuntime.class);

    @ConfigProperty(name = "eddy.role", defaultValue = "function")
    Role role;
    @ConfigProperty(name = "eddy.infinispan.servers")
    Optional<String> infinispanServers;
    @ConfigProperty(name = "eddy.infinispan.table-template", defaultValue = StorageConfig.DEFAULT_TEMPLATE)
    String tableTemplate;
    @ConfigProperty(name = "eddy.kafka.bootstrap-servers")
    Optional<String> kafkaServers;
    @ConfigProperty(name = "eddy.near-cache.max-entries", defaultValue = "100000")
    int nearCacheEntries;
    @ConfigProperty(name = "eddy.storage.page-bytes", defaultValue = "65536")
    int pageBytes;
    @ConfigProperty(name = "eddy.scan.mirror-max-partitions", defaultValue = "1000000")
    int scanMirrorMaxRoots;
    @ConfigProperty(name = "eddy.statistics.max-age", defaultValue = "PT5M")
    java.time.Duration statisticsMaxAge;
    @ConfigProperty(name = "eddy.streams.partitions", defaultValue = "1")
    int streamPartitions;
    @ConfigProperty(name = "eddy.streams.replication", defaultValue = "1")
    short streamReplication;
    @ConfigProperty(name = "eddy.streams.sweep-interval", defaultValue = "PT5S")
    java.time.Duration streamSweepInterval;
    @ConfigProperty(name = "eddy.streams.stale-after", defaultValue = "PT2S")
    java.time.Duration streamStaleAfter;
    @ConfigProperty(name = "eddy.ttl.sweep-interval", defaultValue = "PT30S")
    java.time.Duration ttlSweepInterval;
    @ConfigProperty(name = "eddy.transactions.timeout", defaultValue = "PT10S")
    java.time.Duration transactionTimeout;
    @ConfigProperty(name = "eddy.region", defaultValue = "us-east-1")
    String region;
    @ConfigProperty(name = "eddy.account-id", defaultValue = "000000000000")
    String accountId;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8000")
    int httpPort;

    /** Present in the local app only. */
    @Inject
    Instance<EmbeddedStack> embeddedStack;

    private EmbeddedStack embedded;
    private Eddy eddy;
    private String kafkaBootstrap;
    private AutoCloseable triggers;

    @PostConstruct
    void start() throws Exception {
        String servers;
        if (infinispanServers.isPresent()) {
            servers = infinispanServers.get();
        } else {
            embedded = embeddedStackFor(role);
            servers = embedded.startInfinispan();
        }
        if (kafkaServers.isPresent()) {
            kafkaBootstrap = kafkaServers.get();
        } else if (embedded != null) {
            kafkaBootstrap = embedded.startKafka();
        }
        StreamConfig streams = new StreamConfig(kafkaBootstrap, streamPartitions, streamReplication,
                streamSweepInterval.toMillis(), streamStaleAfter.toMillis());
        eddy = new Eddy(new EddyConfig(region, accountId, role,
                new StorageConfig(servers, tableTemplate, nearCacheEntries, pageBytes, scanMirrorMaxRoots),
                statisticsMaxAge.toMillis(), streams, ttlSweepInterval.toMillis(), transactionTimeout.toMillis()));
        startTriggers();
        if (embedded != null) {
            LOG.infof("Eddy: embedded dev stack, data in %s (Infinispan Hot Rod on %s, Kafka on %s); "
                            + "authentication is OFF; DynamoDB endpoint http://localhost:%d",
                    embedded.dataDir(), servers, kafkaBootstrap, httpPort);
        } else {
            LOG.infof("Eddy: role %s; Infinispan at %s, Kafka at %s; authentication is OFF; %s", role.name().toLowerCase(),
                    servers, kafkaBootstrap == null ? "(none configured: tables with streams record nothing)"
                            : kafkaBootstrap,
                    role.servesRequests() ? "DynamoDB endpoint on port " + httpPort
                            : "health and metrics on port " + httpPort + ", no DynamoDB requests served");
        }
    }

    /** The embedded stack, when this process may start one; otherwise why not, as a stop. */
    private EmbeddedStack embeddedStackFor(Role role) {
        if (!embeddedStack.isResolvable()) {
            throw new ConfigurationException("eddy.infinispan.servers (EDDY_INFINISPAN_SERVERS) is not set. This is "
                    + "the function artifact: it connects to an Infinispan cluster, host:port;host:port. The embedded "
                    + "dev stack (Infinispan and Kafka in one process) is the local app that bin/eddy runs.");
        }
        if (role != Role.ALL) {
            throw new ConfigurationException("eddy.infinispan.servers (EDDY_INFINISPAN_SERVERS) is not set: the "
                    + "embedded dev stack starts only in role all, and the " + role.name().toLowerCase()
                    + " role connects to an Infinispan cluster");
        }
        return embeddedStack.get();
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
        if (!role.runsDuties()) {
            LOG.warnf("Eddy: eddy.triggers.* are not dispatched in the function role; the maintenance role runs them");
            return;
        }
        if (kafkaBootstrap == null) {
            throw new ConfigurationException("eddy.triggers.* needs Kafka: set eddy.kafka.bootstrap-servers");
        }
        triggers = Triggers.start(settings, kafkaBootstrap);
        LOG.infof("Eddy: triggers %s", settings.keySet().stream().map(k -> k.split("\\.")[2]).distinct().sorted().toList());
    }

    public Eddy eddy() {
        return eddy;
    }

    public Role role() {
        return role;
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
        if (embedded != null) {
            embedded.stop();
        }
    }
}

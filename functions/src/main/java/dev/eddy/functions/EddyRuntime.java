package dev.eddy.functions;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.Role;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.encryption.EncryptionConfig;
import dev.eddy.core.encryption.MasterKeyException;
import dev.eddy.core.encryption.MasterKeys;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.functions.security.AuthModes;
import dev.eddy.functions.tracing.StreamRecordTracing;
import io.opentelemetry.api.OpenTelemetry;
import dev.eddy.core.lease.Leases;
import dev.eddy.triggers.dispatcher.TriggerConfig;
import dev.eddy.triggers.mappings.EventSourceMappings;
import dev.eddy.triggers.mappings.FunctionDirectory;
import dev.eddy.triggers.mappings.MappingContext;
import dev.eddy.triggers.mappings.MappingDuties;
import java.util.List;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import dev.eddy.core.HotRodSecurity;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The process's one {@link Eddy}, in the role {@code eddy.role} gives it. With no Infinispan servers
 * configured, role {@code all} in the local app starts the embedded dev stack first (an Infinispan
 * node and a Kafka broker in this process); every other case needs {@code eddy.infinispan.servers}.
 * Event source mappings (the Lambda API's, and triggers set in configuration) are dispatched only
 * in a role that runs the background duties, each under its lease.
 */
@Startup
@ApplicationScoped
public class EddyRuntime {
    private static final Logger LOG = Logger.getLogger(EddyRuntime.class);

    @Inject
    EddySettings settings;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8000")
    int httpPort;
    /** Tracing is off unless an operator turns the OpenTelemetry SDK on (and names a collector). */
    @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true")
    boolean tracingOff;
    @Inject
    Instance<OpenTelemetry> openTelemetry;

    /** Present in the local app only. */
    @Inject
    Instance<EmbeddedStack> embeddedStack;

    private EmbeddedStack embedded;
    private Eddy eddy;
    private String kafkaBootstrap;
    private MappingContext mappings;
    private MappingDuties triggerDuties;
    private HotRodLoopWatch loopWatch;

    @PostConstruct
    void start() throws Exception {
        SettingsCheck.verify(settings);
        Role role = settings.role();
        String servers;
        if (settings.infinispan().servers().isPresent()) {
            servers = settings.infinispan().servers().get();
        } else {
            embedded = embeddedStackFor(role);
            servers = embedded.startInfinispan();
        }
        if (settings.kafka().bootstrapServers().isPresent()) {
            kafkaBootstrap = settings.kafka().bootstrapServers().get();
        } else if (embedded != null) {
            kafkaBootstrap = embedded.startKafka();
        }
        Map<String, String> kafkaClient = new java.util.TreeMap<>(KafkaClientProperties.from(ConfigProvider.getConfig()));
        if (embedded != null && settings.kafka().bootstrapServers().isEmpty()) {
            kafkaClient.putAll(embedded.kafkaClientProperties()); // the embedded broker's password is Eddy's own
        }
        if (!tracingOff && openTelemetry.isResolvable()) {
            StreamRecordTracing.use(openTelemetry.get());
            kafkaClient.merge("interceptor.classes", StreamRecordTracing.class.getName(), (mine, ours) -> mine + "," + ours);
        }
        try {
            eddy = new Eddy(eddyConfig(servers, kafkaBootstrap, kafkaClient));
        } catch (MasterKeyException e) {
            throw new ConfigurationException("Encryption at rest: " + e.getMessage());
        }
        startTriggers(kafkaClient);
        loopWatch = new HotRodLoopWatch(eddy.storage()::clientEventLoops);
        if (eddy.encryption().atRest()) {
            LOG.infof("Eddy: encryption at rest is ON: items and change records sealed with AES-GCM under table keys "
                    + "wrapped by master key %s (%s)", eddy.encryption().masterKeyId(),
                    settings.encryption().masterKeyFile().get());
        } else {
            LOG.infof("Eddy: encryption at rest is OFF (set eddy.encryption.master-key-file to turn it on)");
        }
        String security = settings.infinispan().username().isPresent() ? "Hot Rod as " + settings.infinispan().username().get()
                + " (" + settings.infinispan().saslMechanism() + ")" : "Hot Rod without authentication";
        if (settings.infinispan().tls().enabled()) {
            security += " over TLS";
        }
        // what the request check (security.RequestAuthentication) decides from the same two settings
        String authentication = AuthModes.enabled(settings.auth().enabled().map(String::valueOf).orElse(null),
                role.name()) ? "ON" : "OFF";
        if (embedded != null) {
            LOG.infof("Eddy: embedded dev stack, data in %s (Infinispan Hot Rod on %s, Kafka on %s, both asking for "
                            + "Eddy's own passwords, kept in %s); authentication is %s; DynamoDB endpoint http://localhost:%d",
                    embedded.dataDir(), servers, kafkaBootstrap, embedded.credentialsFile(), authentication, httpPort);
        } else {
            LOG.infof("Eddy: role %s; Infinispan at %s (%s), Kafka at %s; authentication is %s; %s",
                    role.name().toLowerCase(Locale.ROOT), servers, security,
                    kafkaBootstrap == null ? "(none configured: tables with streams record nothing)" : kafkaBootstrap,
                    authentication,
                    role.servesRequests() ? "DynamoDB endpoint on port " + httpPort
                            : "health and metrics on port " + httpPort + ", no DynamoDB requests served");
        }
    }

    /** The one place the settings become the core's configuration. */
    private EddyConfig eddyConfig(String servers, String kafka, Map<String, String> kafkaClient) {
        EddySettings.Infinispan ispn = settings.infinispan();
        HotRodSecurity security = embedded != null ? embedded.hotRodSecurity() : new HotRodSecurity(ispn.username().orElse(null), ispn.password().orElse(null),
                ispn.saslMechanism(), ispn.realm(), ispn.tls().enabled(), ispn.tls().trustStore().orElse(null),
                ispn.tls().trustStorePassword().orElse(null), ispn.tls().trustStoreType().orElse(null),
                ispn.tls().sniHostName().orElse(ispn.tls().enabled() ? firstHost(servers) : null));
        StorageConfig storage = new StorageConfig(servers, ispn.tableTemplate(),
                settings.nearCache().maxBytes().asLongValue(), settings.storage().pageBytes(),
                settings.scan().mirrorMaxBytes().asLongValue(), security, embedded != null ? embedded.localNode() : null)
                .withNearCacheMaxAge(settings.nearCache().maxAge().toMillis());
        EddySettings.Streams s = settings.streams();
        StreamConfig streams = new StreamConfig(kafka, s.partitions(), s.replication(), s.sweepInterval().toMillis(),
                kafkaClient, s.minInsyncReplicas().orElse(0), s.changesTopics());
        EncryptionConfig encryption = settings.encryption().masterKeyFile()
                .map(f -> new EncryptionConfig(MasterKeys.read(f), settings.encryption().keyRotation().toMillis()))
                .orElse(EncryptionConfig.NONE);
        return new EddyConfig(settings.region(), settings.accountId(), settings.role(), storage,
                settings.statistics().maxAge().toMillis(), streams, settings.ttl().sweepInterval().toMillis(),
                settings.transactions().timeout().toMillis(), settings.leases().duration().toMillis(),
                s.retentionAfterDisable().toMillis(), settings.publicEndpoint().orElse(localEndpoint()), encryption,
                settings.requests().timeout().toMillis());
    }

    /** This process's endpoint as seen from this machine: a wildcard or loopback host is localhost. */
    private String localEndpoint() {
        String host = ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("localhost");
        boolean local = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.startsWith("127.")
                || host.equals("::1") || host.equals("[::1]") || host.equals("localhost");
        return (local ? "localhost" : host) + ":" + httpPort;
    }

    /**
     * The host the Hot Rod client names for SNI and checks the certificate against unless told
     * otherwise: the first server's, as a cluster's service name is in its certificate.
     */
    private static String firstHost(String servers) {
        String first = servers.split(";")[0].trim();
        int colon = first.lastIndexOf(':');
        return colon > 0 && !first.endsWith("]") ? first.substring(0, colon) : first;
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

    /**
     * Event source mappings: the store every role serves the Lambda API from, and, in a role that
     * runs duties, the duties that dispatch them and the triggers set as {@code eddy.triggers.<name>.*}
     * (or EDDY_TRIGGERS_*). A setting that cannot be used stops the start, in every role.
     */
    private void startTriggers(Map<String, String> kafkaClient) {
        var config = ConfigProvider.getConfig();
        List<TriggerConfig> configured;
        FunctionDirectory functions;
        try {
            configured = TriggerConfig.fromProperties(TriggerProperties.from(config));
            functions = FunctionDirectory.fromProperties(TriggerProperties.functions(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        mappings = new MappingContext(new EventSourceMappings(eddy.storage()), functions, eddy.catalog(),
                settings.region(), settings.accountId());
        if (!role().runsDuties()) {
            if (!configured.isEmpty()) {
                LOG.warnf("Eddy: eddy.triggers.* are not dispatched in the function role; the maintenance role runs them");
            }
            return;
        }
        if (kafkaBootstrap == null) {
            if (!configured.isEmpty()) {
                throw new ConfigurationException("eddy.triggers.* needs Kafka: set eddy.kafka.bootstrap-servers");
            }
            LOG.warnf("Eddy: no Kafka configured, so no event source mapping is dispatched");
            return;
        }
        triggerDuties = new MappingDuties(mappings, new Leases(eddy.storage(), settings.leases().duration().toMillis()),
                configured, kafkaBootstrap, kafkaClient,
                // Only records Eddy wrote reach a trigger function: anyone else's on the topic are skipped.
                r -> eddy.recordSeal().holds(r.topic(), r.key(), r.value(), r.headers()));
        eddy.maintenance().addSource(triggerDuties);
        if (!configured.isEmpty()) {
            LOG.infof("Eddy: triggers %s", configured.stream().map(TriggerConfig::name).toList());
        }
    }

    /** The event source mappings the Lambda API serves. */
    public MappingContext mappings() {
        return mappings;
    }

    /** The triggers this process dispatches (under their leases); null in the function role. */
    public MappingDuties triggerDuties() {
        return triggerDuties;
    }

    public Eddy eddy() {
        return eddy;
    }

    public Role role() {
        return settings.role();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    /**
     * A graceful stop, in order: Quarkus has stopped serving (new requests are refused, those in
     * flight drained for up to quarkus.shutdown.timeout) before it destroys this bean; then the
     * triggers, the duties and Eddy's clients; the embedded stack last, once nothing uses it. A step
     * that fails is logged in a line and the next still runs.
     */
    @PreDestroy
    void stop() {
        if (loopWatch != null) {
            loopWatch.close();
        }
        if (eddy != null) {
            stopping("the duties and clients", eddy::close);
        }
        if (embedded != null) {
            stopping("the embedded stack", embedded::stop);
        }
    }

    private static void stopping(String what, AutoCloseable step) {
        try {
            step.close();
        } catch (Exception | LinkageError e) {
            LOG.warnf("Eddy: stopping %s: %s", what, e);
        }
    }
}

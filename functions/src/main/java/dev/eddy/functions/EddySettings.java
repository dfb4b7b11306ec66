package dev.eddy.functions;

import dev.eddy.core.Role;
import dev.eddy.core.StorageConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Eddy's configuration, {@code eddy.*}: system properties, environment variables
 * ({@code EDDY_INFINISPAN_SERVERS}), application.properties. Read once at start and checked there
 * ({@link SettingsCheck}): a value that cannot be used stops the start with a message naming it.
 * Kafka client properties ({@code eddy.kafka.client.*}), triggers ({@code eddy.triggers.*}) and
 * functions ({@code eddy.functions.*}) are open-ended and read apart ({@link KafkaClientProperties},
 * {@link TriggerProperties}).
 */
@ConfigMapping(prefix = "eddy")
public interface EddySettings {
    /** function (serves requests), maintenance (background duties and triggers) or all. */
    @WithDefault("function")
    Role role();

    Infinispan infinispan();

    Kafka kafka();

    NearCache nearCache();

    Storage storage();

    Scan scan();

    Statistics statistics();

    Streams streams();

    Ttl ttl();

    Transactions transactions();

    Requests requests();

    Leases leases();

    Encryption encryption();

    interface Encryption {
        /**
         * The master keys, a JSON file (a mounted Secret): {"keys":[{"id":...,"key":base64 of 32 bytes}]}.
         * Unset: values are not encrypted at rest.
         */
        Optional<Path> masterKeyFile();

        /** How old a data key gets before a new version of it is made (0: never by age). */
        @WithDefault("P365D")
        Duration keyRotation();
    }

    Http http();

    interface Http {
        /** Request bytes an instance holds in memory at once (bodies being read or served); see RequestBodyLimits. */
        @WithDefault("64M")
        io.quarkus.runtime.configuration.MemorySize maxBufferedRequestBytes();
    }

    Auth auth();

    /** Read by the security classes (AuthModes, RequestAuthentication); mapped here so they are known names. */
    interface Auth {
        /** Whether requests must be signed; unset: off for role all, on for the function and maintenance roles. */
        Optional<Boolean> enabled();

        /** A JSON file of credentials and their policies (a mounted Secret), re-read when it changes. */
        Optional<String> credentialsFile();
    }

    interface Leases {
        /** How long a process's identity and a duty's lease last without renewal. */
        @WithDefault("PT10S")
        Duration duration();
    }

    /** Triggers by name, each a map of its settings; see {@link TriggerProperties}. */
    Map<String, Map<String, String>> triggers();

    /**
     * Functions event source mappings may name, by name: {@code url} and {@code cloudevent-type}
     * (see {@code FunctionDirectory}); read with the environment's by {@link TriggerProperties}.
     */
    Map<String, Map<String, String>> functions();

    /** Where the local app's embedded stack keeps its data. */
    @WithDefault("eddy-data")
    Path dataDir();

    /** The local app's embedded stack. */
    Embedded embedded();

    interface Embedded {
        @WithDefault("11222")
        int hotrodPort();

        @WithDefault("9092")
        int kafkaPort();
    }

    /** Where clients reach Eddy, host:port, as DescribeEndpoints reports it; unset: localhost and the HTTP port. */
    Optional<String> publicEndpoint();

    /** Reported in ARNs and stream records. */
    @WithDefault("us-east-1")
    String region();

    /** Reported in ARNs. */
    @WithDefault("000000000000")
    String accountId();

    interface Infinispan {
        /** Hot Rod servers, host:port;host:port. Unset: the local app's embedded node (role all only). */
        Optional<String> servers();

        @WithDefault(StorageConfig.DEFAULT_TEMPLATE)
        String tableTemplate();

        /** Set to authenticate (an Infinispan Operator cluster requires it). */
        Optional<String> username();

        Optional<String> password();

        @WithDefault("SCRAM-SHA-512")
        String saslMechanism();

        @WithDefault("default")
        String realm();

        Tls tls();

        /**
         * How long the heartbeat may fail while a client of its own reaches the cluster before liveness
         * reports this instance's Hot Rod client stuck ({@link EddyLiveness}). A heartbeat is retried while
         * it fails, each try waiting up to the client's 30 s socket timeout, so under a minute would take a
         * slow cluster for a stuck client.
         */
        @WithDefault("PT60S")
        Duration stuckClientAfter();

        interface Tls {
            @WithDefault("false")
            boolean enabled();

            /** A trust store file (PKCS12, JKS) or a PEM certificate; unset: the JVM's trusted authorities. */
            Optional<String> trustStore();

            Optional<String> trustStorePassword();

            Optional<String> trustStoreType();

            /** The host name sent for SNI and checked against the certificate; unset: the first server's host. */
            Optional<String> sniHostName();
        }
    }

    interface Kafka {
        /** Unset: the local app's embedded broker in role all; otherwise no change records are kept. */
        Optional<String> bootstrapServers();

        /** Kafka client properties by name (security.protocol, sasl.jaas.config, ...); see {@link KafkaClientProperties}. */
        Map<String, String> client();
    }

    interface NearCache {
        /** Memory the instance's near cache may hold, all tables together; 0 turns it off. */
        @WithDefault("64M")
        io.quarkus.runtime.configuration.MemorySize maxBytes();

        /**
         * How long after it was read from the servers an entry is served from the near cache at
         * most: a bound on staleness when an invalidation is missed (see
         * StorageConfig.DEFAULT_NEAR_CACHE_MAX_AGE_MILLIS for the figure's trade-off).
         */
        @WithDefault("5s")
        java.time.Duration maxAge();
    }

    interface Storage {
        /** Size past which an item collection is split into pages. */
        @WithDefault("65536")
        int pageBytes();
    }

    interface Scan {
        /** Memory the instance's copies of tables' partition keys (for eventually consistent Scans) may hold. */
        @WithDefault("64M")
        io.quarkus.runtime.configuration.MemorySize mirrorMaxBytes();
    }

    interface Statistics {
        /** How stale ItemCount and TableSizeBytes may be before DescribeTable starts a recount. */
        @WithDefault("PT5M")
        Duration maxAge();
    }

    interface Streams {
        /** Partitions (= Streams API shards) of each new stream topic. */
        @WithDefault("1")
        int partitions();

        /** Replication factor of each new stream topic (3 on a production Kafka). */
        @WithDefault("1")
        short replication();

        /** min.insync.replicas of each new stream topic (2 with replication 3); unset: the broker's default. */
        Optional<Integer> minInsyncReplicas();

        /** How often records that could not be carried out are retried, and dead processes looked for. */
        @WithDefault("PT5S")
        Duration sweepInterval();

        /** How long a disabled stream, or a deleted table's, stays readable before its topic goes. */
        @WithDefault("PT24H")
        Duration retentionAfterDisable();

        /** Whether every record also goes to its table's changes topic, eddy.changes.<TableName>, whose name never changes. */
        @WithDefault("true")
        boolean changesTopics();
    }

    interface Ttl {
        @WithDefault("PT30S")
        Duration sweepInterval();
    }

    interface Requests {
        /**
         * How long after it came in a request may still start a change to an item; past it, the change
         * is refused ServiceUnavailable (0: no limit). Keep it well under clients' read timeouts.
         */
        @WithDefault("PT10S")
        Duration timeout();
    }

    interface Transactions {
        /** How long a transaction may stay undecided before others abort it. */
        @WithDefault("PT10S")
        Duration timeout();
    }
}

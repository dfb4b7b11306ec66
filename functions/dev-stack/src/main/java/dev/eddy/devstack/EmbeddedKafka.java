package dev.eddy.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real Apache Kafka broker (KRaft, one combined broker+controller node, no ZooKeeper) running
 * inside this JVM, keeping its data under a given folder so topics and records survive restarts.
 *
 * <p>It uses the production classes only: {@link Formatter} (what {@code kafka-storage.sh format}
 * runs) formats the log directory on first use, and {@link KafkaRaftServer} (what
 * {@code kafka-server-start.sh} runs in KRaft mode) is the server. The cluster id is generated once
 * and read back from {@code meta.properties} afterwards.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}, kraft.version 0), so the controller
 * endpoint is not written into the metadata log and the controller may get a new free loopback port
 * on every start.
 *
 * <p>Compile classpath: kafka_2.13, plus org.apache.kafka:kafka-metadata ({@link Formatter}) and
 * org.apache.kafka:kafka-server (KafkaConfig's superclass), which kafka_2.13 only brings at runtime
 * scope. Nothing here needs log4j; Kafka itself logs through slf4j.
 *
 * <p>Kafka ends the JVM (Exit.halt) on fatal faults. During {@link #start} that is turned into an
 * exception, so a failed start does not kill the application; once started, a fatal broker fault
 * halts the JVM as it would a real Kafka process.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedKafka.class.getName());

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The PLAIN user the broker itself logs in as, on its own listener and the controller's. */
    private static final String BROKER_USER = "broker";
    private static final String LOOPBACK = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    /**
     * Broker-side logger categories that are set to WARNING when nobody configured them, so a dev
     * stack does not flood the console with the broker's INFO chatter. Client categories
     * (org.apache.kafka.clients, ...) are left alone.
     */
    private static final String[] BROKER_LOGGERS = {
        "kafka", "state.change.logger",
        "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
        "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.storage",
        "org.apache.kafka.coordinator", "org.apache.kafka.queue", "org.apache.kafka.snapshot",
        "org.apache.kafka.network", "org.apache.kafka.security",
    };
    private static final String CONFIG_LOGGER = "org.apache.kafka.common.config.AbstractConfig";
    /** java.util.logging keeps loggers weakly: hold the ones whose level we set. */
    private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();
    /** Log dirs of the brokers running in this JVM (Kafka's own .lock file guards other processes). */
    private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Object START_LOCK = new Object();

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String clusterId;
    private final Path logDir;
    /** Closes the broker cleanly if the JVM ends without close() (e.g. Ctrl-C), sparing log recovery. */
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, String clusterId, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
        this.logDir = logDir;
        this.shutdownHook = new Thread(this::shutdown, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts (formatting the log dir on first use, reusing it afterwards) a single-node KRaft broker
     * listening on 127.0.0.1:port for clients (PLAINTEXT) and on a second free loopback port for the
     * controller. Port 0 picks a free port. Returns once the broker is registered, unfenced and
     * accepting connections.
     */
    public static EmbeddedKafka start(Path dataDir, int port) throws Exception {
        return start(dataDir, port, Map.of());
    }

    /** As {@link #start(Path, int)}, with extra broker settings that override the defaults. */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) throws Exception {
        return start(dataDir, port, 0, overrides);
    }

    /**
     * Broker settings (for {@link #start(Path, int, Map)}) that make the client listener require
     * SASL/PLAIN with these users, as a secured production Kafka would (without TLS: loopback only).
     * The controller listener asks for the broker's own credential too: in KRaft an admin client may
     * talk to the controller directly, and one that could would change the broker's configuration.
     * Clients then set {@code security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=PLAIN} and a
     * PlainLoginModule {@code sasl.jaas.config} ({@link #saslPlainClient}).
     */
    public static Map<String, String> saslPlain(Map<String, String> users) {
        String brokerPassword = Uuid.randomUuid().toString();
        String brokerLogin = "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + BROKER_USER + "\" password=\"" + brokerPassword + "\""
                + " user_" + BROKER_USER + "=\"" + brokerPassword + "\"";
        StringBuilder jaas = new StringBuilder(brokerLogin);
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        jaas.append(';');
        return Map.of(
                "listener.security.protocol.map", BROKER_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "sasl.mechanism.controller.protocol", "PLAIN",
                "listener.name." + BROKER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                jaas.toString(),
                "listener.name." + CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                brokerLogin + ";");
    }

    /** The client properties of a user of a {@link #saslPlain} broker. */
    public static Map<String, String> saslPlainClient(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    /**
     * As {@link #saslPlain}, and the client listener also takes SCRAM-SHA-512, the mechanism of
     * Strimzi's KafkaUsers. SCRAM users live in the cluster's metadata: a PLAIN user with the right
     * to (a super user, {@link #aclAuthorizer}) makes them through
     * {@code Admin.alterUserScramCredentials}, as Strimzi's User Operator does. The controller
     * listener stays PLAIN only (a mechanism enabled there would need a login section of its own).
     */
    public static Map<String, String> saslPlainAndScram(Map<String, String> plainUsers) {
        Map<String, String> settings = new java.util.HashMap<>(saslPlain(plainUsers));
        settings.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        settings.put("listener.name." + CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".sasl.enabled.mechanisms",
                "PLAIN");
        settings.put("listener.name." + BROKER_LISTENER.toLowerCase(java.util.Locale.ROOT)
                + ".scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        return Map.copyOf(settings);
    }

    /** The client properties of a SCRAM-SHA-512 user of a {@link #saslPlainAndScram} broker. */
    public static Map<String, String> scramClient(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    /**
     * Broker settings (beside {@link #saslPlain}'s) that authorize every request by ACLs, as Strimzi's
     * {@code authorization: simple} does in KRaft: KRaft's own authorizer, a request no ACL allows is
     * refused, and these users (with the broker's own, which the controller must let register) may
     * do anything.
     */
    public static Map<String, String> aclAuthorizer(java.util.Collection<String> superUsers) {
        StringBuilder principals = new StringBuilder("User:" + BROKER_USER);
        superUsers.forEach(u -> principals.append(";User:").append(u));
        return Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "false",
                "super.users", principals.toString());
    }

    /** As {@link #start(Path, int, Map)}, with a given controller port (0 = a free one); for tests. */
    static EmbeddedKafka start(Path dataDir, int port, int controllerPort, Map<String, String> overrides)
            throws Exception {
        if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + port + " / " + controllerPort);
        }
        if (port != 0) {
            requireFree(port); // fail fast and clearly instead of a BindException deep in the broker
        }
        quietBrokerLogging();
        Path logDir = dataDir.toAbsolutePath().normalize().resolve("kraft-logs");
        Files.createDirectories(logDir);

        if (!RUNNING.add(logDir)) {
            throw new IllegalStateException("An embedded Kafka is already running on " + logDir);
        }
        boolean started = false;
        // One start at a time: the Exit procedures below are JVM-wide.
        synchronized (START_LOCK) {
            // A fatal fault while the controller starts (e.g. its port was taken) makes Kafka call
            // Exit.halt(1), which would kill the whole application. While starting, turn that into an
            // exception; once running, a fatal broker fault halts the JVM as in a real Kafka process.
            Exit.setHaltProcedure(EmbeddedKafka::refuseExit);
            Exit.setExitProcedure(EmbeddedKafka::refuseExit);
            try {
                Exception last = null;
                for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                    int brokerPort = port != 0 ? port : freePort(-1);
                    int cPort = controllerPort != 0 ? controllerPort : freePort(brokerPort);
                    try {
                        EmbeddedKafka kafka = startOnce(logDir, brokerPort, cPort, overrides);
                        started = true;
                        return kafka;
                    } catch (Exception e) {
                        // Free ports are picked before the broker binds them: if one was taken in
                        // between (the halt above hides the BindException), try again with new ones.
                        if (!causedByBind(e) && isFree(cPort) && isFree(brokerPort)) {
                            throw e;
                        }
                        last = e;
                        LOG.log(System.Logger.Level.WARNING, "Kafka could not bind " + LOOPBACK + ":" + brokerPort
                                + " / " + LOOPBACK + ":" + cPort + " (attempt " + attempt + " of " + START_ATTEMPTS
                                + "): " + e);
                    }
                }
                throw last;
            } finally {
                // Not Exit.reset*(): in Kafka 4.1 those install test procedures that throw.
                Exit.setHaltProcedure((status, message) -> Runtime.getRuntime().halt(status));
                Exit.setExitProcedure((status, message) -> System.exit(status));
                if (!started) {
                    RUNNING.remove(logDir);
                }
            }
        }
    }

    private static void refuseExit(int status, String message) {
        throw new IllegalStateException("Kafka failed to start (it asked to end the JVM with status " + status
                + (message == null ? "" : ": " + message) + "); see the ERROR logged just before");
    }

    private static EmbeddedKafka startOnce(Path logDir, int brokerPort, int controllerPort,
            Map<String, String> overrides) throws Exception {
        long t0 = System.nanoTime();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        props.putAll(overrides);
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        String clusterId = readClusterId(logDir);
        if (clusterId == null) {
            clusterId = Uuid.randomUuid().toString();
            format(logDir, clusterId);
            LOG.log(System.Logger.Level.INFO, "Formatted Kafka log dir " + logDir + " for new cluster " + clusterId);
        }

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            // Returns once the controller has caught up, the broker is unfenced and the acceptors run.
            server.startup();
        } catch (Throwable e) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (Throwable suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        String bootstrap = LOOPBACK + ":" + brokerPort;
        LOG.log(System.Logger.Level.INFO, "Kafka " + bootstrap + " (cluster " + clusterId + ", data " + logDir
                + ") started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return new EmbeddedKafka(server, bootstrap, clusterId, logDir);
    }

    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        // one combined node, static single-voter quorum
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("process.roles", "broker,controller");
        p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // single node: every internal topic has one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // After a crash (no clean shutdown) the broker cannot re-register until its old session
        // expires (default 9 s); a shorter session makes such a restart take ~3 s instead of ~10 s.
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "3000");
        // small footprint for a dev stack
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("offsets.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024)); // default 128 MiB, allocated eagerly
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("group.coordinator.threads", "1");
        p.put("share.coordinator.threads", "1");
        return p;
    }

    /** Formats the log dir with the given cluster id, as {@code kafka-storage.sh format} would. */
    private static void format(Path logDir, String clusterId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(ps)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString()) // metadata.log.dir defaults to the first log dir
                    .addDirectory(logDir.toString())
                    .run();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> out.toString(StandardCharsets.UTF_8).trim());
    }

    /** The cluster id of an already formatted log dir, or null when it was never formatted. */
    static String readClusterId(Path logDir) throws IOException {
        // The formatter writes meta.properties last, so its presence means formatting completed.
        Path meta = logDir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IOException(meta + " has no cluster.id");
        }
        return id.trim();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * For an owner that closes the broker itself, in its own order (after the clients that use it):
     * no shutdown hook of ours then stops the broker at exit while those clients still send.
     */
    public EmbeddedKafka closedByOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook runs already; close() stays idempotent
        }
        return this;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path logDir() {
        return logDir;
    }

    /** Clean shutdown (controlled shutdown of the broker, then the controller); waits for it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or about to: shutdown() below is idempotent
        }
        shutdown();
    }

    private synchronized void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            RUNNING.remove(logDir);
        }
        LOG.log(System.Logger.Level.INFO, "Kafka " + bootstrapServers + " stopped in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static void requireFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (BindException e) {
            throw new BindException("Port " + LOOPBACK + ":" + port + " for the embedded Kafka is in use");
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(int avoid) throws IOException {
        for (;;) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                int p = s.getLocalPort();
                if (p != avoid) {
                    return p;
                }
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka logs through slf4j; under JBoss LogManager (slf4j-jboss-logmanager) its loggers are
     * java.util.logging loggers, so lowering unconfigured broker categories to WARNING here keeps
     * the console readable. Categories that already have a level (e.g. set by the application's
     * logging configuration) are left as they are. With other slf4j bindings this is a no-op.
     */
    private static void quietBrokerLogging() {
        synchronized (QUIETED) {
            if (!QUIETED.isEmpty()) {
                return;
            }
            for (String name : BROKER_LOGGERS) {
                java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
                if (l.getLevel() == null) {
                    l.setLevel(Level.WARNING);
                }
                QUIETED.add(l);
            }
            // The broker dumps its ~340-line "KafkaConfig values:" block at INFO several times per start,
            // through the logger that the clients share for their own config dumps: drop only that block.
            java.util.logging.Logger config = java.util.logging.Logger.getLogger(CONFIG_LOGGER);
            if (config.getLevel() == null) {
                java.util.logging.Filter previous = config.getFilter();
                config.setFilter(r -> {
                    String m = r.getMessage();
                    if (m != null && m.startsWith("KafkaConfig values")
                            && r.getLevel().intValue() < Level.WARNING.intValue()) {
                        return false;
                    }
                    return previous == null || previous.isLoggable(r);
                });
            }
            QUIETED.add(config);
        }
    }
}

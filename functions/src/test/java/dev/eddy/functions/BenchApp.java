package dev.eddy.functions;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The packaged local app with its embedded stack, for benchmarks: a thin public face of {@link AppProcess}. */
public final class BenchApp implements AutoCloseable {
    private final AppProcess app;
    private final int kafkaPort;
    private final int hotRodPort;

    private Path work;

    private BenchApp(AppProcess app, int kafkaPort, int hotRodPort) {
        this.app = app;
        this.kafkaPort = kafkaPort;
        this.hotRodPort = hotRodPort;
    }

    public static BenchApp start(Path work) throws Exception {
        return start(work, java.util.List.of(), "-Xmx512m");
    }

    /** Started through {@code launcher}, e.g. {@code taskset -c 0}: the JVM sizes itself for those CPUs. */
    public static BenchApp start(Path work, java.util.List<String> launcher, String heap) throws Exception {
        return start(work, launcher, heap, Map.of());
    }

    /** As {@link #start(Path, java.util.List, String)}, with more settings (e.g. {@code eddy.role}). */
    public static BenchApp start(Path work, java.util.List<String> launcher, String heap, Map<String, String> settings)
            throws Exception {
        int kafkaPort = InfinispanCluster.freePort();
        int hotRodPort = InfinispanCluster.freePort();
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("eddy.data-dir", work.resolve("eddy-data").toString());
        all.put("eddy.embedded.hotrod-port", Integer.toString(hotRodPort));
        all.put("eddy.embedded.kafka-port", Integer.toString(kafkaPort));
        BenchApp app = new BenchApp(AppProcess.start(AppProcess.localJar(), work, all, launcher, heap), kafkaPort,
                hotRodPort);
        app.work = work;
        return app;
    }

    /** The embedded Infinispan node's Hot Rod address, for benchmarks that run Eddy's engine themselves. */
    public String hotRodAddress() {
        return "127.0.0.1:" + hotRodPort;
    }

    /** The packaged function (no embedded stack) with these settings, e.g. a role and external servers. */
    public static BenchApp startFunction(Path work, String heap, Map<String, String> settings) throws Exception {
        return new BenchApp(AppProcess.start(AppProcess.jar(), work, settings, java.util.List.of(), heap), -1, -1);
    }

    /** CPU time the process has used so far (user and system), from /proc. */
    public long cpuMillis() throws java.io.IOException {
        return app.cpuMillis();
    }

    /** The embedded Kafka broker, for benchmarks that read the stream topics. */
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The passwords the embedded stack asks for, as the local app keeps them in its data folder. */
    private java.util.Properties internalCredentials() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(work.resolve("eddy-data")
                .resolve(dev.eddy.devstack.InternalCredentials.FILE_NAME))) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    /** What a Kafka client needs on the embedded broker (SASL/PLAIN with Eddy's own password). */
    public Map<String, String> kafkaClientProperties() {
        return dev.eddy.devstack.EmbeddedKafka.saslPlainClient(dev.eddy.devstack.InternalCredentials.USER,
                internalCredentials().getProperty("kafka.password"));
    }

    /** A Hot Rod client of the embedded node, authenticated as Eddy. */
    public org.infinispan.client.hotrod.configuration.ConfigurationBuilder hotRodClient() {
        org.infinispan.client.hotrod.configuration.ConfigurationBuilder b =
                new org.infinispan.client.hotrod.configuration.ConfigurationBuilder();
        b.addServers(hotRodAddress()).security().authentication().enable()
                .username(dev.eddy.devstack.InternalCredentials.USER)
                .password(internalCredentials().getProperty("hotrod.password")).saslMechanism("SCRAM-SHA-512");
        return b;
    }

    public java.net.URI endpoint() {
        return app.endpoint();
    }

    public DynamoDbClient client() {
        return app.client();
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}

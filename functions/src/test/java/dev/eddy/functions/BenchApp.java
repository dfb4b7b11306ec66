package dev.eddy.functions;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The packaged local app with its embedded stack, for benchmarks: a thin public face of {@link AppProcess}. */
public final class BenchApp implements AutoCloseable {
    private final AppProcess app;
    private final int kafkaPort;

    private BenchApp(AppProcess app, int kafkaPort) {
        this.app = app;
        this.kafkaPort = kafkaPort;
    }

    public static BenchApp start(Path work) throws Exception {
        return start(work, java.util.List.of(), "-Xmx512m");
    }

    /** Started through {@code launcher}, e.g. {@code taskset -c 0}: the JVM sizes itself for those CPUs. */
    public static BenchApp start(Path work, java.util.List<String> launcher, String heap) throws Exception {
        int kafkaPort = InfinispanCluster.freePort();
        return new BenchApp(AppProcess.start(AppProcess.localJar(), work, Map.of(
                "eddy.data-dir", work.resolve("eddy-data").toString(),
                "eddy.embedded.hotrod-port", Integer.toString(InfinispanCluster.freePort()),
                "eddy.embedded.kafka-port", Integer.toString(kafkaPort)), launcher, heap), kafkaPort);
    }

    /** The embedded Kafka broker, for benchmarks that read the stream topics. */
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
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

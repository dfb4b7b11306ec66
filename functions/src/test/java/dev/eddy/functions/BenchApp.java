package dev.eddy.functions;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The packaged application with its embedded stack, for benchmarks: a thin public face of {@link AppProcess}. */
public final class BenchApp implements AutoCloseable {
    private final AppProcess app;

    private BenchApp(AppProcess app) {
        this.app = app;
    }

    public static BenchApp start(Path work) throws Exception {
        return new BenchApp(AppProcess.start(work, Map.of(
                "eddy.data-dir", work.resolve("eddy-data").toString(),
                "eddy.embedded.hotrod-port", Integer.toString(InfinispanCluster.freePort()),
                "eddy.embedded.kafka-port", Integer.toString(InfinispanCluster.freePort()))));
    }

    public DynamoDbClient client() {
        return app.client();
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}

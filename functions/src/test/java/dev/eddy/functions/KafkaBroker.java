package dev.eddy.functions;

import dev.eddy.devstack.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Kafka broker (KRaft, in this JVM) for the tests, on a fixed port for the whole run, so a
 * test can stop it and start it again to see writes go on while Kafka is away.
 */
public final class KafkaBroker implements QuarkusTestResourceLifecycleManager {
    private static Path dir;
    private static int port;
    private static EmbeddedKafka broker;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("eddy-test-kafka");
            port = InfinispanCluster.freePort();
            startBroker();
            return Map.of("eddy.kafka.bootstrap-servers", broker.bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void startBroker() throws Exception {
        broker = EmbeddedKafka.start(dir, port);
    }

    static synchronized void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    static String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void stop() {
        stopBroker();
    }
}

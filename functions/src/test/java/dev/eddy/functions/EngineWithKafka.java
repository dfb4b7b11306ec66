package dev.eddy.functions;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.Role;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fixture of the tests that drive the engine itself (no HTTP front) against a real Infinispan
 * node and a real KRaft broker, both in this JVM: started in that order, closed in the reverse.
 */
final class EngineWithKafka implements AutoCloseable {
    final EmbeddedInfinispan infinispan;
    final EmbeddedKafka kafka;
    private Eddy eddy;

    private EngineWithKafka(EmbeddedInfinispan infinispan, EmbeddedKafka kafka) {
        this.infinispan = infinispan;
        this.kafka = kafka;
    }

    /** An Infinispan node and a broker; the engine comes with {@link #start}. */
    static EngineWithKafka infrastructure(String name) throws Exception {
        EmbeddedInfinispan infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(
                Files.createTempDirectory("eddy-" + name + "-ispn"), 0));
        try {
            return new EngineWithKafka(infinispan,
                    EmbeddedKafka.start(Files.createTempDirectory("eddy-" + name + "-kafka"), InfinispanCluster.freePort()));
        } catch (Exception | Error e) {
            infinispan.close();
            throw e;
        }
    }

    /** Starts a function-role engine over them, its streams as {@code streams} makes them from the broker's address. */
    Eddy start(Function<String, StreamConfig> streams) {
        eddy = new Eddy(new EddyConfig("us-east-1", "000000000000", Role.FUNCTION,
                new StorageConfig(infinispan.hotRodAddress(), StorageConfig.DEFAULT_TEMPLATE, 10_000,
                        StorageConfig.DEFAULT_PAGE_BYTES), 0,
                streams.apply(kafka.bootstrapServers()),
                TimeUnit.SECONDS.toMillis(30), TimeUnit.SECONDS.toMillis(10)));
        return eddy;
    }

    @Override
    public void close() {
        if (eddy != null) {
            eddy.close();
        }
        kafka.close();
        infinispan.close();
    }
}

package dev.eddy.local;

import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.functions.EddySettings;
import dev.eddy.functions.EmbeddedStack;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The embedded default of {@code bin/eddy}: a standalone Infinispan node and a Kafka broker in this
 * process, on loopback, their data under {@code eddy.data-dir} so it survives restarts.
 */
@ApplicationScoped
@Unremovable
public class DevStack implements EmbeddedStack {
    @Inject
    EddySettings settings;

    private FileLock dataDirLock;
    private EmbeddedInfinispan infinispan;
    private EmbeddedKafka kafka;

    @Override
    public String startInfinispan() throws Exception {
        // Before anything starts: this process alone on its data, every port it will listen on free.
        dataDirLock = StartChecks.lockDataDir(dataDir());
        StartChecks.requireFree(ports());
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(dataDir().resolve("infinispan"),
                settings.embedded().hotrodPort()));
        return infinispan.hotRodAddress();
    }

    /** The ports this process will listen on: the endpoint's, and the embedded Kafka's when it starts one. */
    private List<StartChecks.Port> ports() {
        Config config = ConfigProvider.getConfig();
        List<StartChecks.Port> ports = new ArrayList<>();
        ports.add(new StartChecks.Port(config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"),
                config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080), "quarkus.http.port",
                "the DynamoDB endpoint"));
        ports.add(new StartChecks.Port("127.0.0.1", settings.embedded().hotrodPort(), "eddy.embedded.hotrod-port",
                "the embedded Infinispan's Hot Rod"));
        if (settings.kafka().bootstrapServers().isEmpty()) {
            ports.add(new StartChecks.Port("127.0.0.1", settings.embedded().kafkaPort(), "eddy.embedded.kafka-port",
                    "the embedded Kafka"));
        }
        return ports;
    }

    @Override
    public String startKafka() throws Exception {
        // Closed by stop(), after Eddy's own clients: its shutdown hook would stop it while they still send.
        kafka = EmbeddedKafka.start(dataDir().resolve("kafka"), settings.embedded().kafkaPort()).closedByOwner();
        return kafka.bootstrapServers();
    }

    @Override
    public Path dataDir() {
        return settings.dataDir().toAbsolutePath().normalize();
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (infinispan != null) {
            infinispan.close();
        }
        if (dataDirLock != null) {
            try {
                dataDirLock.channel().close(); // the stores are closed: another process may take the data
            } catch (IOException ignored) {
                // the lock goes with the process all the same
            }
        }
    }
}

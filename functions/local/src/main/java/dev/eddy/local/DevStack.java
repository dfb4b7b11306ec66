package dev.eddy.local;

import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.functions.EddySettings;
import dev.eddy.functions.EmbeddedStack;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded default of {@code bin/eddy}: a standalone Infinispan node and a Kafka broker in this
 * process, on loopback, their data under {@code eddy.data-dir} so it survives restarts.
 */
@ApplicationScoped
@Unremovable
public class DevStack implements EmbeddedStack {
    @Inject
    EddySettings settings;

    private EmbeddedInfinispan infinispan;
    private EmbeddedKafka kafka;

    @Override
    public String startInfinispan() throws Exception {
        Files.createDirectories(dataDir());
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(dataDir().resolve("infinispan"),
                settings.embedded().hotrodPort()));
        return infinispan.hotRodAddress();
    }

    @Override
    public String startKafka() throws Exception {
        kafka = EmbeddedKafka.start(dataDir().resolve("kafka"), settings.embedded().kafkaPort());
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
    }
}

package dev.eddy.local;

import dev.eddy.core.storage.HotRodSecurity;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.devstack.InternalCredentials;
import dev.eddy.functions.EddySettings;
import dev.eddy.functions.EmbeddedStack;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded default of {@code bin/eddy}: a standalone Infinispan node and a Kafka broker in this
 * process, on loopback, their data under {@code eddy.data-dir} so it survives restarts. Both ports
 * ask for a password (SCRAM on Hot Rod, SASL/PLAIN on Kafka) that only Eddy's own clients know: it is
 * made on the first start and kept in the data folder, readable by its owner alone (see
 * {@link InternalCredentials}), so other users of the machine can neither read nor change Eddy's data
 * behind its back, nor write to its stream topics.
 */
@ApplicationScoped
@Unremovable
public class DevStack implements EmbeddedStack {
    @Inject
    EddySettings settings;

    private InternalCredentials credentials;
    private EmbeddedInfinispan infinispan;
    private EmbeddedKafka kafka;

    private InternalCredentials credentials() throws IOException {
        if (credentials == null) {
            credentials = InternalCredentials.inDataDir(dataDir());
        }
        return credentials;
    }

    @Override
    public String startInfinispan() throws Exception {
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(dataDir().resolve("infinispan"),
                settings.embedded().hotrodPort()).secured(credentials().hotRodUsers()));
        return infinispan.hotRodAddress();
    }

    @Override
    public HotRodSecurity hotRodSecurity() {
        return new HotRodSecurity(InternalCredentials.USER, credentials.hotRodPassword(), "SCRAM-SHA-512", "default",
                false, null, null, null, null);
    }

    @Override
    public String startKafka() throws Exception {
        kafka = EmbeddedKafka.start(dataDir().resolve("kafka"), settings.embedded().kafkaPort(),
                EmbeddedKafka.saslPlain(Map.of(InternalCredentials.USER, credentials().kafkaPassword())));
        return kafka.bootstrapServers();
    }

    @Override
    public Map<String, String> kafkaClientProperties() {
        return credentials.kafkaClientProperties();
    }

    @Override
    public Path dataDir() {
        return settings.dataDir().toAbsolutePath().normalize();
    }

    @Override
    public Path credentialsFile() {
        return credentials == null ? null : credentials.file();
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

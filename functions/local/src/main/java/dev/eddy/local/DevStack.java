package dev.eddy.local;

import dev.eddy.core.HotRodSecurity;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.devstack.InternalCredentials;
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
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

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
    private FileLock dataDirLock;
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
        // Before anything starts: this process alone on its data (a folder only its owner may enter,
        // as it keeps the internal passwords), every port it will listen on free.
        InternalCredentials.createOwnerOnly(dataDir());
        dataDirLock = StartChecks.lockDataDir(dataDir());
        StartChecks.requireFree(ports());
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(dataDir().resolve("infinispan"),
                settings.embedded().hotrodPort()).secured(credentials().hotRodUsers()));
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
    public HotRodSecurity hotRodSecurity() {
        return new HotRodSecurity(InternalCredentials.USER, credentials.hotRodPassword(), "SCRAM-SHA-512", "default",
                false, null, null, null, null);
    }

    @Override
    public dev.eddy.core.storage.LocalNode localNode() {
        return infinispan == null ? null : new NodeReads(infinispan.cacheManager());
    }

    @Override
    public String startKafka() throws Exception {
        // Closed by stop(), after Eddy's own clients: its shutdown hook would stop it while they still send.
        kafka = EmbeddedKafka.start(dataDir().resolve("kafka"), settings.embedded().kafkaPort(),
                EmbeddedKafka.saslPlain(Map.of(InternalCredentials.USER, credentials().kafkaPassword()))).closedByOwner();
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
        if (dataDirLock != null) {
            try {
                dataDirLock.channel().close(); // the stores are closed: another process may take the data
            } catch (IOException ignored) {
                // the lock goes with the process all the same
            }
        }
    }
}

package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eddy.manifests.ApplicationSettings.Image;
import dev.eddy.manifests.Workloads.Container;
import dev.eddy.manifests.Workloads.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Every setting the manifests give a container is one its application reads, with a value it takes. */
class SettingsTest {

    @Test
    void everyContainerRunsAnImageWhoseSettingsAreKnown() {
        assertFalse(Workloads.containers().isEmpty());
        for (Container c : Workloads.containers()) {
            assertTrue(Image.of(c.image()).isPresent(), c + ": image " + c.image()
                    + " is none of " + List.of(Image.values()) + " (ApplicationSettings.Image)");
        }
    }

    @Test
    void everyEnvironmentVariableIsASettingTheImageReads() {
        List<String> unknown = new ArrayList<>();
        for (Container c : Workloads.containers()) {
            Image image = Image.of(c.image()).orElseThrow();
            for (Setting s : Workloads.settings(c)) {
                if (!image.reads(s.name())) {
                    unknown.add(s.name() + " (set in " + s.source() + ")");
                }
            }
        }
        assertEquals(List.of(), unknown, "settings the application does not read (ApplicationSettings)");
    }

    @Test
    void theCheckKnowsAMisspelledOrInventedSetting() {
        assertTrue(Image.EDDY.reads("EDDY_INFINISPAN_SERVERS"));
        assertTrue(Image.EDDY.reads("EDDY_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION"));
        assertFalse(Image.EDDY.reads("EDDY_INFINISPAN_SERVER"));
        assertFalse(Image.EDDY.reads("EDDY_KAFKA_CLIENT_SSL_TRUSTSTORE_PATH"), "not a Kafka client property");
        assertFalse(Image.TRIGGER_EXAMPLES.reads("EDDY_KAFKA_CLIENT_SECURITY_PROTOCOL"), "the examples have no Kafka client");
    }

    @Test
    void eachEddyWorkloadHasItsRole() {
        Map<String, String> roles = new HashMap<>();
        for (Container c : Workloads.containers()) {
            if (Image.of(c.image()).orElseThrow() == Image.EDDY) {
                List<String> role = Workloads.settings(c).stream().filter(s -> s.name().equals("EDDY_ROLE"))
                        .map(Setting::value).toList();
                assertEquals(1, role.size(), c + " sets EDDY_ROLE once");
                assertTrue(ApplicationSettings.ROLES.contains(role.get(0)), c + ": EDDY_ROLE " + role.get(0));
                roles.put(c.owner().kind(), role.get(0));
            }
        }
        assertEquals(Map.of("Service", "function", "Deployment", "maintenance"), roles,
                "the Knative Service serves requests, the Deployment runs the background duties");
    }

    /** Kafka's own client configs parse what Eddy's containers pass through (types, allowed values). */
    @Test
    void kafkaClientSettingsAreValuesKafkaTakes() {
        for (Container c : Workloads.containers()) {
            if (Image.of(c.image()).orElseThrow() != Image.EDDY) {
                continue;
            }
            Map<String, Object> client = new HashMap<>();
            for (Setting s : Workloads.settings(c)) {
                if (s.name().startsWith(ApplicationSettings.KAFKA_CLIENT_ENV_PREFIX) && s.value() != null) {
                    client.put(ApplicationSettings.kafkaClientProperty(
                            s.name().substring(ApplicationSettings.KAFKA_CLIENT_ENV_PREFIX.length())).orElseThrow(), s.value());
                }
                if (s.name().equals("EDDY_KAFKA_BOOTSTRAP_SERVERS")) {
                    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.value());
                }
            }
            assertTrue(client.containsKey(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG), c + " has Kafka bootstrap servers");
            try {
                new AdminClientConfig(client);
                Map<String, Object> producer = new HashMap<>(client);
                producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                new ProducerConfig(producer);
                Map<String, Object> consumer = new HashMap<>(client);
                consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
                consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
                new ConsumerConfig(consumer);
            } catch (RuntimeException e) {
                fail(c + ": Kafka refuses its client settings: " + e.getMessage());
            }
        }
    }

    /** Knative sends requests to the container port; the application must listen there. */
    @Test
    void containerPortsAreThePortsTheApplicationsListenOn() throws IOException {
        Map<Image, String> configuration = Map.of(
                Image.EDDY, "functions/src/main/resources/application.properties",
                Image.TRIGGER_EXAMPLES, "triggers/examples/src/main/resources/application.properties");
        for (Container c : Workloads.containers()) {
            Image image = Image.of(c.image()).orElseThrow();
            Path file = Manifests.repository().resolve(configuration.get(image));
            Properties app = new Properties();
            // A module's defaults in META-INF/microprofile-config.properties sit below its application.properties.
            Path defaults = file.getParent().resolve("META-INF/microprofile-config.properties");
            if (Files.exists(defaults)) {
                try (Reader in = Files.newBufferedReader(defaults)) {
                    app.load(in);
                }
            }
            try (Reader in = Files.newBufferedReader(file)) {
                app.load(in);
            }
            String port = Workloads.settings(c).stream().filter(s -> s.name().equals("QUARKUS_HTTP_PORT"))
                    .map(Setting::value).findFirst().orElse(app.getProperty("quarkus.http.port", "8080"));
            assertEquals(port, c.spec().path("ports").path(0).path("containerPort").asText(),
                    c + ": the port in " + configuration.get(image));
        }
    }
}

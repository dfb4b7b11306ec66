package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.manifests.ApplicationSettings.Image;
import dev.eddy.manifests.Workloads.Container;
import dev.eddy.manifests.Workloads.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the deployment promises beyond each resource's schema: files applied in the order of their
 * numbers, one namespace, no real credentials committed, the roles' scaling and probes, and the
 * addresses one file gives for what another file creates.
 */
class ConventionsTest {
    private static final String NAMESPACE = "eddy";
    private static final String PLACEHOLDER = "REPLACE_WITH_";

    @Test
    void filesAreNumberedInTheOrderTheyApply() {
        for (String folder : Manifests.FOLDERS) {
            for (Path file : Manifests.files(folder)) {
                assertTrue(file.getFileName().toString().matches("\\d\\d-[a-z0-9-]+\\.yaml"),
                        folder + "/" + file.getFileName() + " is not NN-name.yaml");
            }
        }
    }

    @Test
    void everythingIsInOneNamespace() {
        for (Manifest m : Manifests.all()) {
            if (m.kind().equals("Namespace")) {
                assertEquals(NAMESPACE, m.name());
            } else {
                assertEquals(NAMESPACE, m.namespace().orElse("(none)"), m + " namespace");
            }
        }
    }

    /** Secrets are templates: readable stringData with placeholders for anything secret, never base64 data. */
    @Test
    void secretsAreTemplatesWithPlaceholders() {
        List<Manifest> secrets = Manifests.ofKind("v1", "Secret");
        assertFalse(secrets.isEmpty());
        for (Manifest s : secrets) {
            assertFalse(s.tree().has("data"), s + ": data would hide a value in base64; use stringData");
            s.tree().path("stringData").fields().forEachRemaining(e -> {
                String value = e.getValue().asText();
                if (e.getKey().contains("password")) {
                    assertTrue(value.contains(PLACEHOLDER), s + " " + e.getKey() + " is no " + PLACEHOLDER + " placeholder");
                }
                for (String line : value.split("\n")) {
                    if (line.contains("password:")) {
                        assertTrue(line.contains(PLACEHOLDER), s + " " + e.getKey() + ": \"" + line.trim() + "\"");
                    }
                }
            });
        }
    }

    @Test
    void theFunctionServiceScalesToZeroOnConcurrency() {
        Manifest eddy = only(Manifests.where(m -> m.is("serving.knative.dev/v1", "Service") && m.name().equals("eddy")));
        JsonNode annotations = eddy.tree().path("spec").path("template").path("metadata").path("annotations");
        assertEquals("0", annotations.path("autoscaling.knative.dev/min-scale").asText());
        assertEquals("concurrency", annotations.path("autoscaling.knative.dev/metric").asText());
        assertTrue(annotations.path("autoscaling.knative.dev/target").asInt() > 0, "a concurrency target");
    }

    @Test
    void theMaintenanceRoleIsAlwaysUp() {
        Manifest maintenance = only(Manifests.where(m -> m.is("apps/v1", "Deployment")
                && m.name().equals("eddy-maintenance")));
        JsonNode spec = maintenance.tree().path("spec");
        assertTrue(spec.path("replicas").asInt() >= 1);
        assertEquals(0, spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(-1),
                "a rollout starts the new pod before it stops the old one");
        Manifest budget = only(Manifests.ofKind("policy/v1", "PodDisruptionBudget"));
        assertEquals(spec.path("selector"), budget.tree().path("spec").path("selector"));
        assertEquals(1, budget.tree().path("spec").path("minAvailable").asInt());
    }

    /** Knative and Kubernetes take an Eddy pod in and out of service by Quarkus' health endpoints. */
    @Test
    void eddyContainersHaveHealthProbes() {
        for (Container c : Workloads.containers()) {
            if (Image.of(c.image()).orElseThrow() == Image.EDDY) {
                assertEquals("/q/health/ready", c.spec().path("readinessProbe").path("httpGet").path("path").asText(), c.toString());
                assertEquals("/q/health/live", c.spec().path("livenessProbe").path("httpGet").path("path").asText(), c.toString());
                assertTrue(c.spec().path("resources").path("limits").has("memory"), c + " has a memory limit");
            }
        }
    }

    /** The addresses in the settings are the services the operators make for the resources defined here. */
    @Test
    void eddyReachesTheClustersDefinedHere() {
        Manifest infinispan = only(Manifests.ofKind("infinispan.org/v1", "Infinispan"));
        String infinispanHost = infinispan.name() + "." + NAMESPACE + ".svc";
        String kafkaBootstrap = kafkaBootstrap();
        for (Container c : Workloads.containers()) {
            if (Image.of(c.image()).orElseThrow() != Image.EDDY) {
                continue;
            }
            Map<String, String> settings = Workloads.settings(c).stream().filter(s -> s.value() != null)
                    .collect(Collectors.toMap(Setting::name, Setting::value, (a, b) -> b));
            // The operator's service for the cluster, Hot Rod's port (Infinispan Operator guide)
            assertEquals(infinispanHost + ":11222", settings.get("EDDY_INFINISPAN_SERVERS"), c.toString());
            assertEquals(infinispanHost, settings.get("EDDY_INFINISPAN_TLS_SNI_HOST_NAME"), c.toString());
            assertEquals(kafkaBootstrap, settings.get("EDDY_KAFKA_BOOTSTRAP_SERVERS"), c.toString());
        }
        for (Manifest m : Manifests.where(m -> m.kind().equals("KafkaSource") || m.kind().equals("KafkaSink"))) {
            assertEquals(List.of(kafkaBootstrap), texts(m.tree().path("spec").path("bootstrapServers")), m.toString());
        }
    }

    /** The triggers write back to the function Service, at the address Knative gives it inside the cluster. */
    @Test
    void triggersWriteBackToEddysService() {
        Manifest eddy = only(Manifests.where(m -> m.is("serving.knative.dev/v1", "Service") && m.name().equals("eddy")));
        Manifest config = only(Manifests.where(m -> m.is("v1", "ConfigMap") && m.name().equals("eddy-triggers")));
        assertEquals("http://" + eddy.name() + "." + NAMESPACE + ".svc.cluster.local",
                config.tree().path("data").path("EDDY_ENDPOINT").asText());
    }

    /** Stream topics and the dead-letter topic are replicated as the cluster can hold and acknowledge them. */
    @Test
    void topicsAreReplicatedAcrossTheBrokers() {
        Manifest kafka = only(Manifests.ofKind("kafka.strimzi.io/v1", "Kafka"));
        JsonNode config = kafka.tree().path("spec").path("kafka").path("config");
        int replication = config.path("default.replication.factor").asInt();
        int minInSync = config.path("min.insync.replicas").asInt();
        int brokers = Manifests.ofKind("kafka.strimzi.io/v1", "KafkaNodePool").stream()
                .filter(pool -> texts(pool.tree().path("spec").path("roles")).contains("broker"))
                .mapToInt(pool -> pool.tree().path("spec").path("replicas").asInt()).sum();
        assertTrue(replication <= brokers && minInSync < replication,
                "replication " + replication + ", min in sync " + minInSync + ", brokers " + brokers);
        for (Container c : Workloads.containers()) {
            Workloads.settings(c).stream().filter(s -> s.name().equals("EDDY_STREAMS_REPLICATION"))
                    .forEach(s -> assertEquals(String.valueOf(replication), s.value(), "stream topics in " + s.source()));
        }
        for (Manifest topic : Manifests.ofKind("kafka.strimzi.io/v1", "KafkaTopic")) {
            assertEquals(replication, topic.tree().path("spec").path("replicas").asInt(), topic.toString());
        }
    }

    /** Strimzi's bootstrap service of the Kafka cluster, on its TLS listener with SCRAM users. */
    private static String kafkaBootstrap() {
        Manifest kafka = only(Manifests.ofKind("kafka.strimzi.io/v1", "Kafka"));
        List<String> addresses = new ArrayList<>();
        for (JsonNode listener : kafka.tree().path("spec").path("kafka").path("listeners")) {
            if (listener.path("tls").asBoolean()
                    && listener.path("authentication").path("type").asText().equals("scram-sha-512")) {
                addresses.add(kafka.name() + "-kafka-bootstrap." + NAMESPACE + ".svc:" + listener.path("port").asInt());
            }
        }
        return only(addresses);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static <T> T only(List<T> items) {
        assertEquals(1, items.size(), "exactly one of " + items);
        return items.get(0);
    }
}

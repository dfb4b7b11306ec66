package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Every Secret, ConfigMap and resource a manifest names exists, with the keys it reads: defined in
 * the manifests, written by an operator from a resource defined there, or made by a README command.
 */
class ReferencesTest {
    /** Secrets the README has the user make (from files or from what Strimzi wrote), with their keys. */
    private static final Map<String, Set<String>> MADE_BY_README = Map.of(
            "eddy-infinispan-tls", Set.of("tls.crt", "tls.key"),
            "eddy-kafka-knative", Set.of("protocol", "sasl.mechanism", "user", "password", "ca.crt"));

    /** Secrets by name with their keys, from every source. */
    private static Map<String, Set<String>> secrets() {
        Map<String, Set<String>> secrets = new HashMap<>(MADE_BY_README);
        for (Manifest m : Manifests.ofKind("v1", "Secret")) {
            secrets.put(m.name(), keys(m.tree()));
        }
        // Strimzi's User Operator writes a Secret per SCRAM user, its Cluster Operator the cluster CA
        // (Strimzi docs, "Securing access to Kafka").
        for (Manifest user : Manifests.ofKind("kafka.strimzi.io/v1", "KafkaUser")) {
            secrets.put(user.name(), Set.of("password", "sasl.jaas.config"));
        }
        for (Manifest kafka : Manifests.ofKind("kafka.strimzi.io/v1", "Kafka")) {
            secrets.put(kafka.name() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        return secrets;
    }

    private static Map<String, Set<String>> configMaps() {
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (Manifest m : Manifests.ofKind("v1", "ConfigMap")) {
            configMaps.put(m.name(), keys(m.tree()));
        }
        return configMaps;
    }

    private static Set<String> keys(JsonNode resource) {
        Set<String> keys = new TreeSet<>();
        for (String field : List.of("data", "stringData")) {
            resource.path(field).fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    @Test
    void everySecretAndConfigMapReferenceResolves() {
        Map<String, Set<String>> secrets = secrets();
        Map<String, Set<String>> configMaps = configMaps();
        List<String> broken = new ArrayList<>();
        BiConsumer<String, String> check = (where, problem) -> broken.add(where + ": " + problem);
        for (Manifest m : Manifests.all()) {
            walk(m.tree(), node -> {
                JsonNode secretKey = node.path("secretKeyRef");
                if (secretKey.isObject()) {
                    needs(secrets, "Secret", secretKey.path("name").asText(), Set.of(secretKey.path("key").asText()), m, check);
                }
                JsonNode configMapKey = node.path("configMapKeyRef");
                if (configMapKey.isObject()) {
                    needs(configMaps, "ConfigMap", configMapKey.path("name").asText(),
                            Set.of(configMapKey.path("key").asText()), m, check);
                }
                if (node.path("configMapRef").isObject()) {
                    needs(configMaps, "ConfigMap", node.path("configMapRef").path("name").asText(), Set.of(), m, check);
                }
                if (node.path("secret").path("secretName").isTextual()) {
                    Set<String> items = new TreeSet<>();
                    node.path("secret").path("items").forEach(i -> items.add(i.path("key").asText()));
                    needs(secrets, "Secret", node.path("secret").path("secretName").asText(), items, m, check);
                }
            });
        }
        for (Manifest ispn : Manifests.ofKind("infinispan.org/v1", "Infinispan")) {
            JsonNode spec = ispn.tree().path("spec");
            // the keys the operator reads (Infinispan Operator guide: credentials, TLS, custom configuration)
            needs(secrets, "Secret", spec.path("security").path("endpointSecretName").asText(), Set.of("identities.yaml"), ispn, check);
            needs(secrets, "Secret", spec.path("security").path("endpointEncryption").path("certSecretName").asText(),
                    Set.of("tls.crt", "tls.key"), ispn, check);
            needs(configMaps, "ConfigMap", spec.path("configMapName").asText(), Set.of("infinispan-config.yaml"), ispn, check);
        }
        for (Manifest sink : Manifests.ofKind("eventing.knative.dev/v1alpha1", "KafkaSink")) {
            needs(secrets, "Secret", sink.tree().path("spec").path("auth").path("secret").path("ref").path("name").asText(),
                    MADE_BY_README.get("eddy-kafka-knative"), sink, check);
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyResourceReferenceResolves() {
        List<String> broken = new ArrayList<>();
        for (Manifest m : Manifests.all()) {
            walk(m.tree(), node -> {
                JsonNode ref = node.path("ref");
                if (ref.path("kind").isTextual() && ref.path("apiVersion").isTextual()) {
                    boolean found = Manifests.all().stream().anyMatch(target ->
                            target.is(ref.path("apiVersion").asText(), ref.path("kind").asText())
                                    && target.name().equals(ref.path("name").asText()));
                    if (!found) {
                        broken.add(m + ": no " + ref.path("apiVersion").asText() + " " + ref.path("kind").asText()
                                + " " + ref.path("name").asText());
                    }
                }
            });
        }
        assertEquals(List.of(), broken);
    }

    /** A Secret the README has the user make is made by a command in that README. */
    @Test
    void secretsMadeByHandHaveTheirCommandInTheReadme() throws IOException {
        String readmes = Files.readString(Manifests.repository().resolve("k8s/README.md"))
                + Files.readString(Manifests.repository().resolve("knative/README.md"));
        for (String secret : MADE_BY_README.keySet()) {
            assertTrue(readmes.matches("(?s).*create secret \\w+ " + secret + "\\b.*"),
                    "k8s/README.md or knative/README.md makes Secret " + secret + " (kubectl create secret ... " + secret + ")");
        }
    }

    private static void needs(Map<String, Set<String>> defined, String kind, String name, Set<String> keys, Manifest in,
                              BiConsumer<String, String> broken) {
        Set<String> have = defined.get(name);
        if (have == null) {
            broken.accept(in.toString(), "no " + kind + " " + name);
        } else if (!have.containsAll(keys)) {
            broken.accept(in.toString(), kind + " " + name + " has keys " + have + ", not all of " + keys);
        }
    }

    private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
            node.elements().forEachRemaining(child -> walk(child, visit));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> walk(child, visit));
        }
    }
}

package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The KafkaUsers' ACLs (k8s/32-) against what the other manifests make Kafka clients do: the Knative
 * sources read their topics in their consumer groups and the sink writes its topic, as user
 * {@code eddy-triggers}; no user but Eddy's may write a stream or changes topic. Read as Kafka's
 * authorizer reads ACLs (a literal name or a prefix; Read, Write, Delete and Alter imply Describe;
 * All is everything). Only allow rules are written here, so deny rules are refused rather than
 * evaluated. What Eddy itself needs of Kafka is shown on a real broker by KafkaUserAclsIT (functions/).
 */
class KafkaAccessTest {
    /** Eddy's own user: the only one that writes its topics. */
    private static final String EDDY = "eddy";
    /** The user of Secret eddy-kafka-knative (knative/README.md), which the sources and the sink log in with. */
    private static final String KNATIVE_USER = "eddy-triggers";
    private static final List<String> EDDY_TOPIC_PREFIXES = List.of("eddy.stream.", "eddy.changes.");
    private static final Set<String> IMPLY_DESCRIBE = Set.of("Read", "Write", "Delete", "Alter");

    @Test
    void theKnativeSourcesMayReadTheirTopicsInTheirGroups() {
        List<Manifest> sources = Manifests.where(m -> m.kind().equals("KafkaSource"));
        assertFalse(sources.isEmpty());
        for (Manifest source : sources) {
            JsonNode spec = source.tree().path("spec");
            for (JsonNode topic : spec.path("topics")) {
                assertTrue(allowed(KNATIVE_USER, "topic", topic.asText(), "Read"), source + " reads " + topic.asText());
                assertTrue(allowed(KNATIVE_USER, "topic", topic.asText(), "Describe"), source + " describes " + topic.asText());
            }
            String group = spec.path("consumerGroup").asText();
            assertTrue(allowed(KNATIVE_USER, "group", group, "Read"), source + " joins group " + group);
        }
    }

    @Test
    void theKnativeSinkMayWriteItsTopic() {
        List<Manifest> sinks = Manifests.where(m -> m.kind().equals("KafkaSink"));
        assertFalse(sinks.isEmpty());
        for (Manifest sink : sinks) {
            String topic = sink.tree().path("spec").path("topic").asText();
            assertTrue(allowed(KNATIVE_USER, "topic", topic, "Write"), sink + " writes " + topic);
        }
    }

    @Test
    void onlyEddyWritesStreamAndChangesTopics() {
        for (Manifest user : users()) {
            if (user.name().equals(EDDY)) {
                continue;
            }
            for (JsonNode rule : rules(user)) {
                JsonNode resource = rule.path("resource");
                if (!resource.path("type").asText().equals("topic")) {
                    continue;
                }
                String name = resource.path("name").asText();
                boolean prefix = resource.path("patternType").asText("literal").equals("prefix");
                // a rule reaches Eddy's topics if its name (or prefix) could name one of them
                boolean reaches = name.equals("*") || EDDY_TOPIC_PREFIXES.stream().anyMatch(p ->
                        name.startsWith(p) || prefix && p.startsWith(name));
                if (reaches) {
                    List<String> operations = operations(rule);
                    assertFalse(operations.contains("Write") || operations.contains("All"),
                            user + " may write Eddy's topics: " + rule);
                }
            }
        }
    }

    private static boolean allowed(String user, String type, String name, String operation) {
        Manifest kafkaUser = Manifests.ofKind("kafka.strimzi.io/v1", "KafkaUser").stream()
                .filter(u -> u.name().equals(user)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaUser " + user));
        for (JsonNode rule : rules(kafkaUser)) {
            assertTrue(rule.path("type").asText("allow").equals("allow"), kafkaUser + ": deny rules are not read here");
            JsonNode resource = rule.path("resource");
            if (!resource.path("type").asText().equals(type)) {
                continue;
            }
            String pattern = resource.path("name").asText();
            boolean matches = resource.path("patternType").asText("literal").equals("prefix")
                    ? name.startsWith(pattern) : pattern.equals(name) || pattern.equals("*");
            List<String> operations = operations(rule);
            boolean grants = operations.contains(operation) || operations.contains("All")
                    || operation.equals("Describe") && operations.stream().anyMatch(IMPLY_DESCRIBE::contains);
            if (matches && grants) {
                return true;
            }
        }
        return false;
    }

    private static List<Manifest> users() {
        return Manifests.ofKind("kafka.strimzi.io/v1", "KafkaUser");
    }

    private static JsonNode rules(Manifest user) {
        return user.tree().path("spec").path("authorization").path("acls");
    }

    private static List<String> operations(JsonNode rule) {
        List<String> operations = new ArrayList<>();
        rule.path("operations").forEach(o -> operations.add(o.asText()));
        return operations;
    }
}

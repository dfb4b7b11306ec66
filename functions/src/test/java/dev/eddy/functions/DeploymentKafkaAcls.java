package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka authorization of the deployment, read from its manifests and turned into what Strimzi
 * makes of it on the brokers: the Kafka cluster's authorizer and super users ({@code k8s/31-kafka.yaml},
 * which must use Strimzi's {@code simple} authorization) and, per KafkaUser of
 * {@code k8s/32-kafka-users.yaml}, the ACL bindings its User Operator creates (principal
 * {@code User:<name>}, each rule's operations on its resource; Strimzi's defaults: pattern
 * {@code literal}, type {@code allow}, host {@code *}; the cluster resource is {@code kafka-cluster}).
 * Anything this does not know how to translate fails, so a manifest change is never silently
 * ignored by the test that enforces it.
 *
 * <p>Read with Jackson's YAML module (on the test classpath already), as the manifests check in
 * {@code k8s/src/test} reads them.
 *
 * @param superUsers the Kafka resource's {@code authorization.superUsers}
 * @param users      every KafkaUser's name with its ACL bindings, in file order
 */
record DeploymentKafkaAcls(Set<String> superUsers, Map<String, List<AclBinding>> users) {
    static final String KAFKA_FILE = "k8s/31-kafka.yaml";
    static final String USERS_FILE = "k8s/32-kafka-users.yaml";
    /** The name Kafka gives its one cluster resource in ACLs. */
    private static final String CLUSTER_RESOURCE = "kafka-cluster";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The deployment's manifests of this checkout. */
    static DeploymentKafkaAcls read() throws IOException {
        JsonNode kafka = only(resources(manifest(KAFKA_FILE)), "Kafka");
        JsonNode authorization = kafka.path("spec").path("kafka").path("authorization");
        if (!"simple".equals(authorization.path("type").asText())) {
            throw new IllegalStateException(KAFKA_FILE + ": expected authorization type simple (ACLs), found "
                    + authorization);
        }
        Set<String> superUsers = new LinkedHashSet<>();
        authorization.path("superUsers").forEach(u -> superUsers.add(u.asText()));
        Map<String, List<AclBinding>> users = new LinkedHashMap<>();
        for (JsonNode user : resources(manifest(USERS_FILE))) {
            if (!"KafkaUser".equals(user.path("kind").asText())) {
                continue;
            }
            String name = user.path("metadata").path("name").asText();
            JsonNode spec = user.path("spec");
            if (!"scram-sha-512".equals(spec.path("authentication").path("type").asText())) {
                throw new IllegalStateException(USERS_FILE + " " + name + ": the test gives SCRAM-SHA-512 users only, found "
                        + spec.path("authentication"));
            }
            if (!"simple".equals(spec.path("authorization").path("type").asText())) {
                throw new IllegalStateException(USERS_FILE + " " + name + ": expected authorization type simple");
            }
            List<AclBinding> bindings = new ArrayList<>();
            for (JsonNode rule : spec.path("authorization").path("acls")) {
                bindings.addAll(bindings(name, rule));
            }
            users.put(name, List.copyOf(bindings));
        }
        return new DeploymentKafkaAcls(Set.copyOf(superUsers), java.util.Collections.unmodifiableMap(users));
    }

    /** Every user's bindings. */
    List<AclBinding> all() {
        return users.values().stream().flatMap(List::stream).toList();
    }

    private static List<AclBinding> bindings(String user, JsonNode rule) {
        JsonNode resource = rule.path("resource");
        ResourceType type = constant(ResourceType.class, resource.path("type").asText(), user);
        String name = type == ResourceType.CLUSTER ? CLUSTER_RESOURCE : resource.path("name").asText();
        if (name.isEmpty()) {
            throw new IllegalStateException(USERS_FILE + " " + user + ": a " + type + " rule without a name: " + rule);
        }
        PatternType pattern = type == ResourceType.CLUSTER ? PatternType.LITERAL
                : switch (resource.path("patternType").asText("literal")) {
                    case "literal" -> PatternType.LITERAL;
                    case "prefix" -> PatternType.PREFIXED;
                    default -> throw new IllegalStateException(USERS_FILE + " " + user + ": unknown patternType in " + rule);
                };
        AclPermissionType permission = constant(AclPermissionType.class, rule.path("type").asText("allow"), user);
        String host = rule.path("host").asText("*");
        List<String> operations = new ArrayList<>();
        rule.path("operations").forEach(o -> operations.add(o.asText()));
        if (rule.hasNonNull("operation")) {
            operations.add(rule.path("operation").asText()); // the form before Strimzi's v1 API
        }
        if (operations.isEmpty()) {
            throw new IllegalStateException(USERS_FILE + " " + user + ": a rule without operations: " + rule);
        }
        List<AclBinding> out = new ArrayList<>();
        for (String operation : operations) {
            out.add(new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry("User:" + user, host,
                    constant(AclOperation.class, operation, user), permission)));
        }
        return out;
    }

    /** Strimzi's camel-case names (transactionalId, DescribeConfigs) as Kafka's constants; unknown ones fail. */
    private static <E extends Enum<E>> E constant(Class<E> type, String strimziName, String user) {
        String constant = strimziName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            E value = Enum.valueOf(type, constant);
            if (!value.name().equals("UNKNOWN") && !value.name().equals("ANY") && !value.name().equals("MATCH")) {
                return value;
            }
        } catch (IllegalArgumentException unknown) {
            // reported below
        }
        throw new IllegalStateException(USERS_FILE + " " + user + ": no Kafka " + type.getSimpleName() + " for \""
                + strimziName + "\"");
    }

    private static JsonNode only(List<JsonNode> resources, String kind) {
        List<JsonNode> found = resources.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    private static List<JsonNode> resources(Path file) throws IOException {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(parser).readAll().stream()
                    .filter(r -> r != null && r.isObject()).toList();
        }
    }

    /** A manifest of this checkout, found above the module the tests run in. */
    private static Path manifest(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}

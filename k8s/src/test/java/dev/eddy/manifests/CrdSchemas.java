package dev.eddy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources checked against the OpenAPI schema of their CustomResourceDefinition, as the API server
 * checks them: the CRD comes from a published artifact that the build unpacks (never a copy kept
 * here). Used where no published Java model exists: the Infinispan Operator publishes its CRDs only
 * with its Go sources and images, on no registry reached here; Intersmash
 * (org.jboss.intersmash:intersmash-provisioners, Maven Central) ships them as resources, taken from
 * the operator's config/crd/bases.
 */
final class CrdSchemas {
    /** CRD files in the unpacked artifact, by API group and kind. */
    private static final Map<String, String> CRDS = Map.of(
            "infinispan.org/Infinispan", "crds/default/infinispan.org_infinispans.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final Map<String, Optional<JsonSchema>> SCHEMAS = new ConcurrentHashMap<>();

    private CrdSchemas() {
    }

    /** The schema of the CRD version that serves this apiVersion, if a CRD for it is on the classpath. */
    static Optional<JsonSchema> schemaFor(String apiVersion, String kind) {
        return SCHEMAS.computeIfAbsent(apiVersion + "/" + kind, key -> {
            int slash = apiVersion.indexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            String resource = CRDS.get(apiVersion.substring(0, slash) + "/" + kind);
            if (resource == null) {
                return Optional.empty();
            }
            String version = apiVersion.substring(slash + 1);
            for (JsonNode v : crd(resource).path("spec").path("versions")) {
                if (v.path("name").asText().equals(version) && v.path("served").asBoolean()) {
                    JsonNode openApi = v.path("schema").path("openAPIV3Schema");
                    return Optional.of(FACTORY.getSchema(strict(openApi.deepCopy())));
                }
            }
            return Optional.empty();
        });
    }

    static List<String> problems(JsonNode resource, JsonSchema schema) {
        return schema.validate(resource).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonNode crd(String resource) {
        Path file = Path.of(System.getProperty("eddy.published-crds", "target/published-crds")).resolve(resource);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the build unpacks it (k8s/pom.xml, published-crds)");
        }
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CRD's structural schema as JSON Schema draft 4, read the way strict field validation reads
     * it: an object with declared properties takes no others unless it says
     * x-kubernetes-preserve-unknown-fields; x-kubernetes-int-or-string takes an integer or a string;
     * nullable takes null. OpenAPI formats (int32, int64, ...) are not JSON Schema's and are dropped.
     */
    private static JsonNode strict(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        schema.remove("format");
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            ArrayNode either = schema.putArray("anyOf");
            either.addObject().put("type", "integer");
            either.addObject().put("type", "string");
            schema.remove("type");
        }
        if (schema.path("nullable").asBoolean() && schema.path("type").isTextual()) {
            String type = schema.get("type").asText();
            schema.putArray("type").add(type).add("null");
        }
        if (schema.has("properties") && !schema.has("additionalProperties")
                && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            schema.put("additionalProperties", false);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            ((ObjectNode) schema.get("properties")).set(p.getKey(), strict(p.getValue()));
        }
        for (String nested : List.of("items", "additionalProperties", "not")) {
            if (schema.get(nested) instanceof ObjectNode) {
                schema.set(nested, strict(schema.get(nested)));
            }
        }
        for (String list : List.of("allOf", "anyOf", "oneOf")) {
            if (schema.get(list) instanceof ArrayNode items) {
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, strict(items.get(i)));
                }
            }
        }
        return schema;
    }
}

package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.Projection;
import dev.eddy.core.table.StreamSpec;
import dev.eddy.core.table.Throughput;
import java.util.ArrayList;
import java.util.List;

/** Reading and checking the parts of table requests that CreateTable and UpdateTable share. */
final class TableRequests {
    static final List<String> VIEW_TYPES = List.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");
    static final long MAX_CAPACITY_UNITS = 40_000;

    private TableRequests() {
    }

    static List<KeyElement> keySchema(Request r, JsonNode list, String path, boolean required) {
        if (list == null) {
            if (required) {
                r.notNull(path, null);
            }
            return List.of();
        }
        if (list.size() < 1) {
            r.violation("'[]'", path, "Member must have length greater than or equal to 1");
        }
        List<KeyElement> out = new ArrayList<>();
        int n = 0;
        for (JsonNode node : list) {
            n++;
            String p = path + "." + n + ".member";
            if (!node.isObject()) {
                throw Errors.serialization("Unexpected value type in payload");
            }
            String name = Request.string(node, "AttributeName");
            String type = Request.string(node, "KeyType");
            if (r.notNull(p + ".attributeName", name)) {
                r.length(p + ".attributeName", name, 1, 255);
            }
            if (r.notNull(p + ".keyType", type)) {
                r.oneOf(p + ".keyType", type, List.of(KeyElement.HASH, KeyElement.RANGE));
            }
            out.add(new KeyElement(name, type));
        }
        if (list.size() > 2) {
            r.violation(render(out), path, "Member must have length less than or equal to 2");
        }
        return out;
    }

    private static String render(List<KeyElement> keys) {
        List<String> parts = new ArrayList<>();
        for (KeyElement k : keys) {
            parts.add("KeySchemaElement(attributeName=" + k.attributeName() + ", keyType=" + k.keyType() + ")");
        }
        return "'" + parts + "'";
    }

    /**
     * Distinct names, the first element the HASH key, an optional second the RANGE key; checked in
     * DynamoDB's order, so [pk HASH, pk HASH] is reported for its names.
     */
    static void checkKeySchema(List<KeyElement> keys) {
        if (keys.isEmpty()) {
            return;
        }
        if (keys.size() == 2 && keys.get(0).attributeName().equals(keys.get(1).attributeName())) {
            throw Errors.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!KeyElement.HASH.equals(keys.get(0).keyType())) {
            throw Errors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keys.size() == 2 && !KeyElement.RANGE.equals(keys.get(1).keyType())) {
            throw Errors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
    }

    static List<AttributeDefinition> attributeDefinitions(Request r, JsonNode list) {
        if (list == null) {
            r.notNull("attributeDefinitions", null);
            return List.of();
        }
        List<AttributeDefinition> out = new ArrayList<>();
        int n = 0;
        for (JsonNode node : list) {
            n++;
            String p = "attributeDefinitions." + n + ".member";
            if (!node.isObject()) {
                throw Errors.serialization("Unexpected value type in payload");
            }
            String name = Request.string(node, "AttributeName");
            String type = Request.string(node, "AttributeType");
            if (r.notNull(p + ".attributeName", name)) {
                r.length(p + ".attributeName", name, 1, 255);
            }
            if (r.notNull(p + ".attributeType", type)) {
                r.oneOf(p + ".attributeType", type, List.of("B", "N", "S"));
            }
            out.add(new AttributeDefinition(name, type));
        }
        return out;
    }

    static Throughput throughput(Request r, JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        Long read = Request.integer(node, "ReadCapacityUnits");
        Long write = Request.integer(node, "WriteCapacityUnits");
        // DynamoDB lists the write units' violations before the read units'.
        if (r.notNull(path + ".writeCapacityUnits", write)) {
            r.range(path + ".writeCapacityUnits", write, 1, Long.MAX_VALUE);
        }
        if (r.notNull(path + ".readCapacityUnits", read)) {
            r.range(path + ".readCapacityUnits", read, 1, Long.MAX_VALUE);
        }
        if (read == null || write == null) {
            return null;
        }
        return new Throughput(read, write, null, null, 0);
    }

    /** Beyond the per-table account quota DynamoDB refuses the request. */
    static void checkQuota(Throughput t) {
        if (t != null && (t.readCapacityUnits() > MAX_CAPACITY_UNITS || t.writeCapacityUnits() > MAX_CAPACITY_UNITS)) {
            throw Errors.limitExceeded("Subscriber limit exceeded: Provisioned throughput for the table exceeds "
                    + "the per-table quota of " + MAX_CAPACITY_UNITS + " capacity units");
        }
    }

    /** UpdateTable's StreamSpecification, checked at once with UpdateTable's wording. */
    static StreamSpec streamSpec(Request r, JsonNode node) {
        StreamSpec spec = readStreamSpec(r, node);
        checkStreamSpec(spec, false);
        return spec;
    }

    /** A StreamSpecification's members and their constraints; null when absent or StreamEnabled is. */
    static StreamSpec readStreamSpec(Request r, JsonNode node) {
        if (node == null) {
            return null;
        }
        Boolean enabled = Request.bool(node, "StreamEnabled");
        String viewType = Request.string(node, "StreamViewType");
        r.notNull("streamSpecification.streamEnabled", enabled);
        r.oneOf("streamSpecification.streamViewType", viewType, VIEW_TYPES);
        return enabled == null ? null : new StreamSpec(enabled, viewType);
    }

    /** A view type exactly when the stream is on; CreateTable and UpdateTable word it differently. */
    static void checkStreamSpec(StreamSpec spec, boolean creating) {
        if (spec == null) {
            return;
        }
        if (spec.enabled() && spec.viewType() == null) {
            throw Errors.invalidParameter(creating
                    ? "Table is being created with a stream enabled, UpdateViewType is required"
                    : "If stream is being enabled then UpdateViewType is required");
        }
        if (!spec.enabled() && spec.viewType() != null) {
            throw Errors.invalidParameter(creating
                    ? "Table is being created with a stream disabled, UpdateViewType should not be specified"
                    : "If stream is being disabled, then UpdateViewType must not be specified");
        }
    }

    static Projection projection(Request r, JsonNode node, String path) {
        if (node == null) {
            r.notNull(path, null);
            return null;
        }
        String type = Request.string(node, "ProjectionType");
        r.oneOf(path + ".projectionType", type, List.of("ALL", "KEYS_ONLY", "INCLUDE"));
        JsonNode nonKey = Request.list(node, "NonKeyAttributes");
        List<String> attrs = null;
        if (nonKey != null) {
            if (nonKey.size() == 0) {
                r.violation("'[]'", path + ".nonKeyAttributes", "Member must have length greater than or equal to 1");
            }
            attrs = new ArrayList<>();
            for (JsonNode a : nonKey) {
                if (!a.isTextual()) {
                    throw Errors.serialization(AttributeValueJson.wrongShape(a, "String"));
                }
                attrs.add(a.textValue());
            }
        }
        return new Projection(type, attrs);
    }

    static void checkProjection(IndexDefinition i) {
        Projection p = i.projection();
        if (p.projectionType() == null) {
            throw Errors.invalidParameter("Unknown ProjectionType: null");
        }
        boolean hasNonKey = p.nonKeyAttributes() != null;
        if ("INCLUDE".equals(p.projectionType()) && !hasNonKey) {
            throw Errors.invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        if (!"INCLUDE".equals(p.projectionType()) && hasNonKey) {
            throw Errors.invalidParameter("ProjectionType is " + p.projectionType()
                    + ", but NonKeyAttributes is specified");
        }
    }
}

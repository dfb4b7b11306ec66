package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * BatchGetItem: up to 100 items by key from one or more tables, read side by side. Each table has
 * its own ConsistentRead and projection; items past 16 MB of data are returned as UnprocessedKeys
 * with their table's settings, ready to be sent again (API Reference, BatchGetItem).
 */
public final class BatchGetItem implements BlockingOperation {
    static final int MAX_KEYS = 100;

    private final OperationContext context;

    public BatchGetItem(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "BatchGetItem";
    }

    /**
     * One table's entry of RequestItems, as read and checked; the projection members are kept as
     * sent, to come back with any of its keys left unprocessed.
     */
    private record TableRequest(String name, List<Map<String, AttributeValue>> keys, Boolean consistentRead,
                                Set<String> attributesToGet, String projectionExpression, JsonNode names,
                                Projection projection) {
        boolean consistent() {
            return Boolean.TRUE.equals(consistentRead);
        }

        Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
            if (projection != null) {
                return projection.project(item);
            }
            if (attributesToGet == null) {
                return item;
            }
            return ItemRequests.attributesToGet(item, attributesToGet);
        }
    }

    /** One key to read: its table (index into the request's tables) and where it lives. */
    private record Read(int table, TableDefinition definition, PrimaryKey key, Map<String, AttributeValue> keyMap,
                        boolean consistent) {
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String capacity = r.string("ReturnConsumedCapacity");
        JsonNode requestItems = r.object("RequestItems");
        // BatchGetItem answers from DynamoDB's newer validation framework: member paths as sent,
        // RequestItems echoed as JSON, and the map's violations listed before the enum's.
        List<String> violations = new ArrayList<>();
        BatchRequests.Deferred deferred = new BatchRequests.Deferred();
        List<TableRequest> tables = new ArrayList<>();
        if (requestItems == null) {
            violations.add(Errors.violation("null", "requestItems", "Member must not be null"));
        } else if (requestItems.size() == 0) {
            violations.add(Errors.memberViolation("RequestItems", "Member must have length greater than or equal to 1"));
        } else {
            if (BatchRequests.hasBadTableName(requestItems)) {
                violations.add(Errors.violation(Request.quote(requestItems.toString()), "requestItems",
                        Errors.TABLE_NAME_MAP_KEYS));
            }
            int[] total = {0};
            boolean[] styles = {false, false};
            Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                tables.add(readTable(violations, e.getKey(), e.getValue(), deferred, total, styles));
            }
        }
        BatchRequests.checkEnum(violations, "returnConsumedCapacity", capacity, ItemRequests.RETURN_CAPACITY);
        if (!violations.isEmpty()) {
            throw Errors.constraintViolations(violations);
        }
        deferred.throwIfAny();

        // The keys are checked against their tables' schemas only once every table is known.
        List<TableDefinition> definitions = new ArrayList<>();
        for (TableRequest tr : tables) {
            definitions.add(Tables.forItems(context, tr.name()));
        }
        List<Read> reads = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TableRequest tr = tables.get(i);
            for (Map<String, AttributeValue> keyMap : tr.keys()) {
                reads.add(new Read(i, definitions.get(i), BatchRequests.fromKey(definitions.get(i), keyMap), keyMap,
                        tr.consistent()));
            }
        }

        List<BatchRequests.Outcome<Map<String, AttributeValue>>> outcomes = BatchRequests.inParallel(reads,
                read -> context.items().get(read.definition(), read.key(), read.consistent()));
        BatchRequests.throwIfAllFailed(outcomes);

        List<List<Map<String, AttributeValue>>> found = new ArrayList<>();
        List<List<Map<String, AttributeValue>>> unprocessed = new ArrayList<>();
        double[] units = new double[tables.size()];
        boolean[] read = new boolean[tables.size()];
        for (int i = 0; i < tables.size(); i++) {
            found.add(new ArrayList<>());
            unprocessed.add(new ArrayList<>());
        }
        long bytes = 0;
        boolean full = false;
        for (int i = 0; i < reads.size(); i++) {
            Read rd = reads.get(i);
            BatchRequests.Outcome<Map<String, AttributeValue>> o = outcomes.get(i);
            Map<String, AttributeValue> item = o.value();
            long size = item == null ? 0 : ItemSize.of(item);
            // "A single operation can retrieve up to 16 MB of data": what does not fit waits for the next call.
            if (full || o.failed() || bytes + size > BatchRequests.MAX_BATCH_BYTES) {
                full |= !o.failed();
                unprocessed.get(rd.table()).add(rd.keyMap());
                continue;
            }
            bytes += size;
            units[rd.table()] += ItemRequests.readUnits(item, rd.consistent());
            read[rd.table()] = true;
            if (item != null) {
                found.get(rd.table()).add(tables.get(rd.table()).project(item));
            }
        }

        out.writeObjectFieldStart("Responses");
        for (int i = 0; i < tables.size(); i++) {
            out.writeArrayFieldStart(tables.get(i).name());
            for (Map<String, AttributeValue> item : found.get(i)) {
                AttributeValueJson.writeItem(out, item);
            }
            out.writeEndArray();
        }
        out.writeEndObject();
        out.writeObjectFieldStart("UnprocessedKeys");
        for (int i = 0; i < tables.size(); i++) {
            if (!unprocessed.get(i).isEmpty()) {
                writeUnprocessed(out, tables.get(i), unprocessed.get(i));
            }
        }
        out.writeEndObject();
        List<BatchRequests.TableUnits> consumed = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            if (read[i]) {
                consumed.add(new BatchRequests.TableUnits(definitions.get(i), units[i]));
            }
        }
        BatchRequests.writeCapacity(out, capacity, consumed);
    }

    /**
     * One table's KeysAndAttributes: constraint violations go to {@code violations}, DynamoDB's own
     * rules (in the order dynalite's tests against it show) to {@code deferred}.
     *
     * @param total  keys read so far across tables
     * @param styles whether an earlier table used AttributesToGet, ProjectionExpression: one request
     *               may not mix the two, even across tables
     */
    private static TableRequest readTable(List<String> violations, String name, JsonNode value,
                                          BatchRequests.Deferred deferred, int[] total, boolean[] styles) {
        JsonNode entry = BatchRequests.structure(value, "a structure");
        String path = "RequestItems." + name + ".member.";
        JsonNode keys = entry == null ? null : Request.list(entry, "Keys");
        if (keys == null) {
            violations.add(Errors.memberViolation(path + "Keys", "Member must not be null"));
        } else if (keys.size() == 0) {
            violations.add(Errors.memberViolation(path + "Keys", "Member must have length greater than or equal to 1"));
        } else if (keys.size() > MAX_KEYS) {
            violations.add(Errors.memberViolation(path + "Keys",
                    "Member must have length less than or equal to " + MAX_KEYS));
        }
        JsonNode attributesToGet = entry == null ? null : Request.list(entry, "AttributesToGet");
        if (attributesToGet != null && attributesToGet.size() == 0) {
            violations.add(Errors.memberViolation(path + "AttributesToGet",
                    "Member must have length greater than or equal to 1"));
        }
        Boolean consistentRead = entry == null ? null : Request.bool(entry, "ConsistentRead");
        String projection = entry == null ? null : Request.string(entry, "ProjectionExpression");
        JsonNode names = entry == null ? null : Request.object(entry, "ExpressionAttributeNames");
        if (names != null) {
            for (JsonNode n : names) {
                if (!n.isTextual()) {
                    throw Errors.serialization(AttributeValueJson.wrongShape(n, "String"));
                }
            }
        }

        styles[0] |= attributesToGet != null;
        styles[1] |= projection != null;
        if (styles[0] && styles[1]) {
            deferred.offer(Errors.mixedParameters(List.of("AttributesToGet"), List.of("ProjectionExpression")));
        }
        if (names != null && projection == null) {
            deferred.offer(Errors.namesWithoutExpressions());
        }
        Set<String> attributeNames = attributesToGet == null ? null : attributeNames(attributesToGet, deferred);
        Projection parsed = null;
        if (projection != null) {
            try {
                Placeholders placeholders = Placeholders.read(names, null);
                parsed = Expressions.projection(projection, placeholders);
                placeholders.checkAllUsed();
            } catch (DynamoException e) {
                if ("SerializationException".equals(e.type())) {
                    throw e;
                }
                deferred.offer(e);
            }
        }

        List<Map<String, AttributeValue>> keyMaps = new ArrayList<>();
        Set<Map<String, AttributeValue>> seen = new HashSet<>();
        if (keys != null) {
            for (JsonNode k : keys) {
                Map<String, AttributeValue> key = deferred.read(k, "Keys");
                if (key == null) {
                    continue;
                }
                // Numbers are canonical by now, so {"N": "1"} and {"N": "1.0"} are the same key.
                if (!seen.add(key)) {
                    deferred.offer(Errors.duplicateBatchKeys());
                }
                if (++total[0] > MAX_KEYS) {
                    deferred.offer(Errors.tooManyBatchItems("BatchGetItem"));
                }
                keyMaps.add(key);
            }
        }
        return new TableRequest(name, keyMaps, consistentRead, attributeNames, projection, names, parsed);
    }

    private static Set<String> attributeNames(JsonNode list, BatchRequests.Deferred deferred) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : list) {
            if (!n.isTextual()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(n, "String"));
            }
            if (!names.add(n.textValue())) {
                deferred.offer(Errors.invalidParameter("Duplicate value in attribute name: " + n.textValue()));
            }
        }
        return names;
    }

    /** The table's keys not read, with the settings they came with, so the entry can be sent as it is. */
    private static void writeUnprocessed(JsonGenerator out, TableRequest table, List<Map<String, AttributeValue>> keys)
            throws IOException {
        out.writeObjectFieldStart(table.name());
        out.writeArrayFieldStart("Keys");
        for (Map<String, AttributeValue> key : keys) {
            AttributeValueJson.writeItem(out, key);
        }
        out.writeEndArray();
        if (table.attributesToGet() != null) {
            out.writeArrayFieldStart("AttributesToGet");
            for (String a : table.attributesToGet()) {
                out.writeString(a);
            }
            out.writeEndArray();
        }
        if (table.consistentRead() != null) {
            out.writeBooleanField("ConsistentRead", table.consistentRead());
        }
        if (table.projectionExpression() != null) {
            out.writeStringField("ProjectionExpression", table.projectionExpression());
        }
        if (table.names() != null) {
            out.writeObjectFieldStart("ExpressionAttributeNames");
            Iterator<Map.Entry<String, JsonNode>> it = table.names().fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.writeStringField(e.getKey(), e.getValue().textValue());
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }
}

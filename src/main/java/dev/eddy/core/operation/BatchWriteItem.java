package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchWriteItem: up to 25 puts and deletes across tables. The whole batch is validated before
 * anything is written, so a bad request writes nothing; then each write is atomic on its own,
 * not the batch as a whole (API Reference, BatchWriteItem).
 */
public final class BatchWriteItem implements BlockingOperation {
    static final int MAX_WRITES = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperationContext context;

    public BatchWriteItem(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "BatchWriteItem";
    }

    /** One WriteRequest: a put of {@code item}, or a delete of {@code key}. */
    private record Write(Map<String, AttributeValue> item, Map<String, AttributeValue> key) {
        boolean isPut() {
            return item != null;
        }
    }

    private record TableWrites(String name, List<Write> writes) {
    }

    /** A write checked against its table, ready to run. */
    private record Planned(int table, TableDefinition definition, PrimaryKey key, Write write) {
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        if (serializedSize(r.body()) > BatchRequests.MAX_BATCH_BYTES) {
            throw Errors.batchRequestTooLarge();
        }
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        r.oneOf("ReturnItemCollectionMetrics", ItemRequests.RETURN_METRICS);
        JsonNode requestItems = r.object("RequestItems");
        // Everything is read first, so a member of the wrong JSON type fails before any rule.
        List<String> violations = new ArrayList<>();
        BatchRequests.Deferred deferred = new BatchRequests.Deferred();
        List<TableWrites> tables = new ArrayList<>();
        if (requestItems != null && requestItems.size() > 0) {
            if (BatchRequests.hasBadTableName(requestItems)) {
                violations.add(Errors.violation(BatchRequests.renderMap(requestItems, BatchWriteItem::renderRequests),
                        "requestItems", Errors.TABLE_NAME_MAP_KEYS));
            }
            for (JsonNode list : requestItems) {
                if (list.isNull() || list.size() < 1 || list.size() > MAX_WRITES) {
                    violations.add(Errors.violation(BatchRequests.renderMap(requestItems,
                            BatchWriteItem::renderRequests), "requestItems", Errors.mapValueLength(MAX_WRITES)));
                    break;
                }
            }
            Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                tables.add(readTable(violations, e.getKey(), e.getValue(), deferred));
            }
        }
        // BatchWriteItem answers from DynamoDB's older validation framework: the enums are checked
        // first and reported alone, then RequestItems (2026 captures, us-east-1 and eu-west-2).
        r.check();
        if (requestItems == null || requestItems.size() == 0) {
            throw Errors.requestItemsRequired("BatchWriteItem");
        }
        if (!violations.isEmpty()) {
            throw Errors.constraintViolations(violations);
        }
        deferred.throwIfAny();
        int total = 0;
        for (TableWrites tw : tables) {
            total += tw.writes().size();
        }
        if (total > MAX_WRITES) {
            throw Errors.tooManyBatchItems("BatchWriteItem");
        }

        // Every table must exist before any key is checked against a schema.
        List<TableDefinition> definitions = new ArrayList<>();
        for (TableWrites tw : tables) {
            definitions.add(Tables.forItems(context, tw.name()));
        }
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TableDefinition t = definitions.get(i);
            Set<PrimaryKey> seen = new HashSet<>();
            for (Write w : tables.get(i).writes()) {
                PrimaryKey key = w.isPut() ? putKey(t, w.item()) : BatchRequests.fromKey(t, w.key());
                if (w.isPut()) {
                    // A put that its table's indexes refuse fails the whole batch before anything is written.
                    ItemKeys.checkIndexKeys(t, w.item());
                }
                // "You try to perform multiple operations on the same item in the same BatchWriteItem request."
                if (!seen.add(key)) {
                    throw Errors.duplicateBatchKeys();
                }
                plan.add(new Planned(i, t, key, w));
            }
        }

        // A write whose time is up is not made, and is handed back in UnprocessedItems (all of them: an error).
        Deadline deadline = Deadline.of(context, r);
        List<BatchRequests.Outcome<ItemStore.WriteResult>> outcomes = BatchRequests.inParallel(plan, p -> {
            Map<String, AttributeValue> next = p.write().item();
            return context.items().write(p.definition(), p.key(), deadline.guard(current -> next));
        });
        BatchRequests.throwIfAllFailed(outcomes);

        double[] units = new double[tables.size()];
        IndexCapacity[] indexUnits = new IndexCapacity[tables.size()];
        java.util.Arrays.fill(indexUnits, IndexCapacity.NONE);
        boolean[] written = new boolean[tables.size()];
        List<List<Write>> unprocessed = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            unprocessed.add(new ArrayList<>());
        }
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            BatchRequests.Outcome<ItemStore.WriteResult> o = outcomes.get(i);
            if (o.failed()) {
                unprocessed.get(p.table()).add(p.write());
                continue;
            }
            units[p.table()] += ItemRequests.writeUnits(o.value().oldItem(), p.write().item());
            if (capacity != null && !"NONE".equals(capacity)) {
                indexUnits[p.table()] = indexUnits[p.table()].plus(IndexCapacity.of(definitions.get(p.table()),
                        o.value().oldItem(), o.value().newItem()));
            }
            written[p.table()] = true;
        }

        out.writeObjectFieldStart("UnprocessedItems");
        for (int i = 0; i < tables.size(); i++) {
            if (!unprocessed.get(i).isEmpty()) {
                out.writeArrayFieldStart(tables.get(i).name());
                for (Write w : unprocessed.get(i)) {
                    writeRequest(out, w);
                }
                out.writeEndArray();
            }
        }
        out.writeEndObject();
        List<BatchRequests.TableUnits> consumed = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            if (written[i]) {
                consumed.add(new BatchRequests.TableUnits(definitions.get(i), units[i], indexUnits[i]));
            }
        }
        BatchRequests.writeCapacity(out, capacity, consumed);
    }

    /**
     * One table's list of WriteRequests: missing items and keys are constraint violations; DynamoDB's
     * own rules go to {@code deferred} in the order it applies them: first that every request is
     * exactly one of put and delete, then each request's values and item size.
     */
    private static TableWrites readTable(List<String> violations, String name, JsonNode value,
                                         BatchRequests.Deferred deferred) {
        if (!value.isNull() && !value.isArray()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(value, "a list"));
        }
        JsonNode list = value.isNull() ? null : value;
        List<JsonNode[]> shapes = new ArrayList<>();
        int n = 0;
        if (list != null) {
            for (JsonNode member : list) {
                n++;
                JsonNode request = BatchRequests.structure(member, "a structure");
                JsonNode delete = request == null ? null : BatchRequests.structure(request.get("DeleteRequest"),
                        "a structure");
                JsonNode put = request == null ? null : BatchRequests.structure(request.get("PutRequest"),
                        "a structure");
                String path = "requestItems." + name + ".member." + n + ".member.";
                JsonNode key = delete == null ? null : Request.object(delete, "Key");
                JsonNode item = put == null ? null : Request.object(put, "Item");
                if (delete != null && key == null) {
                    violations.add(Errors.violation("null", path + "deleteRequest.key", "Member must not be null"));
                }
                if (put != null && item == null) {
                    violations.add(Errors.violation("null", path + "putRequest.item", "Member must not be null"));
                }
                shapes.add(new JsonNode[] {put, item, delete, key});
            }
        }
        for (JsonNode[] s : shapes) {
            if ((s[0] == null) == (s[2] == null)) {
                deferred.offer(Errors.writeRequestNotOneOf());
            }
        }
        List<Write> writes = new ArrayList<>();
        for (JsonNode[] s : shapes) {
            if (s[0] != null && s[1] != null) {
                Map<String, AttributeValue> item = deferred.readOlder(s[1], "Item");
                if (item != null && ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
                    deferred.offer(Errors.itemTooLarge());
                }
                writes.add(new Write(item, null));
            } else if (s[2] != null && s[3] != null) {
                writes.add(new Write(null, deferred.readOlder(s[3], "Key")));
            }
        }
        return new TableWrites(name, writes);
    }

    /**
     * A PutRequest's key. Where PutItem names a missing or mistyped key attribute, BatchWriteItem
     * answers that the key does not match the schema; the empty and size rules are PutItem's.
     */
    private static PrimaryKey putKey(TableDefinition t, Map<String, AttributeValue> item) {
        for (String name : t.rangeKey() == null ? List.of(t.hashKey()) : List.of(t.hashKey(), t.rangeKey())) {
            AttributeValue v = item.get(name);
            if (v == null || !v.type().name().equals(t.attributeType(name))) {
                throw Errors.keySchemaMismatch();
            }
        }
        return ItemKeys.fromItem(t, item);
    }

    private static void writeRequest(JsonGenerator out, Write w) throws IOException {
        out.writeStartObject();
        if (w.isPut()) {
            out.writeObjectFieldStart("PutRequest");
            out.writeFieldName("Item");
            AttributeValueJson.writeItem(out, w.item());
        } else {
            out.writeObjectFieldStart("DeleteRequest");
            out.writeFieldName("Key");
            AttributeValueJson.writeItem(out, w.key());
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /** A table's list as DynamoDB prints it in a violation: {@code [com.amazonaws...WriteRequest@1f, ...]}. */
    private static String renderRequests(JsonNode list) {
        return BatchRequests.renderList(list, n -> BatchRequests.renderObject("WriteRequest", n));
    }

    /** The request's size as compact JSON, which is how clients send it. */
    private static long serializedSize(JsonNode body) throws IOException {
        long[] count = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        JSON.writeValue(counter, body);
        return count[0];
    }
}

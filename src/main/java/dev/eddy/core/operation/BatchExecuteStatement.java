package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.partiql.Parameters;
import dev.eddy.core.partiql.ParsedStatement;
import dev.eddy.core.partiql.PlannedStatement;
import dev.eddy.core.partiql.Planner;
import dev.eddy.core.partiql.StatementRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchExecuteStatement: up to 25 statements, all single-item reads or all writes, each run on its
 * own and answered on its own: a statement that fails gets an Error (Code, Message, and the item
 * when ReturnValuesOnConditionCheckFailure asks for it) and the others still run.
 */
public final class BatchExecuteStatement implements BlockingOperation {
    private static final int MAX_STATEMENTS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperationContext context;

    public BatchExecuteStatement(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "BatchExecuteStatement";
    }

    /** One statement of the batch and, as the work goes on, its plan or its error. */
    private static final class Entry {
        final ParsedStatement statement;
        final Parameters parameters;
        final boolean consistentRead;
        final String onFailure;
        PlannedStatement plan;
        DynamoException error;
        JsonNode response;

        Entry(ParsedStatement statement, Parameters parameters, boolean consistentRead, String onFailure,
              DynamoException error) {
            this.statement = statement;
            this.parameters = parameters;
            this.consistentRead = consistentRead;
            this.onFailure = onFailure;
            this.error = error;
        }
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        JsonNode statements = r.list("Statements");
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        List<Entry> entries = new ArrayList<>();
        if (statements != null) {
            for (int i = 0; i < statements.size(); i++) {
                entries.add(entry(r, statements.get(i), i + 1));
            }
        }
        r.check();
        if (entries.isEmpty()) {
            throw PartiqlErrors.emptyBatch();
        }
        boolean reads = false;
        boolean writes = false;
        for (Entry e : entries) {
            reads |= e.statement != null && e.statement.isRead();
            writes |= e.statement != null && e.statement.isWrite(false);
        }
        if (reads && writes) {
            throw PartiqlErrors.batchMixesReadsAndWrites();
        }
        if (entries.size() > MAX_STATEMENTS) {
            throw reads ? PartiqlErrors.tooManyBatchReads() : PartiqlErrors.tooManyBatchWrites();
        }
        plan(entries);
        StatementRunner runner = new StatementRunner(context, r);
        for (Entry e : entries) {
            if (e.plan != null) {
                run(runner, e, capacity);
            }
        }
        writeResponses(out, entries);
    }

    private static Entry entry(Request r, JsonNode node, int position) {
        if (!node.isObject()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(node, "a structure"));
        }
        String text = Request.string(node, "Statement");
        if (text == null || text.isEmpty()) {
            throw PartiqlErrors.emptyBatch();
        }
        ExecuteStatement.checkLength(text, ExecuteStatement.MAX_STATEMENT);
        Parameters parameters = Parameters.read(node);
        boolean consistentRead = Boolean.TRUE.equals(Request.bool(node, "ConsistentRead"));
        String onFailure = Request.string(node, "ReturnValuesOnConditionCheckFailure");
        r.oneOf("statements." + position + ".member.returnValuesOnConditionCheckFailure", onFailure,
                ItemRequests.RETURN_ON_CONDITION_FAILURE);
        try {
            return new Entry(ParsedStatement.parse(text), parameters, consistentRead, onFailure, null);
        } catch (DynamoException e) {
            return new Entry(null, parameters, consistentRead, onFailure, e);
        }
    }

    /** Plans every statement; two on one item refuse the whole batch, as BatchWriteItem does. */
    private void plan(List<Entry> entries) {
        Planner planner = new Planner(name -> Tables.forItems(context, name));
        Set<Map.Entry<String, Map<String, AttributeValue>>> items = new HashSet<>();
        for (Entry e : entries) {
            if (e.statement == null) {
                continue;
            }
            try {
                e.plan = planner.plan(e.statement, e.parameters, Planner.Mode.BATCH);
            } catch (DynamoException error) {
                e.error = error;
                continue;
            }
            if (!items.add(Map.entry(e.plan.tableName(), e.plan.key()))) {
                throw Errors.duplicateBatchKeys();
            }
        }
    }

    private static void run(StatementRunner runner, Entry e, String capacity) {
        ObjectNode request = e.plan.request();
        if (capacity != null) {
            request.put("ReturnConsumedCapacity", capacity);
        }
        if (e.plan.isRead() && e.consistentRead) {
            request.put("ConsistentRead", true);
        }
        if (!e.plan.isRead() && e.onFailure != null && !e.plan.insert()) {
            request.put("ReturnValuesOnConditionCheckFailure", e.onFailure);
        }
        try {
            e.response = runner.run(e.plan);
        } catch (DynamoException error) {
            e.error = error;
        }
    }

    /**
     * Responses in the order of the statements. TableName is there once the statement reached its
     * table: on success and on errors of the item operation, not on errors found in the statement.
     */
    private static void writeResponses(JsonGenerator out, List<Entry> entries) throws IOException {
        out.writeArrayFieldStart("Responses");
        Map<String, ObjectNode> capacities = new LinkedHashMap<>();
        for (Entry e : entries) {
            out.writeStartObject();
            boolean ran = e.response != null || (e.plan != null && e.error != null);
            if (ran) {
                out.writeStringField("TableName", e.plan.tableName());
            }
            if (e.error != null) {
                writeError(out, e.error);
            } else {
                List<JsonNode> items = StatementRunner.items(e.plan, e.response);
                if (!items.isEmpty()) {
                    out.writeFieldName("Item");
                    JSON.writeTree(out, items.get(0));
                }
                addCapacity(capacities, e.response.get("ConsumedCapacity"));
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        if (!capacities.isEmpty()) {
            out.writeArrayFieldStart("ConsumedCapacity");
            for (ObjectNode c : capacities.values()) {
                JSON.writeTree(out, c);
            }
            out.writeEndArray();
        }
    }

    private static void writeError(JsonGenerator out, DynamoException error) throws IOException {
        out.writeObjectFieldStart("Error");
        out.writeStringField("Code", PartiqlErrors.batchErrorCode(error));
        out.writeStringField("Message", error.getMessage());
        if (error.item() != null) {
            out.writeFieldName("Item");
            AttributeValueJson.writeItem(out, error.item());
        }
        out.writeEndObject();
    }

    /** One ConsumedCapacity per table: the statements' units added up. */
    private static void addCapacity(Map<String, ObjectNode> capacities, JsonNode consumed) {
        if (consumed == null) {
            return;
        }
        String table = consumed.path("TableName").asText();
        ObjectNode total = capacities.get(table);
        if (total == null) {
            capacities.put(table, consumed.deepCopy());
            return;
        }
        total.put("CapacityUnits", total.path("CapacityUnits").asDouble() + consumed.path("CapacityUnits").asDouble());
        if (consumed.has("Table")) {
            ObjectNode t = total.has("Table") ? (ObjectNode) total.get("Table") : total.putObject("Table");
            t.put("CapacityUnits", t.path("CapacityUnits").asDouble()
                    + consumed.path("Table").path("CapacityUnits").asDouble());
        }
    }
}

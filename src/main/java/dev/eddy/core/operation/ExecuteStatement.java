package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.partiql.PageToken;
import dev.eddy.core.partiql.Parameters;
import dev.eddy.core.partiql.ParsedStatement;
import dev.eddy.core.partiql.PlannedStatement;
import dev.eddy.core.partiql.Planner;
import dev.eddy.core.partiql.StatementRunner;
import java.io.IOException;
import java.util.List;

/**
 * ExecuteStatement: one PartiQL statement, run as the GetItem, Query, Scan, PutItem, UpdateItem or
 * DeleteItem it plans into. A SELECT that reads a page answers a NextToken for the next one.
 */
public final class ExecuteStatement implements BlockingOperation {
    /** API Reference, ExecuteStatement: "Statement ... Maximum length of 8192", "NextToken ... 32768". */
    static final int MAX_STATEMENT = 8192;
    private static final int MAX_NEXT_TOKEN = 32768;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperationContext context;

    public ExecuteStatement(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ExecuteStatement";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String statement = r.string("Statement");
        r.notNull("statement", statement);
        Parameters parameters = Parameters.read(r.body());
        Boolean consistentRead = r.bool("ConsistentRead");
        String nextToken = r.string("NextToken");
        Integer limit = ReadRequests.limit(r);
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        String onFailure = r.oneOf("ReturnValuesOnConditionCheckFailure", ItemRequests.RETURN_ON_CONDITION_FAILURE);
        r.check();
        checkLength(statement, MAX_STATEMENT);
        if (nextToken != null) {
            checkLength(nextToken, MAX_NEXT_TOKEN);
        }

        PlannedStatement p = new Planner(name -> Tables.forItems(context, name))
                .plan(ParsedStatement.parse(statement), parameters, Planner.Mode.STATEMENT);
        ObjectNode request = p.request();
        if (capacity != null) {
            request.put("ReturnConsumedCapacity", capacity);
        }
        if (p.isRead()) {
            if (Boolean.TRUE.equals(consistentRead)) {
                if (p.globalIndex()) {
                    throw PartiqlErrors.consistentReadOnGlobalIndex();
                }
                request.put("ConsistentRead", true);
            }
            if (p.isPaged() && limit != null) {
                request.put("Limit", limit);
            }
            if (p.isPaged() && nextToken != null) {
                request.set("ExclusiveStartKey", PageToken.decode(nextToken, statement, parameters));
            }
        } else if (onFailure != null && !p.insert()) {
            request.put("ReturnValuesOnConditionCheckFailure", onFailure);
        }

        JsonNode response = new StatementRunner(context, r).run(p);
        writeList(out, "Items", StatementRunner.items(p, response));
        JsonNode lastKey = response.get("LastEvaluatedKey");
        if (lastKey != null) {
            out.writeStringField("NextToken", PageToken.encode(statement, parameters, lastKey));
            out.writeFieldName("LastEvaluatedKey");
            JSON.writeTree(out, lastKey);
        }
        copy(out, response, "ConsumedCapacity");
    }

    /** The length limits DynamoDB checks on statements and tokens, in its bare wording. */
    static void checkLength(String value, int max) {
        if (value.length() > max) {
            throw PartiqlErrors.tooLong("Member must have length less than or equal to " + max);
        }
    }

    static void writeList(JsonGenerator out, String member, List<JsonNode> items) throws IOException {
        out.writeArrayFieldStart(member);
        for (JsonNode item : items) {
            JSON.writeTree(out, item);
        }
        out.writeEndArray();
    }

    /** Copies a member of an item operation's response into this one, when it is there. */
    static void copy(JsonGenerator out, JsonNode response, String member) throws IOException {
        JsonNode value = response.get(member);
        if (value != null) {
            out.writeFieldName(member);
            JSON.writeTree(out, value);
        }
    }
}

package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.partiql.Parameters;
import dev.eddy.core.partiql.ParsedStatement;
import dev.eddy.core.partiql.PlannedStatement;
import dev.eddy.core.partiql.Planner;
import dev.eddy.core.partiql.StatementRunner;
import dev.eddy.core.partiql.Transactions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ExecuteTransaction: up to 100 statements run all or nothing, as one TransactGetItems (all
 * SELECTs of single items) or one TransactWriteItems (INSERT, UPDATE, DELETE and EXISTS checks),
 * dispatched through the operation registry like any other request.
 */
public final class ExecuteTransaction implements BlockingOperation {
    private static final int MAX_STATEMENTS = 100;

    private final OperationContext context;

    public ExecuteTransaction(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ExecuteTransaction";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        JsonNode statements = r.list("TransactStatements");
        String token = r.string("ClientRequestToken");
        if (token != null) {
            r.length("clientRequestToken", token, 1, 36);
        }
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        r.check();
        if (statements == null || statements.isEmpty()) {
            throw PartiqlErrors.emptyTransaction();
        }
        if (statements.size() > MAX_STATEMENTS) {
            throw PartiqlErrors.tooLong("Member must have length less than or equal to " + MAX_STATEMENTS);
        }
        List<ParsedStatement> parsed = new ArrayList<>();
        List<Parameters> parameters = new ArrayList<>();
        List<String> onFailure = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            JsonNode node = statements.get(i);
            if (!node.isObject()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(node, "a structure"));
            }
            String text = Request.string(node, "Statement");
            if (text == null || text.isEmpty()) {
                throw PartiqlErrors.emptyTransaction();
            }
            ExecuteStatement.checkLength(text, ExecuteStatement.MAX_STATEMENT);
            parameters.add(Parameters.read(node));
            String failure = Request.string(node, "ReturnValuesOnConditionCheckFailure");
            r.oneOf("transactStatements." + (i + 1) + ".member.returnValuesOnConditionCheckFailure", failure,
                    ItemRequests.RETURN_ON_CONDITION_FAILURE);
            onFailure.add(failure);
            ParsedStatement statement = ParsedStatement.parse(text);
            Planner.checkKind(statement, Planner.Mode.TRANSACTION);
            parsed.add(statement);
        }
        r.check();
        if (parsed.stream().anyMatch(ParsedStatement::isRead) && parsed.stream().anyMatch(p -> p.isWrite(true))) {
            throw PartiqlErrors.transactionMixesReadsAndWrites();
        }
        List<PlannedStatement> planned = plan(parsed, parameters);

        String operation = Transactions.operation(planned);
        JsonNode reply = new StatementRunner(context, r).runTransaction(operation,
                Transactions.request(planned, onFailure, token, capacity));
        ExecuteStatement.writeList(out, "Responses", Transactions.responses(planned, reply));
        ExecuteStatement.copy(out, reply, "ConsumedCapacity");
    }

    /** Plans each statement; a statement's validation error names its place in the list. */
    private List<PlannedStatement> plan(List<ParsedStatement> parsed, List<Parameters> parameters) {
        Planner planner = new Planner(name -> Tables.forItems(context, name));
        List<PlannedStatement> planned = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            try {
                planned.add(planner.plan(parsed.get(i), parameters.get(i), Planner.Mode.TRANSACTION));
            } catch (DynamoException e) {
                throw "ValidationException".equals(e.type()) ? PartiqlErrors.inTransactionStatement(i, e) : e;
            }
        }
        return planned;
    }
}

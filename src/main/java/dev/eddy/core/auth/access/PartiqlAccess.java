package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.partiql.Parameters;
import dev.eddy.core.partiql.ParsedStatement;
import dev.eddy.core.partiql.PlannedStatement;
import dev.eddy.core.partiql.Planner;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * PartiQL statements are checked as what they become (Developer Guide, "IAM security policies with
 * PartiQL for DynamoDB"): a SELECT needs dynamodb:PartiQLSelect on the table or index it reads (with
 * dynamodb:FullTableScan when it became a Scan), INSERT dynamodb:PartiQLInsert, UPDATE
 * dynamodb:PartiQLUpdate, DELETE dynamodb:PartiQLDelete; in ExecuteTransaction each carries
 * dynamodb:EnclosingOperation. Each statement is planned here as the operation plans it. A statement
 * that does not plan does nothing (the operation refuses it with the same error), so it needs no
 * permission; the only gap is a table created between the two plans, which the operation then finds.
 */
public final class PartiqlAccess {
    private PartiqlAccess() {
    }

    public static List<AccessRequest> executeStatement(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        add(out, r, Planner.Mode.STATEMENT, null, ctx);
        return out;
    }

    public static List<AccessRequest> batchExecuteStatement(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        for (JsonNode s : list(r, "Statements")) {
            add(out, s, Planner.Mode.BATCH, null, ctx);
        }
        return out;
    }

    public static List<AccessRequest> executeTransaction(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        for (JsonNode s : list(r, "TransactStatements")) {
            add(out, s, Planner.Mode.TRANSACTION, "ExecuteTransaction", ctx);
        }
        return out;
    }

    private static void add(List<AccessRequest> out, JsonNode statement, Planner.Mode mode, String enclosing,
                            AccessContext ctx) {
        String text = Facts.text(statement, "Statement");
        if (text == null) {
            return;
        }
        PlannedStatement p;
        try {
            Planner planner = new Planner(name -> {
                TableDefinition t = ctx.table(name);
                if (t == null) {
                    throw Errors.resourceNotFound();
                }
                return t;
            });
            p = planner.plan(ParsedStatement.parse(text), Parameters.read(statement), mode);
        } catch (DynamoException | IllegalArgumentException doesNotPlan) {
            return;
        }
        JsonNode request = p.request();
        String index = Facts.text(request, "IndexName");
        String resource = index != null ? ctx.indexArn(p.tableName(), index) : ctx.tableArn(p.tableName());
        Facts f = Facts.of(action(p), resource, ctx).put(ConditionKeys.ENCLOSING_OPERATION, enclosing);
        if (p.isRead()) {
            f.put(ConditionKeys.FULL_TABLE_SCAN, Boolean.toString(p.operation().equals(PlannedStatement.SCAN)));
        }
        TableDefinition table = ctx.table(p.tableName());
        if (p.key() != null && table != null) {
            f.leadingKey(p.key().get(table.hashKey()));
        } else if (p.operation().equals(PlannedStatement.QUERY)) {
            f.put(ConditionKeys.LEADING_KEYS, ReadAccess.leadingKey(request, ctx));
        }
        out.add(f.build());
    }

    private static String action(PlannedStatement p) {
        if (p.isRead() || p.operation().equals(PlannedStatement.CONDITION_CHECK)) {
            return "PartiQLSelect";
        }
        if (p.insert()) {
            return "PartiQLInsert";
        }
        return p.operation().equals(PlannedStatement.UPDATE_ITEM) ? "PartiQLUpdate" : "PartiQLDelete";
    }

    private static Iterable<JsonNode> list(JsonNode r, String member) {
        JsonNode n = r.get(member);
        return n != null && n.isArray() ? n : List.of();
    }
}

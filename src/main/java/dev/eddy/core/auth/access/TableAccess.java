package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.util.List;

/** Table operations act on the table's ARN; ListTables on every table ({@code table/*}), as AWS names it. */
public final class TableAccess {
    private TableAccess() {
    }

    public static OperationAccess onTable(String action) {
        return (r, ctx) -> Facts.one(Facts.of(action, ctx.tableArn(Facts.text(r, "TableName")), ctx));
    }

    public static List<AccessRequest> listTables(JsonNode r, AccessContext ctx) {
        return Facts.one(Facts.of("ListTables", ctx.allTablesArn(), ctx));
    }
}

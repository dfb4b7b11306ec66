package dev.eddy.core.auth.access;

import dev.eddy.core.table.TableDefinition;
import java.util.function.Function;

/**
 * What computing a request's access facts may look at: where ARNs point, and the tables' key
 * schemas (the partition key is what {@code dynamodb:LeadingKeys} is the value of).
 *
 * @param tables a table's definition by name, or null when there is none
 * @param secure whether the request came over TLS ({@code aws:SecureTransport})
 */
public record AccessContext(String region, String accountId, Function<String, TableDefinition> tables,
                            boolean secure) {
    public String tableArn(String table) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + table;
    }

    public String indexArn(String table, String index) {
        return tableArn(table) + "/index/" + index;
    }

    /** ListTables' resource: every table of the account in this region. */
    public String allTablesArn() {
        return tableArn("*");
    }

    public TableDefinition table(String name) {
        return name == null ? null : tables.apply(name);
    }
}

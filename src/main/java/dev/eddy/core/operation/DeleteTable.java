package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import java.io.IOException;

/**
 * DeleteTable: marks the table DELETING (the description returned says so), drops its cache with
 * all its items, then removes it from the catalog. Requests still running on the table when its
 * cache goes answer ResourceNotFoundException (see {@code Eddy}).
 */
public final class DeleteTable implements BlockingOperation {
    private final OperationContext context;

    public DeleteTable(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DeleteTable";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        r.check();
        Tables.forTableOps(context, name);
        TableDefinition deleting = context.catalog().update(name, t -> {
            if (t.deletionProtection()) {
                throw Errors.validation("Resource cannot be deleted as it is currently protected against deletion. "
                        + "Disable deletion protection first.");
            }
            if (TableDefinition.CREATING.equals(t.status()) || TableDefinition.UPDATING.equals(t.status())) {
                throw Errors.tableInUse(name, t.status());
            }
            // "If table is already in the DELETING state, no error is returned" (API Reference, DeleteTable).
            return TableDefinition.DELETING.equals(t.status()) ? t : t.withStatus(TableDefinition.DELETING);
        });
        if (deleting == null) {
            throw Errors.tableNotFound(name);
        }
        TableLifecycle.finishDeleting(context, deleting);
        out.writeFieldName("TableDescription");
        TableDescriptions.writeDeleted(out, deleting);
    }
}

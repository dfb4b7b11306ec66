package dev.eddy.core.operation;

import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.util.concurrent.CompletableFuture;

/** Finding the table a request names, with the error DynamoDB gives when it is not there. */
final class Tables {
    private Tables() {
    }

    /** For item operations: the table must exist and be usable (not CREATING or DELETING). */
    static TableDefinition forItems(OperationContext context, String name) {
        TableDefinition t = context.catalog().find(name);
        if (t == null || TableDefinition.CREATING.equals(t.status()) || TableDefinition.DELETING.equals(t.status())) {
            // The near cache may lag a table just created; ask the owners before saying no.
            t = context.catalog().findConsistent(name);
            if (t != null && TableDefinition.CREATING.equals(t.status())) {
                t = TableLifecycle.finishCreating(context, t);
            }
            if (t == null || !isUsable(t)) {
                throw Errors.resourceNotFound();
            }
        }
        return t;
    }

    /**
     * {@link #forItems} without waiting: the table as this instance's near cache holds it; only a
     * table it does not know as usable (just created, or gone) is looked up where waiting is allowed.
     */
    static CompletableFuture<TableDefinition> forItemsAsync(OperationContext context, String name) {
        return context.catalog().findAsync(name).thenCompose(t -> t != null && isUsable(t)
                ? CompletableFuture.completedFuture(t)
                : CompletableFuture.supplyAsync(() -> forItems(context, name), context.blocking()));
    }

    private static boolean isUsable(TableDefinition t) {
        return TableDefinition.ACTIVE.equals(t.status()) || TableDefinition.UPDATING.equals(t.status());
    }

    /** For table operations: the table as stored now. */
    static TableDefinition forTableOps(OperationContext context, String name) {
        TableDefinition t = context.catalog().findConsistent(name);
        if (t == null) {
            throw Errors.tableNotFound(name);
        }
        return t;
    }
}

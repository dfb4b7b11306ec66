package dev.eddy.core.operation;

import dev.eddy.core.Eddy;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;

/** Finding the table a request names, with the error DynamoDB gives when it is not there. */
final class Tables {
    private Tables() {
    }

    /** For item operations: the table must exist and be usable (not CREATING or DELETING). */
    static TableDefinition forItems(Eddy eddy, String name) {
        TableDefinition t = eddy.catalog().find(name);
        if (t == null || TableDefinition.CREATING.equals(t.status()) || TableDefinition.DELETING.equals(t.status())) {
            // The near cache may lag a table just created; ask the owners before saying no.
            t = eddy.catalog().findConsistent(name);
            if (t != null && TableDefinition.CREATING.equals(t.status())) {
                t = TableLifecycle.finishCreating(eddy, t);
            }
            if (t == null || !isUsable(t)) {
                throw Errors.resourceNotFound();
            }
        }
        return t;
    }

    private static boolean isUsable(TableDefinition t) {
        return TableDefinition.ACTIVE.equals(t.status()) || TableDefinition.UPDATING.equals(t.status());
    }

    /** For table operations: the table as stored now. */
    static TableDefinition forTableOps(Eddy eddy, String name) {
        TableDefinition t = eddy.catalog().findConsistent(name);
        if (t == null) {
            throw Errors.tableNotFound(name);
        }
        return t;
    }
}

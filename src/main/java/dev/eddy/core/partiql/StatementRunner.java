package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.PartiqlErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs planned statements as the item operations they became, through the operation registry,
 * and reads the answers back into what a statement returns.
 */
public final class StatementRunner {
    private final Eddy eddy;

    public StatementRunner(Eddy eddy) {
        this.eddy = eddy;
    }

    /** Runs one statement's operation on its request, as completed by the caller. */
    public JsonNode run(PlannedStatement p) {
        try {
            return read(eddy.executePlanned(p.operation(), p.request()));
        } catch (DynamoException e) {
            if (p.insert() && "ConditionalCheckFailedException".equals(e.type())) {
                throw PartiqlErrors.duplicateItem();
            }
            throw PartiqlErrors.fromItemOperation(e);
        }
    }

    /** Runs a transaction's TransactWriteItems or TransactGetItems, if this server has it. */
    public JsonNode runTransaction(String operation, ObjectNode request) {
        boolean registered = false;
        for (Operation op : eddy.operations().all()) {
            registered |= op.name().equals(operation);
        }
        if (!registered) {
            throw PartiqlErrors.transactionsUnavailable(operation);
        }
        try {
            return read(eddy.execute(operation, request));
        } catch (DynamoException e) {
            throw PartiqlErrors.fromItemOperation(e);
        }
    }

    private static JsonNode read(byte[] reply) {
        try {
            return JsonValues.JSON.readTree(reply);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The items a statement returns: what a SELECT read, shaped by its select list; the item a
     * write's RETURNING asked for; nothing otherwise.
     */
    public static List<JsonNode> items(PlannedStatement p, JsonNode response) {
        List<JsonNode> items = new ArrayList<>();
        if (p.isPaged()) {
            for (JsonNode item : response.path("Items")) {
                items.add(p.selectList().shape(item));
            }
        } else if (p.isRead()) {
            if (response.hasNonNull("Item")) {
                items.add(p.selectList().shape(response.get("Item")));
            }
        } else if (response.hasNonNull("Attributes")) {
            items.add(response.get("Attributes"));
        }
        return items;
    }
}

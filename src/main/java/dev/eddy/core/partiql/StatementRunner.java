package dev.eddy.core.partiql;

import dev.eddy.core.operation.OperationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.Replies;
import dev.eddy.core.api.Reply;
import dev.eddy.core.api.Request;
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
    private final OperationContext context;
    /** The client's request the statements came in (their requests keep its time of arrival). */
    private final Request origin;

    public StatementRunner(OperationContext context, Request origin) {
        this.context = context;
        this.origin = origin;
    }

    /** Runs one statement's operation on its request, as completed by the caller. */
    public JsonNode run(PlannedStatement p) {
        try {
            return read(context.prepare(p.operation(), new Request(p.request(), true, origin)));
        } catch (DynamoException e) {
            if (p.insert() && "ConditionalCheckFailedException".equals(e.type())) {
                throw PartiqlErrors.duplicateItem();
            }
            throw PartiqlErrors.fromItemOperation(e);
        }
    }

    /** Runs a transaction's TransactWriteItems or TransactGetItems, if this server has it. */
    public JsonNode runTransaction(String operation, ObjectNode request) {
        if (!context.serves(operation)) {
            throw PartiqlErrors.transactionsUnavailable(operation);
        }
        try {
            return read(context.prepare(operation, new Request(request, false, origin)));
        } catch (DynamoException e) {
            throw PartiqlErrors.fromItemOperation(e);
        }
    }

    /** Runs a prepared operation here (the statement operations wait) and reads its reply as a tree, without bytes. */
    private JsonNode read(Prepared prepared) {
        try {
            Reply reply = Replies.await(prepared.run(Runnable::run));
            TokenBuffer buffer = new TokenBuffer(JsonValues.JSON, false);
            buffer.writeStartObject();
            reply.write(buffer);
            buffer.writeEndObject();
            try (JsonParser p = buffer.asParser()) {
                return JsonValues.JSON.readTree(p);
            }
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

package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.DocumentPath;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Operand;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Update;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * TransactWriteItems (API Reference; Developer Guide, "Amazon DynamoDB Transactions"): up to 100
 * ConditionCheck, Put, Update and Delete actions on distinct items of any tables, all or nothing.
 *
 * <p>Each item is locked in turn by compare-and-set on its page, the lock holding the item's image
 * after the transaction, computed and condition-checked against the item as it stands; then the
 * transaction's record turns COMMITTED (the commit point) and each lock is replaced by its image.
 * A failed condition, or an item held by another transaction in flight, cancels the transaction:
 * its record turns ABORTED and its locks are dropped. Whoever meets a lock of a decided
 * transaction settles it, so a coordinator that dies leaves its transaction applied or not at all.
 */
public final class TransactWriteItems implements BlockingOperation {
    private static final int MAX_ACTIONS = 100;
    private static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024;

    private final OperationContext context;

    public TransactWriteItems(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "TransactWriteItems";
    }

    /** One member as read and parsed, before its table is looked up. */
    private record Parsed(String kind, String tableName, Map<String, AttributeValue> item,
                          Map<String, AttributeValue> keyMap, Condition condition, Update update, boolean returnItem) {
    }

    /**
     * One action, ready to lock its item; or, when {@code refused} is set, one DynamoDB cancels the
     * transaction for with a ValidationError reason (a key that does not match the schema), which has
     * no item to lock.
     */
    private record Action(TableDefinition table, PrimaryKey key, ItemStore.ItemChange change,
                          Map<String, AttributeValue> item, DynamoException refused) {
        static Action refused(TableDefinition table, DynamoException why) {
            return new Action(table, null, null, null, why);
        }
    }

    /** An item's identity: its table and its key, compared by value (binary keys by their bytes). */
    record ItemRef(String table, PrimaryKey key) {
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        Deadline deadline = Deadline.of(context, r);
        JsonNode members = r.list("TransactItems");
        if (r.notNull("transactItems", members)) {
            r.range("transactItems", (long) members.size(), 1, MAX_ACTIONS);
        }
        String token = r.string("ClientRequestToken");
        if (token != null) {
            r.length("clientRequestToken", token, 1, 36);
        }
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        r.oneOf("ReturnItemCollectionMetrics", ItemRequests.RETURN_METRICS);
        r.check();
        // What the request says is checked for every action, in order, before any table is looked up:
        // a malformed expression on the last action is reported ahead of a missing table on the first
        // (real-service captures, 2026: paritysuite/dynamodb-conformance, validation-ordering/transactions).
        List<Parsed> parsed = new ArrayList<>();
        for (JsonNode member : members) {
            parsed.add(parse(member));
        }
        List<Action> actions = new ArrayList<>();
        Set<ItemRef> items = new HashSet<>();
        long bytes = 0;
        for (Parsed p : parsed) {
            Action a = resolve(p);
            if (a.key() != null && !items.add(new ItemRef(a.table().tableName(), a.key()))) {
                throw Errors.transactionDuplicateItem();
            }
            bytes += a.item() == null ? 0 : ItemSize.of(a.item());
            actions.add(a);
        }
        if (bytes > MAX_REQUEST_BYTES) {
            throw Errors.validation("Transaction request cannot be larger than 4 MB");
        }

        TransactionLog log = context.transactionLog();
        String transactionId = UUID.randomUUID().toString();
        if (token != null && !claimToken(log, token, hash(r), transactionId)) {
            writeCapacity(out, capacity, actions);
            return; // the same request already succeeded: nothing more to do
        }
        List<TransactionLog.Item> held = new ArrayList<>(actions.size());
        for (Action a : actions) {
            if (a.refused() == null) {
                held.add(new TransactionLog.Item(a.table().tableName(), a.table().cacheName(), a.key()));
            }
        }
        // The items go into the record before any is locked, so recovery can settle them all.
        log.begin(transactionId, held);
        List<DynamoException.CancellationReason> reasons = new ArrayList<>();
        List<Action> locked = new ArrayList<>();
        boolean failed = false;
        for (Action a : actions) {
            if (a.refused() != null) {
                failed = true;
                reasons.add(reason(a.refused()));
                continue;
            }
            try {
                context.items().lock(a.table(), a.key(), transactionId, a.change());
                locked.add(a);
                reasons.add(new DynamoException.CancellationReason("None", null, null));
            } catch (DynamoException e) {
                failed = true;
                reasons.add(reason(e));
            }
        }
        // The decision is the change the transaction makes (its locks alone change no item): not made past
        // the request's time, when the transaction is aborted instead and changes nothing.
        boolean late = !failed && deadline.passed();
        boolean committed = !failed && !late && log.decide(transactionId, TransactionState.COMMITTED);
        if (!committed) {
            log.decide(transactionId, TransactionState.ABORTED);
        }
        for (Action a : locked) {
            context.items().release(a.table(), a.key(), transactionId, committed);
        }
        // Every lock is settled: nothing names the record any more.
        log.remove(transactionId);
        if (token != null) {
            if (committed) {
                log.tokenCommitted(token);
            } else {
                log.releaseToken(token);
            }
        }
        if (late) {
            throw Errors.requestTimedOut(context.config().requestTimeoutMillis());
        }
        if (!committed) {
            if (!failed) {
                // Aborted by another as abandoned (it ran past the timeout): every action was in conflict.
                reasons.replaceAll(x -> new DynamoException.CancellationReason("TransactionConflict",
                        "Transaction is ongoing for the item", null));
            }
            throw Errors.transactionCanceled(reasons);
        }
        writeCapacity(out, capacity, actions);
    }

    /**
     * Takes the token for this call: false when the same request already succeeded under it, an
     * error when another request holds it or the first call is still running. A token expires by
     * itself ten minutes after the call that took it.
     */
    private static boolean claimToken(TransactionLog log, String token, String hash, String transactionId) {
        for (int attempt = 0; attempt < 10; attempt++) {
            TransactionLog.Token held = log.findToken(token);
            if (held == null) {
                if (log.claimToken(token, hash, transactionId)) {
                    return true;
                }
                continue;
            }
            if (!held.requestHash().equals(hash)) {
                throw Errors.idempotentParameterMismatch();
            }
            if (held.committed()) {
                return false;
            }
            throw Errors.transactionInProgress();
        }
        throw Errors.transactionInProgress();
    }

    private static String hash(Request r) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(r.body().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DynamoException.CancellationReason reason(DynamoException e) {
        return switch (e.type()) {
            case "ConditionalCheckFailedException" -> new DynamoException.CancellationReason("ConditionalCheckFailed",
                    e.getMessage(), e.item());
            case "TransactionConflictException" -> new DynamoException.CancellationReason("TransactionConflict",
                    e.getMessage(), null);
            case "ValidationException" -> new DynamoException.CancellationReason("ValidationError", e.getMessage(), null);
            default -> throw e;
        };
    }

    /**
     * Reads one TransactItems member (exactly one of ConditionCheck, Put, Update, Delete): its members,
     * their constraints, its expressions and their placeholders; everything but its table.
     */
    private static Parsed parse(JsonNode member) {
        if (!member.isObject()) {
            throw Errors.serialization("Unexpected value type in payload");
        }
        JsonNode check = Request.object(member, "ConditionCheck");
        JsonNode put = Request.object(member, "Put");
        JsonNode update = Request.object(member, "Update");
        JsonNode delete = Request.object(member, "Delete");
        int given = (check != null ? 1 : 0) + (put != null ? 1 : 0) + (update != null ? 1 : 0) + (delete != null ? 1 : 0);
        if (given != 1) {
            throw Errors.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        String kind = check != null ? "ConditionCheck" : put != null ? "Put" : update != null ? "Update" : "Delete";
        JsonNode node = check != null ? check : put != null ? put : update != null ? update : delete;
        Request r = new Request(node);
        String name = r.string("TableName");
        r.name("tableName", name, true);
        Map<String, AttributeValue> item = put != null ? ItemRequests.map(r, "Item") : null;
        Map<String, AttributeValue> keyMap = put == null ? ItemRequests.map(r, "Key") : null;
        r.notNull(put != null ? "item" : "key", put != null ? item : keyMap);
        String conditionText = r.string("ConditionExpression");
        String updateText = r.string("UpdateExpression");
        if (check != null) {
            r.notNull("conditionExpression", conditionText);
        }
        if (update != null) {
            r.notNull("updateExpression", updateText);
        }
        String onFailure = r.oneOf("ReturnValuesOnConditionCheckFailure", ItemRequests.RETURN_ON_CONDITION_FAILURE);
        r.check();
        Placeholders placeholders = ItemRequests.placeholders(r, true);
        Update parsedUpdate = updateText == null ? null : Expressions.update(updateText, placeholders);
        Condition condition = conditionText == null ? null : Expressions.condition(conditionText, placeholders);
        placeholders.checkAllUsed();
        return new Parsed(kind, name, item, keyMap, condition, parsedUpdate, "ALL_OLD".equals(onFailure));
    }

    /**
     * The action on its table. As DynamoDB does (captures of 2026, paritysuite/dynamodb-conformance
     * transactWriteItems and transactIndexKeys): an empty key or index key value refuses the whole
     * request; a key that does not match the schema, and an index key value of the wrong type, cancel
     * the transaction with a ValidationError reason for this action, the latter even when its
     * condition fails (the item is validated before the condition is evaluated, as in PutItem).
     */
    private Action resolve(Parsed p) {
        TableDefinition t = Tables.forItems(context, p.tableName());
        Condition condition = p.condition();
        boolean returnItem = p.returnItem();
        if ("Put".equals(p.kind())) {
            Map<String, AttributeValue> item = p.item();
            DynamoException mismatch = ItemKeys.itemKeyMismatch(t, item);
            if (mismatch != null) {
                return Action.refused(t, mismatch);
            }
            PrimaryKey key = ItemKeys.fromItem(t, item);
            ItemRequests.checkSize(item);
            ItemKeys.checkIndexKeyValuesNotEmpty(t, item);
            return new Action(t, key, current -> {
                ItemKeys.checkIndexKeys(t, item);
                ItemRequests.checkCondition(condition, current, returnItem);
                return item;
            }, item, null);
        }
        if (!ItemKeys.matchesSchema(t, p.keyMap())) {
            return Action.refused(t, Errors.keySchemaMismatch());
        }
        PrimaryKey key = ItemKeys.fromKey(t, p.keyMap(), true);
        Update update = p.update();
        if (update != null) {
            for (DocumentPath path : update.paths()) {
                if (path.attribute().equals(t.hashKey()) || path.attribute().equals(t.rangeKey())) {
                    throw Errors.keyAttributeUpdate(path.attribute());
                }
            }
            // An index key set to an empty value is seen in the request itself: refused with it.
            Set<String> indexKeys = ItemKeys.indexKeyAttributes(t);
            for (Update.Action u : update.actions()) {
                if (u instanceof Update.Set set && set.path().isTopLevel() && indexKeys.contains(set.path().attribute())
                        && set.value() instanceof Operand.Value v && isEmpty(v.value())) {
                    throw Errors.updatedIndexKeyEmpty(v.value().type() == AttributeValue.Type.S ? "string" : "binary");
                }
            }
        }
        String kind = p.kind();
        return new Action(t, key, current -> {
            if ("Delete".equals(kind) || "ConditionCheck".equals(kind)) {
                ItemRequests.checkCondition(condition, current, returnItem);
                return "Delete".equals(kind) ? null : current;
            }
            if (current == null && update.onlyRemoves()) {
                ItemRequests.checkCondition(condition, current, returnItem);
                return null;
            }
            // As UpdateItem: a value the indexes refuse is a ValidationError even when the condition
            // fails; an update that cannot apply to this item is reported only if the condition holds.
            Map<String, AttributeValue> next = null;
            DynamoException notApplicable = null;
            try {
                next = UpdateItem.checkUpdated(update.apply(current != null ? current : ItemKeys.keyAttributes(t, key)));
            } catch (DynamoException e) {
                notApplicable = e;
            }
            if (next != null) {
                ItemKeys.checkIndexKeys(t, next);
            }
            ItemRequests.checkCondition(condition, current, returnItem);
            if (notApplicable != null) {
                throw notApplicable;
            }
            return next;
        }, p.keyMap(), null);
    }

    private static boolean isEmpty(AttributeValue v) {
        return (v.type() == AttributeValue.Type.S && v.s().isEmpty())
                || (v.type() == AttributeValue.Type.B && v.b().length == 0);
    }

    /** Transactional writes cost two write units per started KB of each item (Developer Guide, "Capacity management"). */
    private static void writeCapacity(JsonGenerator out, String mode, List<Action> actions) throws IOException {
        if (mode == null || "NONE".equals(mode)) {
            return;
        }
        Map<String, Double> units = new LinkedHashMap<>();
        for (Action a : actions) {
            units.merge(a.table().tableName(), 2 * ItemRequests.writeUnits(null, a.item()), Double::sum);
        }
        out.writeArrayFieldStart("ConsumedCapacity");
        for (Map.Entry<String, Double> e : units.entrySet()) {
            out.writeStartObject();
            out.writeStringField("TableName", e.getKey());
            out.writeNumberField("CapacityUnits", e.getValue());
            out.writeNumberField("WriteCapacityUnits", e.getValue());
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}

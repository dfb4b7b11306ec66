package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What BatchGetItem and BatchWriteItem share: the RequestItems map's constraints, DynamoDB's
 * validation order, running the single-item reads and writes side by side, and per-table capacity.
 */
final class BatchRequests {
    /** API Reference, BatchGetItem and BatchWriteItem: 16 MB of data per call. */
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;
    /** Reads or writes of one batch in flight at once. */
    static final int PARALLELISM = 8;

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    /** DynamoDB's model classes have no toString, so its messages show them as Java objects. */
    private static final String MODEL = "com.amazonaws.dynamodb.v20120810.";

    /**
     * Threads shared by every batch. A batch never waits for one to become free: the calling
     * thread works through the batch too, and helpers that start late find nothing left to do.
     */
    private static final ThreadPoolExecutor HELPERS;

    static {
        AtomicInteger count = new AtomicInteger();
        HELPERS = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), task -> {
            Thread t = new Thread(task, "eddy-batch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HELPERS.allowCoreThreadTimeOut(true);
    }

    private BatchRequests() {
    }

    // --- the RequestItems map -----------------------------------------------------------------

    /** Whether a key of RequestItems is not a table name (3 to 255 characters of [a-zA-Z0-9_.-]). */
    static boolean hasBadTableName(JsonNode requestItems) {
        Iterator<String> names = requestItems.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.length() < 3 || name.length() > 255 || !TABLE_NAME.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** An enum member's violation, in the form both frameworks use for it. */
    static void checkEnum(List<String> violations, String path, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            violations.add(Errors.violation(Request.quote(value), path, "Member must satisfy enum value set: " + allowed));
        }
    }

    /** The map as Java prints it, {@code {name=value, ...}}, quoted for a violation. */
    static String renderMap(JsonNode map, Function<JsonNode, String> renderValue) {
        StringBuilder b = new StringBuilder("'{");
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            b.append(e.getKey()).append('=').append(renderValue.apply(e.getValue()));
            if (it.hasNext()) {
                b.append(", ");
            }
        }
        return b.append("}'").toString();
    }

    /** A list as Java prints it, {@code [a, b]}. */
    static String renderList(JsonNode list, Function<JsonNode, String> renderMember) {
        if (list == null || list.isNull()) {
            return "null";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode n : list) {
            parts.add(renderMember.apply(n));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /** One of DynamoDB's model objects as Java prints it: class name and hash. */
    static String renderObject(String type, JsonNode value) {
        return value == null || value.isNull() ? "null" : MODEL + type + "@" + Integer.toHexString(value.hashCode());
    }

    /** A list member that must be a JSON object (a WriteRequest, a KeysAndAttributes). */
    static JsonNode structure(JsonNode n, String expected) {
        if (n != null && !n.isNull() && !n.isObject()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, expected));
        }
        return n == null || n.isNull() ? null : n;
    }

    // --- keys ---------------------------------------------------------------------------------

    /**
     * A key of BatchGetItem or of a DeleteRequest. Both word an empty key value as PutItem does
     * ("are not valid."), where GetItem and DeleteItem say "were invalid:"; the other rules are
     * those of any Key parameter.
     */
    static PrimaryKey fromKey(TableDefinition t, Map<String, AttributeValue> key) {
        List<String> names = t.rangeKey() == null ? List.of(t.hashKey()) : List.of(t.hashKey(), t.rangeKey());
        boolean matches = key.size() == names.size();
        for (String name : names) {
            AttributeValue v = key.get(name);
            matches &= v != null && v.type().name().equals(t.attributeType(name));
        }
        if (matches) {
            for (String name : names) {
                AttributeValue v = key.get(name);
                if (v.type() == AttributeValue.Type.S && v.s().isEmpty()) {
                    throw Errors.emptyKeyValue(name, "string", true);
                }
                if (v.type() == AttributeValue.Type.B && v.b().length == 0) {
                    throw Errors.emptyKeyValue(name, "binary", true);
                }
            }
        }
        return ItemKeys.fromKey(t, key);
    }

    // --- validation order ---------------------------------------------------------------------

    /**
     * DynamoDB reports constraint violations (nulls, lengths, names) before it looks at attribute
     * values and the other rules of a batch, but a member of the wrong JSON type fails before
     * either. Items and keys are read while the violations are collected, so their value errors
     * wait here until {@link Request#check()} has had its say; the first one is the one reported.
     */
    static final class Deferred {
        private DynamoException first;

        void offer(DynamoException e) {
            if (first == null) {
                first = e;
            }
        }

        boolean failed() {
            return first != null;
        }

        /** Reads an item or key, its value errors reported bare in the current wording (BatchGetItem). */
        Map<String, AttributeValue> read(JsonNode node, String member) {
            try {
                return AttributeValueJson.readItem(node, member, false);
            } catch (DynamoException e) {
                if ("SerializationException".equals(e.type())) {
                    throw e;
                }
                offer(e);
                return null;
            }
        }

        /** As {@link #read}, its value errors in the older layer's wording (BatchWriteItem). */
        Map<String, AttributeValue> readOlder(JsonNode node, String member) {
            try {
                return AttributeValueJson.readItem(node, member, false);
            } catch (DynamoException e) {
                if ("SerializationException".equals(e.type())) {
                    throw e;
                }
                offer(olderWording(e, node));
                return null;
            }
        }

        void throwIfAny() {
            if (first != null) {
                throw first;
            }
        }
    }

    // --- the older value layer ----------------------------------------------------------------

    /**
     * A value error as DynamoDB's older value layer words it; BatchWriteItem still answers from
     * that layer (paritysuite/dynamodb-conformance, valueLayers, four regions, 2026). The error
     * is the first one in {@code item}, so the set it names is the first set with a repeat.
     */
    static DynamoException olderWording(DynamoException e, JsonNode item) {
        String message = e.getMessage();
        if (message.equals(Errors.notANumber("").getMessage())) {
            return Errors.olderEmptyNumber();
        }
        if (message.equals(Errors.duplicateNumbers().getMessage())) {
            return Errors.olderDuplicateNumbers();
        }
        String sets = Errors.invalidParameter("Input collection [").getMessage();
        if (message.startsWith(sets) && message.endsWith("contains duplicates.")) {
            String type = message.endsWith("of type BS contains duplicates.") ? "BS" : "SS";
            List<String> members = firstRepeatingSet(item, type);
            if (members != null) {
                String rendered = "[" + String.join(", ", members) + "]";
                return "BS".equals(type) ? Errors.olderDuplicateBinaries(rendered) : Errors.olderDuplicateStrings(rendered);
            }
        }
        return e;
    }

    /** The members, as sent, of the first string or binary set with a repeat, in reading order. */
    private static List<String> firstRepeatingSet(JsonNode map, String type) {
        Iterator<JsonNode> values = map.elements();
        while (values.hasNext()) {
            List<String> found = firstRepeatingSetIn(values.next(), type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<String> firstRepeatingSetIn(JsonNode value, String type) {
        if (value == null || !value.isObject()) {
            return null;
        }
        JsonNode set = value.get(type);
        if (set != null && set.isArray()) {
            List<String> members = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            boolean repeat = false;
            for (JsonNode m : set) {
                members.add(m.asText());
                repeat |= !seen.add(m.asText());
            }
            return repeat ? members : null;
        }
        JsonNode m = value.get("M");
        if (m != null && m.isObject()) {
            return firstRepeatingSet(m, type);
        }
        JsonNode l = value.get("L");
        if (l != null && l.isArray()) {
            for (JsonNode member : l) {
                List<String> found = firstRepeatingSetIn(member, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    // --- running reads and writes -------------------------------------------------------------

    /** The outcome of one read or write of a batch: a value, or the error it failed with. */
    record Outcome<R>(R value, RuntimeException error) {
        boolean failed() {
            return error != null;
        }
    }

    /**
     * Applies {@code task} to every input, up to {@link #PARALLELISM} at once, and returns the
     * outcomes in input order. A failed task does not stop the others: DynamoDB returns what it
     * could not do as unprocessed, and each single read or write is atomic on its own.
     */
    static <T, R> List<Outcome<R>> inParallel(List<T> inputs, Function<T, R> task) {
        int n = inputs.size();
        AtomicReferenceArray<Outcome<R>> outcomes = new AtomicReferenceArray<>(n);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    outcomes.set(i, new Outcome<>(task.apply(inputs.get(i)), null));
                } catch (RuntimeException e) {
                    outcomes.set(i, new Outcome<>(null, e));
                } finally {
                    done.countDown();
                }
            }
        };
        for (int h = 1; h < Math.min(PARALLELISM, n); h++) {
            try {
                HELPERS.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // every helper busy: this thread does the rest
            }
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the helpers still hold items of this batch; wait for them
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Outcome<R>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Outcome<R> o = outcomes.get(i);
            out.add(o != null ? o : new Outcome<>(null, Errors.internal("A batch task ended without a result")));
        }
        return out;
    }

    /**
     * When nothing of a batch could be done, DynamoDB answers with the error rather than a
     * response that lists everything as unprocessed.
     */
    static void throwIfAllFailed(List<? extends Outcome<?>> outcomes) {
        RuntimeException first = null;
        for (Outcome<?> o : outcomes) {
            if (!o.failed()) {
                return;
            }
            if (first == null) {
                first = o.error();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // --- consumed capacity --------------------------------------------------------------------

    /** One table's share of a batch's capacity, and its indexes' (writes only). */
    record TableUnits(TableDefinition table, double units, IndexCapacity indexes) {
        TableUnits(TableDefinition table, double units) {
            this(table, units, IndexCapacity.NONE);
        }
    }

    /** ConsumedCapacity of a batch: a list with one entry per table (API Reference, ConsumedCapacity). */
    static void writeCapacity(JsonGenerator out, String mode, List<TableUnits> tables) throws IOException {
        if (mode == null || "NONE".equals(mode)) {
            return;
        }
        out.writeArrayFieldStart("ConsumedCapacity");
        for (TableUnits u : tables) {
            out.writeStartObject();
            out.writeStringField("TableName", u.table().tableName());
            out.writeNumberField("CapacityUnits", u.units() + u.indexes().total());
            if ("INDEXES".equals(mode)) {
                ItemRequests.writeIndexUnits(out, u.units(), u.indexes());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}

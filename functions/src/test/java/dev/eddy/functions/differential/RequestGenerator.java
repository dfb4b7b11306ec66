package dev.eddy.functions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Generates the requests both servers get, from a seed: items with every attribute type, each
 * expression language, index reads, batches, transactions, and invalid requests of each kind. Keys
 * come from a small space so that writes, reads and conditions meet the same items.
 */
final class RequestGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PARTITIONS = {"a", "b", "c"};
    private static final String[] ATTRIBUTES = {"a1", "a2", "a3", "g", "l"};
    private static final String[] TEXT = {"x", "y", "xy", "yx", "é", "日本", "a b", ""};
    private static final String[] NUMBERS = {"0", "1", "-1", "2.5", "1e3", "0.10", "-0.001", "12345678901234567890",
            "99", "1E-5"};

    /** One request: the operation, its body, and what kind of case it is (for the report). */
    record Case(String operation, ObjectNode request, String kind) {
    }

    private final Random random;
    /** Table A: pk (S) and sk (N); global index byG on g (S), all attributes; local index byL on (pk, l). */
    final String tableA;
    /** Table B: id (B) alone. */
    final String tableB;

    RequestGenerator(long seed, String prefix) {
        this.random = new Random(seed);
        this.tableA = prefix + "-a";
        this.tableB = prefix + "-b";
    }

    List<Case> setup() {
        ObjectNode a = JSON.createObjectNode();
        a.put("TableName", tableA);
        a.put("BillingMode", "PAY_PER_REQUEST");
        ArrayNode ks = a.putArray("KeySchema");
        ks.addObject().put("AttributeName", "pk").put("KeyType", "HASH");
        ks.addObject().put("AttributeName", "sk").put("KeyType", "RANGE");
        ArrayNode defs = a.putArray("AttributeDefinitions");
        defs.addObject().put("AttributeName", "pk").put("AttributeType", "S");
        defs.addObject().put("AttributeName", "sk").put("AttributeType", "N");
        defs.addObject().put("AttributeName", "g").put("AttributeType", "S");
        defs.addObject().put("AttributeName", "l").put("AttributeType", "S");
        ObjectNode gsi = a.putArray("GlobalSecondaryIndexes").addObject();
        gsi.put("IndexName", "byG");
        gsi.putArray("KeySchema").addObject().put("AttributeName", "g").put("KeyType", "HASH");
        gsi.putObject("Projection").put("ProjectionType", "ALL");
        ObjectNode lsi = a.putArray("LocalSecondaryIndexes").addObject();
        lsi.put("IndexName", "byL");
        ArrayNode lks = lsi.putArray("KeySchema");
        lks.addObject().put("AttributeName", "pk").put("KeyType", "HASH");
        lks.addObject().put("AttributeName", "l").put("KeyType", "RANGE");
        lsi.putObject("Projection").put("ProjectionType", "ALL");
        ObjectNode b = JSON.createObjectNode();
        b.put("TableName", tableB);
        b.put("BillingMode", "PAY_PER_REQUEST");
        b.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        b.putArray("AttributeDefinitions").addObject().put("AttributeName", "id").put("AttributeType", "B");
        return List.of(new Case("CreateTable", a, "setup"), new Case("CreateTable", b, "setup"));
    }

    Case next() {
        List<Supplier<Case>> kinds = List.of(this::putItem, this::putItem, this::getItem, this::updateItem,
                this::updateItem, this::deleteItem, this::query, this::query, this::indexQuery, this::scan,
                this::batchGet, this::batchWrite, this::transactWrite, this::transactGet, this::invalid, this::invalid);
        return kinds.get(random.nextInt(kinds.size())).get();
    }

    // --- values -------------------------------------------------------------------------------

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private String bytes(int max) {
        byte[] b = new byte[1 + random.nextInt(max)];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    ObjectNode value(int depth) {
        ObjectNode v = JSON.createObjectNode();
        int kind = random.nextInt(depth > 1 ? 7 : 10);
        switch (kind) {
            case 0 -> v.put("S", pick(TEXT) + (random.nextBoolean() ? "" : "z"));
            case 1 -> v.put("N", pick(NUMBERS));
            case 2 -> v.put("B", bytes(4));
            case 3 -> v.put("BOOL", random.nextBoolean());
            case 4 -> v.put("NULL", true);
            case 5 -> {
                ArrayNode ss = v.putArray("SS");
                distinct(() -> pick(TEXT) + "s").forEach(ss::add);
            }
            case 6 -> {
                ArrayNode ns = v.putArray("NS");
                distinct(() -> Integer.toString(random.nextInt(50))).forEach(ns::add);
            }
            case 7 -> {
                ArrayNode l = v.putArray("L");
                for (int i = random.nextInt(3); i > 0; i--) {
                    l.add(value(depth + 1));
                }
            }
            case 8 -> {
                ObjectNode m = v.putObject("M");
                for (int i = random.nextInt(3); i > 0; i--) {
                    m.set("m" + random.nextInt(3), value(depth + 1));
                }
            }
            default -> {
                ArrayNode bs = v.putArray("BS");
                distinct(() -> bytes(2)).forEach(bs::add);
            }
        }
        return v;
    }

    private List<String> distinct(Supplier<String> member) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            out.add(member.get());
        }
        return new ArrayList<>(out);
    }

    private ObjectNode s(String text) {
        return JSON.createObjectNode().put("S", text);
    }

    private ObjectNode n(String number) {
        return JSON.createObjectNode().put("N", number);
    }

    private ObjectNode keyA() {
        ObjectNode k = JSON.createObjectNode();
        k.set("pk", s(pick(PARTITIONS)));
        k.set("sk", n(Integer.toString(random.nextInt(6))));
        return k;
    }

    private ObjectNode keyB() {
        ObjectNode k = JSON.createObjectNode();
        k.set("id", JSON.createObjectNode().put("B", Base64.getEncoder().encodeToString(
                new byte[] {(byte) pick(new Integer[] {0, 1, 97, 98}).intValue()})));
        return k;
    }

    private ObjectNode itemA() {
        ObjectNode item = keyA();
        for (String a : ATTRIBUTES) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            // Index keys must be strings; the invalid cases send other types on purpose.
            item.set(a, a.equals("g") || a.equals("l") ? s(pick(PARTITIONS) + random.nextInt(3)) : value(1));
        }
        return item;
    }

    private ObjectNode itemB() {
        ObjectNode item = keyB();
        item.set("a1", value(1));
        return item;
    }

    /** A condition over the item's attributes, with its names and values added to {@code request}. */
    private String condition(ObjectNode request) {
        String attribute = pick(new String[] {"a1", "a2", "a3", "g"});
        ObjectNode names = names(request);
        names.put("#c", attribute);
        ObjectNode values = values(request);
        return switch (random.nextInt(9)) {
            case 0 -> "attribute_exists(#c)";
            case 1 -> "attribute_not_exists(#c)";
            case 2 -> {
                values.set(":cv", value(1));
                yield "#c = :cv";
            }
            case 3 -> {
                values.set(":cn", n(Integer.toString(random.nextInt(4))));
                yield "size(#c) > :cn";
            }
            case 4 -> {
                values.set(":cs", s(pick(TEXT)));
                yield "begins_with(#c, :cs) OR contains(#c, :cs)";
            }
            case 5 -> {
                values.set(":lo", n("0"));
                values.set(":hi", n("100"));
                yield "#c BETWEEN :lo AND :hi";
            }
            case 6 -> {
                values.set(":ct", s(pick(new String[] {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"})));
                yield "attribute_type(#c, :ct)";
            }
            case 7 -> {
                values.set(":cv", value(1));
                values.set(":cw", value(1));
                yield "#c IN (:cv, :cw) AND NOT attribute_not_exists(#c)";
            }
            default -> "attribute_not_exists(pk) OR (attribute_exists(#c) AND size(#c) < :cn2)"
                    + put(values, ":cn2", n("3"));
        };
    }

    private static String put(ObjectNode values, String name, JsonNode value) {
        values.set(name, value);
        return "";
    }

    private static ObjectNode names(ObjectNode request) {
        return request.has("ExpressionAttributeNames") ? (ObjectNode) request.get("ExpressionAttributeNames")
                : request.putObject("ExpressionAttributeNames");
    }

    private static ObjectNode values(ObjectNode request) {
        return request.has("ExpressionAttributeValues") ? (ObjectNode) request.get("ExpressionAttributeValues")
                : request.putObject("ExpressionAttributeValues");
    }

    /** Drops empty name and value maps (DynamoDB refuses an empty one). */
    private static ObjectNode tidy(ObjectNode request) {
        for (String member : new String[] {"ExpressionAttributeNames", "ExpressionAttributeValues"}) {
            if (request.has(member) && request.get(member).isEmpty()) {
                request.remove(member);
            }
        }
        return request;
    }

    // --- operations ---------------------------------------------------------------------------

    private Case putItem() {
        ObjectNode r = JSON.createObjectNode();
        boolean a = random.nextInt(4) > 0;
        r.put("TableName", a ? tableA : tableB);
        r.set("Item", a ? itemA() : itemB());
        if (random.nextBoolean()) {
            r.put("ConditionExpression", condition(r));
        }
        if (random.nextBoolean()) {
            r.put("ReturnValues", "ALL_OLD");
        }
        return new Case("PutItem", tidy(r), "write");
    }

    private Case getItem() {
        ObjectNode r = JSON.createObjectNode();
        boolean a = random.nextInt(4) > 0;
        r.put("TableName", a ? tableA : tableB);
        r.set("Key", a ? keyA() : keyB());
        r.put("ConsistentRead", true);
        if (random.nextBoolean()) {
            r.put("ProjectionExpression", pick(new String[] {"a1, #p", "a2[0], a3.m1", "#p, sk, g"}));
            if (r.get("ProjectionExpression").asText().contains("#p")) {
                names(r).put("#p", "pk");
            }
        }
        return new Case("GetItem", r, "read");
    }

    private Case updateItem() {
        ObjectNode r = JSON.createObjectNode();
        r.put("TableName", tableA);
        r.set("Key", keyA());
        ObjectNode names = names(r);
        ObjectNode values = values(r);
        names.put("#u", pick(new String[] {"a1", "a2", "a3"}));
        String update = switch (random.nextInt(7)) {
            case 0 -> "SET #u = :uv" + put(values, ":uv", value(1));
            case 1 -> "SET #u = if_not_exists(#u, :uv)" + put(values, ":uv", value(1));
            case 2 -> "SET #u = #u + :un" + put(values, ":un", n(pick(NUMBERS)));
            case 3 -> "REMOVE #u";
            case 4 -> "ADD #u :un" + put(values, ":un", n(Integer.toString(random.nextInt(9))));
            case 5 -> "DELETE #u :us" + put(values, ":us", JSON.createObjectNode().set("SS",
                    JSON.createArrayNode().add("xs")));
            default -> "SET #u = list_append(if_not_exists(#u, :empty), :ul)" + put(values, ":empty",
                    JSON.createObjectNode().set("L", JSON.createArrayNode())) + put(values, ":ul",
                    JSON.createObjectNode().set("L", JSON.createArrayNode().add(value(2))));
        };
        r.put("UpdateExpression", update);
        if (random.nextInt(3) == 0) {
            r.put("ConditionExpression", condition(r));
        }
        r.put("ReturnValues", pick(new String[] {"NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"}));
        return new Case("UpdateItem", tidy(r), "write");
    }

    private Case deleteItem() {
        ObjectNode r = JSON.createObjectNode();
        boolean a = random.nextInt(4) > 0;
        r.put("TableName", a ? tableA : tableB);
        r.set("Key", a ? keyA() : keyB());
        if (a && random.nextBoolean()) {
            r.put("ConditionExpression", condition(r));
        }
        r.put("ReturnValues", "ALL_OLD");
        return new Case("DeleteItem", tidy(r), "write");
    }

    private Case query() {
        ObjectNode r = JSON.createObjectNode();
        r.put("TableName", tableA);
        ObjectNode values = values(r);
        values.set(":p", s(pick(PARTITIONS)));
        String key = "pk = :p";
        switch (random.nextInt(4)) {
            case 0 -> key += " AND sk > :s" + put(values, ":s", n(Integer.toString(random.nextInt(6))));
            case 1 -> key += " AND sk BETWEEN :s AND :t" + put(values, ":s", n("1")) + put(values, ":t", n("4"));
            case 2 -> key += " AND sk <= :s" + put(values, ":s", n(Integer.toString(random.nextInt(6))));
            default -> { }
        }
        r.put("KeyConditionExpression", key);
        r.put("ConsistentRead", true);
        r.put("ScanIndexForward", random.nextBoolean());
        if (random.nextBoolean()) {
            r.put("FilterExpression", condition(r));
        }
        if (random.nextInt(3) == 0) {
            r.put("Limit", 1 + random.nextInt(3));
        }
        return new Case("Query", tidy(r), "read");
    }

    private Case indexQuery() {
        ObjectNode r = JSON.createObjectNode();
        r.put("TableName", tableA);
        boolean global = random.nextBoolean();
        ObjectNode values = values(r);
        if (global) {
            r.put("IndexName", "byG");
            values.set(":g", s(pick(PARTITIONS) + random.nextInt(3)));
            r.put("KeyConditionExpression", "g = :g");
        } else {
            r.put("IndexName", "byL");
            r.put("ConsistentRead", true);
            values.set(":p", s(pick(PARTITIONS)));
            values.set(":l", s(pick(PARTITIONS)));
            r.put("KeyConditionExpression", "pk = :p AND begins_with(l, :l)");
        }
        return new Case("Query", r, "index read");
    }

    private Case scan() {
        ObjectNode r = JSON.createObjectNode();
        r.put("TableName", random.nextInt(3) > 0 ? tableA : tableB);
        r.put("ConsistentRead", true);
        if (random.nextBoolean()) {
            r.put("FilterExpression", condition(r));
        }
        return new Case("Scan", tidy(r), "read");
    }

    private Case batchGet() {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode items = r.putObject("RequestItems");
        ArrayNode keys = items.putObject(tableA).put("ConsistentRead", true).putArray("Keys");
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            ObjectNode k = keyA();
            if (seen.add(k.toString())) {
                keys.add(k);
            }
        }
        return new Case("BatchGetItem", r, "batch");
    }

    private Case batchWrite() {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode writes = r.putObject("RequestItems").putArray(tableA);
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            ObjectNode item = itemA();
            String key = item.get("pk").toString() + item.get("sk");
            if (!seen.add(key)) {
                continue;
            }
            if (random.nextInt(3) == 0) {
                ObjectNode k = JSON.createObjectNode();
                k.set("pk", item.get("pk"));
                k.set("sk", item.get("sk"));
                writes.addObject().putObject("DeleteRequest").set("Key", k);
            } else {
                writes.addObject().putObject("PutRequest").set("Item", item);
            }
        }
        return new Case("BatchWriteItem", r, "batch");
    }

    private Case transactWrite() {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode actions = r.putArray("TransactItems");
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            ObjectNode item = itemA();
            ObjectNode k = JSON.createObjectNode();
            k.set("pk", item.get("pk"));
            k.set("sk", item.get("sk"));
            if (!seen.add(k.toString())) {
                continue;
            }
            ObjectNode action = JSON.createObjectNode();
            action.put("TableName", tableA);
            switch (random.nextInt(4)) {
                case 0 -> {
                    action.set("Item", item);
                    actions.addObject().set("Put", action);
                }
                case 1 -> {
                    action.set("Key", k);
                    action.put("UpdateExpression", "SET a3 = :t");
                    values(action).set(":t", value(1));
                    actions.addObject().set("Update", action);
                }
                case 2 -> {
                    action.set("Key", k);
                    actions.addObject().set("Delete", action);
                }
                default -> {
                    action.set("Key", k);
                    action.put("ConditionExpression", condition(action));
                    actions.addObject().set("ConditionCheck", tidy(action));
                }
            }
        }
        return new Case("TransactWriteItems", r, "transaction");
    }

    private Case transactGet() {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode gets = r.putArray("TransactItems");
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            ObjectNode k = keyA();
            if (seen.add(k.toString())) {
                gets.addObject().putObject("Get").put("TableName", tableA).set("Key", k);
            }
        }
        return new Case("TransactGetItems", r, "transaction");
    }

    // --- invalid requests, one kind at a time ---------------------------------------------------

    private Case invalid() {
        ObjectNode r = JSON.createObjectNode();
        r.put("TableName", tableA);
        switch (random.nextInt(24)) {
            case 0 -> {
                ObjectNode k = keyA();
                k.remove("sk");
                r.set("Key", k);
                return new Case("GetItem", r, "invalid: key missing an attribute");
            }
            case 1 -> {
                ObjectNode k = keyA();
                k.set("sk", s("1"));
                r.set("Key", k);
                return new Case("GetItem", r, "invalid: key of the wrong type");
            }
            case 2 -> {
                ObjectNode item = itemA();
                item.set("pk", s(""));
                r.set("Item", item);
                return new Case("PutItem", r, "invalid: empty string key");
            }
            case 3 -> {
                r.set("Key", keyA());
                r.put("UpdateExpression", pick(new String[] {"SET a1 = = :v", "SET", "REMOVE a1 a2", "ADD a1"}));
                values(r).set(":v", n("1"));
                return new Case("UpdateItem", r, "invalid: expression syntax");
            }
            case 4 -> {
                r.set("Key", keyA());
                r.put("UpdateExpression", "SET #nope = :v");
                values(r).set(":v", n("1"));
                return new Case("UpdateItem", r, "invalid: undefined name");
            }
            case 5 -> {
                r.set("Item", itemA());
                r.put("ConditionExpression", "attribute_exists(a1)");
                values(r).set(":unused", n("1"));
                return new Case("PutItem", r, "invalid: unused value");
            }
            case 6 -> {
                ObjectNode item = itemA();
                item.set("a1", n(pick(new String[] {"1e126", "1e-131", "abc", "123456789012345678901234567890123456789"})));
                r.set("Item", item);
                return new Case("PutItem", r, "invalid: number");
            }
            case 7 -> {
                ObjectNode item = itemA();
                item.set("a1", JSON.createObjectNode().set("SS", JSON.createArrayNode().add("d").add("d")));
                r.set("Item", item);
                return new Case("PutItem", r, "invalid: duplicate set members");
            }
            case 8 -> {
                r.put("TableName", tableA + "-missing");
                r.set("Key", keyA());
                return new Case("GetItem", r, "invalid: unknown table");
            }
            case 9 -> {
                values(r).set(":s", n("1"));
                r.put("KeyConditionExpression", "sk = :s");
                return new Case("Query", r, "invalid: key condition without the partition key");
            }
            case 10 -> {
                ArrayNode writes = JSON.createObjectNode().putObject("RequestItems").putArray(tableA);
                ObjectNode item = itemA();
                writes.addObject().putObject("PutRequest").set("Item", item);
                writes.addObject().putObject("PutRequest").set("Item", item.deepCopy());
                ObjectNode batch = JSON.createObjectNode();
                batch.putObject("RequestItems").set(tableA, writes);
                return new Case("BatchWriteItem", batch, "invalid: one item twice in a batch");
            }
            case 12 -> {
                r.set("Item", itemA());
                r.put("ReturnValues", "ALL_NEW");
                return new Case("PutItem", r, "invalid: ReturnValues for PutItem");
            }
            case 13 -> {
                values(r).set(":p", s("a"));
                r.put("KeyConditionExpression", "pk = :p");
                r.put("Limit", 0);
                return new Case("Query", r, "invalid: constraint (Limit 0)");
            }
            case 14 -> {
                values(r).set(":g", s("a0"));
                r.put("KeyConditionExpression", "g = :g");
                r.put("IndexName", "nope");
                return new Case("Query", r, "invalid: unknown index");
            }
            case 15 -> {
                values(r).set(":g", s("a0"));
                r.put("KeyConditionExpression", "g = :g");
                r.put("IndexName", "byG");
                r.put("ConsistentRead", true);
                return new Case("Query", r, "invalid: consistent read on a global index");
            }
            case 16 -> {
                r.put("Segment", 1);
                return new Case("Scan", r, "invalid: Segment without TotalSegments");
            }
            case 17 -> {
                ObjectNode k = keyA();
                ObjectNode batch = JSON.createObjectNode();
                batch.putObject("RequestItems").putObject(tableA).putArray("Keys").add(k).add(k.deepCopy());
                return new Case("BatchGetItem", batch, "invalid: one key twice in a batch");
            }
            case 18 -> {
                r.set("Key", keyA());
                r.put("UpdateExpression", "SET sk = :v");
                values(r).set(":v", n("1"));
                return new Case("UpdateItem", r, "invalid: update of a key attribute");
            }
            case 19 -> {
                r.set("Key", keyA());
                r.put("ProjectionExpression", "a1");
                names(r).put("#unused", "a2");
                return new Case("GetItem", r, "invalid: unused name");
            }
            case 20 -> {
                r.set("Key", keyA());
                r.put("UpdateExpression", "SET " + pick(new String[] {"name", "status", "data"}) + " = :v");
                values(r).set(":v", n("1"));
                return new Case("UpdateItem", r, "invalid: reserved word");
            }
            case 21 -> {
                r.set("Key", keyA());
                r.put("ProjectionExpression", pick(new String[] {"a1, a1", "a1.b, a1", "a2[0], a2"}));
                return new Case("GetItem", r, "invalid: overlapping paths");
            }
            case 22 -> {
                r.remove("TableName");
                r.set("Key", keyA());
                return new Case("GetItem", r, "invalid: constraint (no TableName)");
            }
            default -> {
                ObjectNode k = keyA();
                ObjectNode t = JSON.createObjectNode();
                ArrayNode actions = t.putArray("TransactItems");
                actions.addObject().putObject("Delete").put("TableName", tableA).set("Key", k);
                ObjectNode check = actions.addObject().putObject("ConditionCheck");
                check.put("TableName", tableA).set("Key", k.deepCopy());
                check.put("ConditionExpression", "attribute_exists(pk)");
                return new Case("TransactWriteItems", t, "invalid: one item twice in a transaction");
            }
        }
    }
}

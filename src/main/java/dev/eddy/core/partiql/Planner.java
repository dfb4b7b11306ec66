package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a parsed statement into the item operation DynamoDB runs for it (Developer Guide, "PartiQL
 * statements for DynamoDB"), with the statement's own rules checked first: which statements each
 * API takes, the mandatory key equality of UPDATE and DELETE, what INSERT's item must hold.
 */
public final class Planner {
    /** Which API the statement came in: each takes a different subset. */
    public enum Mode {
        STATEMENT, BATCH, TRANSACTION
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    /** What a statement names: a table and, for a read, perhaps one of its indexes. */
    private record Target(String table, String index) {
    }

    private final Function<String, TableDefinition> tables;

    /** @param tables finds a table by name, throwing DynamoDB's error when there is none */
    public Planner(Function<String, TableDefinition> tables) {
        this.tables = tables;
    }

    public PlannedStatement plan(ParsedStatement statement, Parameters parameters, Mode mode) {
        Statement s = statement.tree();
        RuntimeException refused = refusal(s, mode);
        if (refused != null) {
            throw refused;
        }
        ItemValues values = new ItemValues(parameters);
        if (s instanceof Statement.Select select) {
            return select(select, values, mode);
        }
        if (s instanceof Statement.Insert insert) {
            return insert(insert, values);
        }
        if (s instanceof Statement.Update update) {
            return update(update, values, mode);
        }
        if (s instanceof Statement.Delete delete) {
            return delete(delete, values, mode);
        }
        return check(((Statement.Check) s).expr(), values);
    }

    /**
     * Refuses a statement the API does not take at all, before anything else is looked at:
     * ExecuteTransaction reports this without naming the statement, unlike its other errors.
     */
    public static void checkKind(ParsedStatement statement, Mode mode) {
        RuntimeException refused = refusal(statement.tree(), mode);
        if (refused != null) {
            throw refused;
        }
    }

    /**
     * What DynamoDB says of a statement that is none of its four, or an EXISTS outside a
     * transaction: an operator or a function might have been an EXISTS (valid only in a
     * transaction), anything else is named by its kind. Null for a statement the API takes.
     */
    private static RuntimeException refusal(Statement s, Mode mode) {
        String kind;
        if (s instanceof Statement.Unsupported u) {
            kind = u.kind();
        } else if (s instanceof Statement.Check check) {
            kind = kind(check.expr());
            if (kind.equals("NAry") && mode == Mode.TRANSACTION && isExists(check.expr())) {
                return null;
            }
        } else {
            return null;
        }
        boolean operation = !kind.equals("NAry");
        return switch (mode) {
            case STATEMENT -> operation ? PartiqlErrors.unsupportedOperation(kind)
                    : PartiqlErrors.existsOutsideTransaction();
            case BATCH -> operation ? PartiqlErrors.notDml() : PartiqlErrors.existsOutsideTransaction();
            case TRANSACTION -> operation ? PartiqlErrors.unsupportedOperation(kind)
                    : PartiqlErrors.unsupportedInTransaction();
        };
    }

    private static boolean isExists(Expr e) {
        return e instanceof Expr.Call call && call.name().equals("exists") && call.arguments().size() == 1
                && call.arguments().get(0) instanceof Expr.Subquery;
    }

    // --- SELECT -------------------------------------------------------------------------------

    private PlannedStatement select(Statement.Select s, ItemValues values, Mode mode) {
        SelectList selectList = SelectList.of(s);
        if (s.from().size() > 1) {
            throw PartiqlErrors.multipleSources();
        }
        Target target = target(s.from().get(0));
        if (s.unsupported() != null) {
            throw PartiqlErrors.unsupportedClause(s.unsupported().name(),
                    s.unsupported().name().equals("LIMIT") ? s.unsupported().position().at() : "");
        }
        TableDefinition t = tables.apply(target.table());
        if (target.index() != null && mode == Mode.TRANSACTION) {
            throw PartiqlErrors.transactionReadOnIndex();
        }
        // An index that is not there is read as the table would be; the read then says it is missing.
        IndexDefinition index = target.index() == null ? null : t.index(target.index());
        List<String> keyNames = index != null ? keyNames(index.hashKey(), index.rangeKey())
                : keyNames(t.hashKey(), t.rangeKey());
        WhereClause where = WhereClause.split(s.where(), keyNames, t::attributeType, values, false);
        boolean getItem = target.index() == null && where.hasAll(keyNames) && where.rest().isEmpty();
        if (mode == Mode.BATCH && !getItem) {
            throw PartiqlErrors.batchSelectNotSingleItem();
        }
        if (mode == Mode.TRANSACTION && !getItem) {
            throw PartiqlErrors.transactionSelectNotSingleItem();
        }
        boolean query = !getItem && where.keys().containsKey(keyNames.get(0));
        boolean forward = orderBy(s, keyNames, query || getItem);

        ExpressionBuilder expressions = new ExpressionBuilder(values);
        ObjectNode request = JsonValues.JSON.createObjectNode();
        request.put("TableName", t.tableName());
        String operation;
        if (getItem) {
            operation = PlannedStatement.GET_ITEM;
            request.set("Key", JsonValues.item(where.keys()));
        } else {
            operation = query ? PlannedStatement.QUERY : PlannedStatement.SCAN;
            if (target.index() != null) {
                request.put("IndexName", target.index());
            }
            if (query) {
                request.put("KeyConditionExpression", keyCondition(where, keyNames, t::attributeType, values,
                        expressions));
                if (!forward) {
                    request.put("ScanIndexForward", false);
                }
            }
            String filter = expressions.allOf(List.of(), query ? where.rest() : where.conjuncts());
            if (filter != null) {
                request.put("FilterExpression", filter);
            }
        }
        String projection = selectList.projection(expressions);
        if (projection != null) {
            request.put("ProjectionExpression", projection);
        }
        expressions.writeTo(request);
        return new PlannedStatement(operation, t.tableName(), request, getItem ? where.keys() : null, false,
                selectList, index != null && t.isGlobalIndex(index));
    }

    private static String keyCondition(WhereClause where, List<String> keyNames, UnaryOperator<String> typeOf,
                                       ItemValues values, ExpressionBuilder expressions) {
        String hashKey = keyNames.get(0);
        String condition = expressions.name(hashKey) + " = " + expressions.value(where.keys().get(hashKey));
        if (keyNames.size() < 2) {
            return condition;
        }
        String sortKey = keyNames.get(1);
        WhereClause.SortKeyCondition range;
        AttributeValue equal = where.keys().get(sortKey);
        if (equal != null) {
            range = new WhereClause.SortKeyCondition("=", List.of(equal));
        } else {
            range = where.takeSortKeyCondition(sortKey, typeOf, values);
        }
        if (range == null) {
            return condition;
        }
        String name = expressions.name(sortKey);
        List<AttributeValue> v = range.values();
        String rangeText = switch (range.operator()) {
            case "BETWEEN" -> name + " BETWEEN " + expressions.value(v.get(0)) + " AND " + expressions.value(v.get(1));
            case "begins_with" -> "begins_with(" + name + ", " + expressions.value(v.get(0)) + ")";
            default -> name + " " + range.operator() + " " + expressions.value(v.get(0));
        };
        return condition + " AND " + rangeText;
    }

    /**
     * ORDER BY: DynamoDB returns a partition in sort-key order, so ordering is only allowed by key
     * attributes of a read that names its partition; DESC on the sort key reads backwards.
     *
     * @return whether to read forward
     */
    private static boolean orderBy(Statement.Select s, List<String> keyNames, boolean onePartition) {
        if (s.orderBy().isEmpty()) {
            return true;
        }
        if (s.where() == null) {
            throw PartiqlErrors.orderByWithoutWhere();
        }
        if (!onePartition) {
            throw PartiqlErrors.orderByWithoutHashKey();
        }
        boolean forward = true;
        for (Statement.Order o : s.orderBy()) {
            if (!(o.expr() instanceof Expr.Path p) || !p.isTopLevel()) {
                throw PartiqlErrors.orderByNotReference(ItemValues.describe(o.expr()));
            }
            if (!keyNames.contains(p.first())) {
                throw PartiqlErrors.orderByNotKey(p.first());
            }
            if (keyNames.size() > 1 && p.first().equals(keyNames.get(1))) {
                forward = !o.descending();
            }
        }
        return forward;
    }

    // --- INSERT, UPDATE, DELETE, EXISTS -------------------------------------------------------

    private PlannedStatement insert(Statement.Insert s, ItemValues values) {
        Target target = target(s.target());
        if (target.index() != null) {
            throw PartiqlErrors.dmlOnIndexName();
        }
        if (s.item() == null) {
            throw PartiqlErrors.unsupportedOperation("InsertOp");
        }
        if (s.returning() != null) {
            throw PartiqlErrors.returningInInsert();
        }
        Map<String, AttributeValue> item = values.item(s.item());
        TableDefinition t = tables.apply(target.table());
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String k : keyNames(t.hashKey(), t.rangeKey())) {
            AttributeValue v = item.get(k);
            if (v == null) {
                throw PartiqlErrors.keyMissing(k);
            }
            if (!v.type().name().equals(t.attributeType(k))) {
                throw PartiqlErrors.keyTypeMismatch(k);
            }
            key.put(k, v);
        }
        // INSERT never replaces: the put holds only where no item has the key.
        ExpressionBuilder expressions = new ExpressionBuilder(values);
        ObjectNode request = JsonValues.JSON.createObjectNode();
        request.put("TableName", t.tableName());
        request.set("Item", JsonValues.item(item));
        request.put("ConditionExpression", expressions.notExists(t.hashKey()));
        expressions.writeTo(request);
        return new PlannedStatement(PlannedStatement.PUT_ITEM, t.tableName(), request, key, true, null, false);
    }

    private PlannedStatement update(Statement.Update s, ItemValues values, Mode mode) {
        ItemWrite write = itemWrite(s.target(), s.returning(), s.where(), values, mode);
        ExpressionBuilder expressions = new ExpressionBuilder(values);
        ObjectNode request = write.request();
        request.put("UpdateExpression", expressions.update(s.actions()));
        // UPDATE changes an item that is there; it never creates one.
        request.put("ConditionExpression",
                expressions.allOf(List.of(expressions.exists(write.table().hashKey())), write.where().rest()));
        if (s.returning() != null) {
            request.put("ReturnValues", s.returning().returnValues());
        }
        expressions.writeTo(request);
        return write.planned(PlannedStatement.UPDATE_ITEM);
    }

    private PlannedStatement delete(Statement.Delete s, ItemValues values, Mode mode) {
        if (s.returning() != null && s.returning().star() && !s.returning().several()
                && (s.returning().modified() || s.returning().newValues())) {
            throw PartiqlErrors.returningInDelete(s.returning().text());
        }
        ItemWrite write = itemWrite(s.target(), s.returning(), s.where(), values, mode);
        ExpressionBuilder expressions = new ExpressionBuilder(values);
        ObjectNode request = write.request();
        String condition = expressions.allOf(List.of(), write.where().rest());
        if (condition != null) {
            // Deleting an item that is not there succeeds, whatever else the WHERE says.
            request.put("ConditionExpression", expressions.notExists(write.table().hashKey()) + " OR " + condition);
        }
        if (s.returning() != null) {
            request.put("ReturnValues", "ALL_OLD");
        }
        expressions.writeTo(request);
        return write.planned(PlannedStatement.DELETE_ITEM);
    }

    /** An UPDATE's or DELETE's item: its table, its key from the WHERE, the rest of the WHERE. */
    private record ItemWrite(TableDefinition table, WhereClause where, ObjectNode request) {
        PlannedStatement planned(String operation) {
            return new PlannedStatement(operation, table.tableName(), request, where.keys(), false, null, false);
        }
    }

    private ItemWrite itemWrite(Statement.Source source, Statement.Returning returning, Expr where, ItemValues values,
                                Mode mode) {
        Target target = target(source);
        if (target.index() != null) {
            throw PartiqlErrors.operationOnIndex();
        }
        checkReturning(returning, mode);
        TableDefinition t = tables.apply(target.table());
        WhereClause w = singleItem(where, t, values);
        return new ItemWrite(t, w, itemRequest(t, w));
    }

    /**
     * {@code EXISTS(SELECT ... WHERE <key> AND <condition>)}, a transaction's condition check: the
     * item must be there and the condition hold.
     */
    private PlannedStatement check(Expr e, ItemValues values) {
        Statement.Select select = ((Expr.Subquery) ((Expr.Call) e).arguments().get(0)).select();
        if (select.from().size() > 1) {
            throw PartiqlErrors.multipleSources();
        }
        Target target = target(select.from().get(0));
        if (target.index() != null) {
            throw PartiqlErrors.transactionCheckOnIndex();
        }
        TableDefinition t = tables.apply(target.table());
        List<String> keyNames = keyNames(t.hashKey(), t.rangeKey());
        WhereClause where = WhereClause.split(select.where(), keyNames, t::attributeType, values, false);
        if (!where.hasAll(keyNames) || where.rest().isEmpty()) {
            throw PartiqlErrors.existsWithoutCondition();
        }
        ExpressionBuilder expressions = new ExpressionBuilder(values);
        ObjectNode request = itemRequest(t, where);
        request.put("ConditionExpression",
                expressions.allOf(List.of(expressions.exists(t.hashKey())), where.rest()));
        expressions.writeTo(request);
        return new PlannedStatement(PlannedStatement.CONDITION_CHECK, t.tableName(), request, where.keys(), false,
                null, false);
    }

    /** The node kind DynamoDB names when a statement is a bare expression. */
    private static String kind(Expr e) {
        if (e instanceof Expr.Path p) {
            return p.isTopLevel() ? "VariableReference" : "Path";
        }
        if (e instanceof Expr.ListValue || e instanceof Expr.BagValue) {
            return "Seq";
        }
        if (e instanceof Expr.StructValue) {
            return "Struct";
        }
        if (e instanceof Expr.Parameter) {
            return "Parameter";
        }
        return e instanceof Expr.Literal ? "Literal" : "NAry";
    }

    private static void checkReturning(Statement.Returning r, Mode mode) {
        if (r == null) {
            return;
        }
        if (r.several()) {
            throw PartiqlErrors.returningMultiple();
        }
        if (!r.star()) {
            throw PartiqlErrors.returningNotStar();
        }
        if (mode == Mode.TRANSACTION) {
            throw PartiqlErrors.returningInTransaction();
        }
    }

    /** The WHERE of a statement on one item: an equality on every key attribute, and nothing else on them. */
    private static WhereClause singleItem(Expr where, TableDefinition t, ItemValues values) {
        List<String> keyNames = keyNames(t.hashKey(), t.rangeKey());
        WhereClause w = WhereClause.split(where, keyNames, t::attributeType, values, true);
        if (!w.hasAll(keyNames)) {
            throw PartiqlErrors.incompleteKey();
        }
        return w;
    }

    private static ObjectNode itemRequest(TableDefinition t, WhereClause where) {
        ObjectNode request = JsonValues.JSON.createObjectNode();
        request.put("TableName", t.tableName());
        request.set("Key", JsonValues.item(where.keys()));
        return request;
    }

    // --- FROM ---------------------------------------------------------------------------------

    /** The table and, when given, the index a statement names: {@code t}, {@code "t"."i"}, {@code t.i}. */
    private static Target target(Statement.Source source) {
        if (source.aliased()) {
            throw PartiqlErrors.aliasing();
        }
        if (!(source.expr() instanceof Expr.Path p)) {
            throw PartiqlErrors.unexpectedFromSource();
        }
        if (p.steps().size() > 2) {
            throw PartiqlErrors.tooManyFromComponents();
        }
        String[] names = new String[2];
        for (int i = 0; i < p.steps().size(); i++) {
            if (!(p.steps().get(i) instanceof Expr.Step.Name n)) {
                throw PartiqlErrors.unexpectedFromSource();
            }
            if (!NAME.matcher(n.name()).matches()) {
                throw PartiqlErrors.invalidTableName();
            }
            names[i] = n.name();
        }
        return new Target(names[0], names[1]);
    }

    private static List<String> keyNames(String hashKey, String rangeKey) {
        List<String> names = new ArrayList<>(2);
        names.add(hashKey);
        if (rangeKey != null) {
            names.add(rangeKey);
        }
        return names;
    }
}

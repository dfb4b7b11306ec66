package dev.eddy.core.partiql;

import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A WHERE clause split the way DynamoDB plans a statement: its top-level AND-ed conditions, the
 * equalities on key attributes taken out as the key ({@code pk = 'a'} or {@code 'a' = pk}), the
 * rest left as a condition or filter.
 */
final class WhereClause {
    /** A condition on the sort key a Query can take as its key condition. */
    record SortKeyCondition(String operator, List<AttributeValue> values) {
    }

    private final List<Expr> conjuncts = new ArrayList<>();
    private final Map<String, AttributeValue> keys = new LinkedHashMap<>();
    private final List<Expr> rest = new ArrayList<>();

    private WhereClause() {
    }

    /**
     * @param keyNames   the key attributes of what is read or written (a table's or an index's)
     * @param typeOf     an attribute's type in the table's definitions
     * @param singleItem a statement on one item (UPDATE, DELETE): a second equality on a key
     *                   attribute with another value is an error rather than a filter
     */
    static WhereClause split(Expr where, List<String> keyNames, UnaryOperator<String> typeOf, ItemValues values,
                             boolean singleItem) {
        ExpressionBuilder.checkWhere(where);
        WhereClause w = new WhereClause();
        flatten(where, w.conjuncts);
        for (Expr c : w.conjuncts) {
            Map.Entry<String, Expr> equality = keyEquality(c, keyNames);
            if (equality == null) {
                w.rest.add(c);
                continue;
            }
            String key = equality.getKey();
            AttributeValue v = keyValue(key, equality.getValue(), typeOf, values);
            AttributeValue earlier = w.keys.get(key);
            if (earlier == null) {
                w.keys.put(key, v);
            } else if (!earlier.equals(v)) {
                if (singleItem) {
                    throw PartiqlErrors.multipleKeyConditions(key);
                }
                w.rest.add(c);
            }
        }
        return w;
    }

    private static void flatten(Expr e, List<Expr> conjuncts) {
        if (e == null) {
            return;
        }
        if (e instanceof Expr.Binary b && b.operator().equals("and")) {
            flatten(b.left(), conjuncts);
            flatten(b.right(), conjuncts);
        } else {
            conjuncts.add(e);
        }
    }

    /** {@code key = value} either way round: the key attribute and the value's expression, or null. */
    private static Map.Entry<String, Expr> keyEquality(Expr c, List<String> keyNames) {
        if (!(c instanceof Expr.Binary b) || !b.operator().equals("=")) {
            return null;
        }
        Map.Entry<String, Expr> e = keyAgainstValue(b.left(), b.right(), keyNames);
        return e != null ? e : keyAgainstValue(b.right(), b.left(), keyNames);
    }

    private static Map.Entry<String, Expr> keyAgainstValue(Expr side, Expr other, List<String> keyNames) {
        if (!(side instanceof Expr.Path p) || !keyNames.contains(p.first()) || !ItemValues.isValue(other)) {
            return null;
        }
        if (!p.isTopLevel()) {
            throw PartiqlErrors.nestedKeyPath(p.first());
        }
        return Map.entry(p.first(), other);
    }

    private static AttributeValue keyValue(String key, Expr value, UnaryOperator<String> typeOf, ItemValues values) {
        AttributeValue v = values.value(value);
        if (!v.type().name().equals(typeOf.apply(key))) {
            throw PartiqlErrors.keyTypeMismatch(key);
        }
        return v;
    }

    /**
     * Takes the first condition on the sort key a Query can use as its key condition out of the
     * rest: a comparison, BETWEEN or begins_with with values of the key's type. Null when none.
     */
    SortKeyCondition takeSortKeyCondition(String sortKey, UnaryOperator<String> typeOf, ItemValues values) {
        for (int i = 0; i < rest.size(); i++) {
            SortKeyCondition c = sortKeyCondition(rest.get(i), sortKey, typeOf, values);
            if (c != null) {
                rest.remove(i);
                return c;
            }
        }
        return null;
    }

    private static SortKeyCondition sortKeyCondition(Expr c, String sortKey, UnaryOperator<String> typeOf,
                                                     ItemValues values) {
        if (c instanceof Expr.Binary b && List.of("=", "<", "<=", ">", ">=").contains(b.operator())) {
            if (isKey(b.left(), sortKey) && ItemValues.isValue(b.right())) {
                return of(b.operator(), List.of(b.right()), sortKey, typeOf, values);
            }
            if (isKey(b.right(), sortKey) && ItemValues.isValue(b.left())) {
                return of(flipped(b.operator()), List.of(b.left()), sortKey, typeOf, values);
            }
        } else if (c instanceof Expr.Between b && !b.negated() && isKey(b.value(), sortKey)
                && ItemValues.isValue(b.low()) && ItemValues.isValue(b.high())) {
            return of("BETWEEN", List.of(b.low(), b.high()), sortKey, typeOf, values);
        } else if (c instanceof Expr.Call call && call.name().equals("begins_with") && call.arguments().size() == 2
                && isKey(call.arguments().get(0), sortKey) && ItemValues.isValue(call.arguments().get(1))) {
            return of("begins_with", List.of(call.arguments().get(1)), sortKey, typeOf, values);
        }
        return null;
    }

    private static SortKeyCondition of(String operator, List<Expr> operands, String sortKey,
                                       UnaryOperator<String> typeOf, ItemValues values) {
        List<AttributeValue> converted = new ArrayList<>();
        for (Expr e : operands) {
            converted.add(keyValue(sortKey, e, typeOf, values));
        }
        return new SortKeyCondition(operator, converted);
    }

    private static boolean isKey(Expr e, String key) {
        return e instanceof Expr.Path p && p.isTopLevel() && p.first().equals(key);
    }

    private static String flipped(String operator) {
        return switch (operator) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> operator;
        };
    }

    /** Every top-level condition, the key equalities included: what a Scan filters on. */
    List<Expr> conjuncts() {
        return conjuncts;
    }

    Map<String, AttributeValue> keys() {
        return keys;
    }

    List<Expr> rest() {
        return rest;
    }

    /** Whether every named key attribute has an equality. */
    boolean hasAll(List<String> keyNames) {
        return keys.keySet().containsAll(keyNames);
    }
}

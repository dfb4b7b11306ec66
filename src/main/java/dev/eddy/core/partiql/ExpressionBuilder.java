package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.expression.ExpressionKind;
import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes PartiQL conditions, paths and SET/REMOVE clauses as DynamoDB expressions (condition,
 * filter, key condition, update, projection), every attribute name as a {@code #n} placeholder and
 * every value as a {@code :v} one, so reserved words and odd names need no care. The item
 * operations then parse and check them as they would a client's; their errors come back to the
 * statement without the "Invalid ...Expression: " prefix, as DynamoDB's do.
 */
final class ExpressionBuilder {
    /** The functions of DynamoDB's expression languages: PartiQL passes them through by name. */
    private static final Set<String> FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists", "attribute_type",
            "begins_with", "contains", "size", "if_not_exists", "list_append");
    private static final Set<String> AGGREGATES = Set.of("count", "avg", "max", "min", "sum");
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=");
    /** PartiQL's type names for IS, as DynamoDB's attribute_type names them. */
    private static final Map<String, String> IS_TYPES = Map.of("NULL", "NULL", "BOOLEAN", "BOOL", "BOOL", "BOOL",
            "BLOB", "B", "STRING", "S", "NUMERIC", "N", "STRUCT", "M", "TUPLE", "M", "LIST", "L");

    /** Binding strength of a rendered condition, to parenthesise only where needed. */
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int PREDICATE = 4;

    private record Rendered(String text, int level) {
        String at(int required) {
            return level < required ? "(" + text + ")" : text;
        }
    }

    private final ItemValues values;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> placeholders = new LinkedHashMap<>();

    ExpressionBuilder(ItemValues values) {
        this.values = values;
    }

    // --- placeholders -------------------------------------------------------------------------

    String name(String attribute) {
        if (attribute.isEmpty()) {
            throw PartiqlErrors.emptyPathComponent();
        }
        return names.computeIfAbsent(attribute, a -> "#n" + names.size());
    }

    String value(AttributeValue v) {
        String placeholder = ":v" + placeholders.size();
        placeholders.put(placeholder, v);
        return placeholder;
    }

    String path(Expr.Path path) {
        StringBuilder s = new StringBuilder();
        for (Expr.Step step : path.steps()) {
            if (step instanceof Expr.Step.Name n) {
                s.append(s.length() == 0 ? "" : ".").append(name(n.name()));
            } else if (step instanceof Expr.Step.Index i) {
                s.append('[').append(i.index()).append(']');
            } else if (step instanceof Expr.Step.Unpivot) {
                throw PartiqlErrors.unpivotPath();
            } else {
                throw PartiqlErrors.unexpectedPathComponent(step.position().at());
            }
        }
        return s.toString();
    }

    /** Adds ExpressionAttributeNames and ExpressionAttributeValues to a request, when there are any. */
    void writeTo(ObjectNode request) {
        if (!names.isEmpty()) {
            ObjectNode n = request.putObject("ExpressionAttributeNames");
            names.forEach((attribute, placeholder) -> n.put(placeholder, attribute));
        }
        if (!placeholders.isEmpty()) {
            ObjectNode v = request.putObject("ExpressionAttributeValues");
            placeholders.forEach((placeholder, value) -> v.set(placeholder, JsonValues.value(value)));
        }
    }

    // --- conditions ---------------------------------------------------------------------------

    /**
     * Conditions that must all hold, as one expression: predicates already written (such as
     * attribute_exists of the key) and the conjuncts of a WHERE checked by {@link #checkWhere},
     * or what is left of them once the key conditions are taken out. Null when there are none.
     */
    String allOf(List<String> written, List<Expr> conjuncts) {
        List<Rendered> parts = new ArrayList<>();
        for (String w : written) {
            parts.add(new Rendered(w, PREDICATE));
        }
        for (Expr c : conjuncts) {
            parts.add(condition(c));
        }
        if (parts.size() <= 1) {
            return parts.isEmpty() ? null : parts.get(0).text();
        }
        List<String> texts = new ArrayList<>();
        for (Rendered r : parts) {
            texts.add(r.at(AND));
        }
        return String.join(" AND ", texts);
    }

    /** The predicates PartiQL adds of its own: the item is there (UPDATE, EXISTS), or not (INSERT, DELETE). */
    String exists(String attribute) {
        return "attribute_exists(" + name(attribute) + ")";
    }

    String notExists(String attribute) {
        return "attribute_not_exists(" + name(attribute) + ")";
    }

    /**
     * The shape DynamoDB requires of a WHERE before it looks at keys: a condition, whose AND, OR
     * and NOT take conditions.
     */
    static void checkWhere(Expr where) {
        if (where == null) {
            return;
        }
        if (!isCondition(where)) {
            throw PartiqlErrors.whereNotBoolean();
        }
        checkOperands(where);
    }

    private static void checkOperands(Expr e) {
        if (e instanceof Expr.Binary b && (b.operator().equals("and") || b.operator().equals("or"))) {
            if (!isCondition(b.left()) || !isCondition(b.right())) {
                throw PartiqlErrors.andOrOperand();
            }
            checkOperands(b.left());
            checkOperands(b.right());
        } else if (e instanceof Expr.Not n) {
            if (!isCondition(n.operand())) {
                throw PartiqlErrors.notOperand();
            }
            checkOperands(n.operand());
        }
    }

    private static boolean isCondition(Expr e) {
        return e instanceof Expr.Binary || e instanceof Expr.Not || e instanceof Expr.Between
                || e instanceof Expr.In || e instanceof Expr.Is || e instanceof Expr.Call;
    }

    private Rendered condition(Expr e) {
        if (e instanceof Expr.Binary b && (b.operator().equals("and") || b.operator().equals("or"))) {
            int level = b.operator().equals("and") ? AND : OR;
            return new Rendered(condition(b.left()).at(level) + " " + b.operator().toUpperCase() + " "
                    + condition(b.right()).at(level), level);
        }
        if (e instanceof Expr.Not n) {
            return new Rendered("NOT " + condition(n.operand()).at(NOT), NOT);
        }
        if (e instanceof Expr.Binary b) {
            if (!COMPARISONS.contains(b.operator())) {
                throw PartiqlErrors.conditionOperator(b.operator());
            }
            String op = b.operator().equals("!=") ? "<>" : b.operator();
            return new Rendered(operand(b.left(), false) + " " + op + " " + operand(b.right(), false), PREDICATE);
        }
        if (e instanceof Expr.Between b) {
            return negated(operand(b.value(), false) + " BETWEEN " + operand(b.low(), false) + " AND "
                    + operand(b.high(), false), b.negated());
        }
        if (e instanceof Expr.In in) {
            if (!(in.value() instanceof Expr.Path p) || !(in.list() instanceof Expr.ListValue list)
                    || list.members().isEmpty()) {
                throw PartiqlErrors.invalidIn();
            }
            List<String> members = new ArrayList<>();
            for (Expr m : list.members()) {
                members.add(operand(m, false));
            }
            return negated(path(p) + " IN (" + String.join(", ", members) + ")", in.negated());
        }
        if (e instanceof Expr.Is is) {
            return is(is);
        }
        return new Rendered(function((Expr.Call) e, false), PREDICATE);
    }

    private static Rendered negated(String predicate, boolean negated) {
        return negated ? new Rendered("NOT " + predicate, NOT) : new Rendered(predicate, PREDICATE);
    }

    /** IS MISSING is attribute_not_exists; IS of a type is attribute_type with DynamoDB's type name. */
    private Rendered is(Expr.Is is) {
        if (!(is.value() instanceof Expr.Path p)) {
            throw PartiqlErrors.isOperand();
        }
        if (is.type().equals("MISSING")) {
            return new Rendered((is.negated() ? "attribute_exists(" : "attribute_not_exists(") + path(p) + ")",
                    PREDICATE);
        }
        String type = IS_TYPES.get(is.type());
        if (type == null) {
            String shown = switch (is.type()) {
                case "INT" -> "INTEGER";
                case "DEC" -> "DECIMAL";
                default -> is.type();
            };
            throw PartiqlErrors.isType(shown, is.position().at());
        }
        return negated("attribute_type(" + path(p) + ", " + value(AttributeValue.s(type)) + ")", is.negated());
    }

    /** An operand of a comparison, of a function, or of a SET's value: a path, a value or a function call. */
    private String operand(Expr e, boolean update) {
        if (e instanceof Expr.Path p) {
            return path(p);
        }
        if (ItemValues.isValue(e)) {
            return value(values.value(e));
        }
        if (e instanceof Expr.Call c) {
            return function(c, update);
        }
        if (e instanceof Expr.Literal) {
            throw PartiqlErrors.missingCompared();
        }
        throw update ? notAnUpdateOperand(e) : notAConditionOperand(e);
    }

    private static RuntimeException notAConditionOperand(Expr e) {
        if (e instanceof Expr.Binary b) {
            return PartiqlErrors.conditionOperator(b.operator());
        }
        if (e instanceof Expr.Sign s) {
            return PartiqlErrors.conditionOperator(s.sign());
        }
        return unsupported(e);
    }

    private static RuntimeException unsupported(Expr e) {
        return e instanceof Expr.Subquery ? PartiqlErrors.unsupportedToken("SELECT", e.position().at())
                : PartiqlErrors.unsupportedToken(ItemValues.describe(e), e.position().at());
    }

    /** A call of one of DynamoDB's functions, under its lower-case name; its arguments are operands. */
    private String function(Expr.Call c, boolean update) {
        if (AGGREGATES.contains(c.name())) {
            throw PartiqlErrors.unsupportedToken(c.name(), c.position().at());
        }
        if (!FUNCTIONS.contains(c.name())) {
            throw PartiqlErrors.unrecognizedFunction(c.name());
        }
        List<String> arguments = new ArrayList<>();
        for (Expr a : c.arguments()) {
            arguments.add(operand(a, update));
        }
        return c.name() + "(" + String.join(", ", arguments) + ")";
    }

    // --- updates ------------------------------------------------------------------------------

    /**
     * SET and REMOVE clauses as one UpdateExpression: DynamoDB allows each section once, so every
     * SET goes into one SET section; {@code x = set_add(x, <<..>>)} and {@code set_delete} become
     * ADD and DELETE.
     */
    String update(List<Statement.Action> actions) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        List<String> add = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        for (Statement.Action action : actions) {
            if (action instanceof Statement.Action.Remove r) {
                remove.add(path(r.target()));
            } else {
                Statement.Action.Set s = (Statement.Action.Set) action;
                String target = path(s.target());
                if (s.value() instanceof Expr.Call c && (c.name().equals("set_add") || c.name().equals("set_delete"))) {
                    (c.name().equals("set_add") ? add : delete).add(target + " " + setOperand(c, target));
                } else {
                    set.add(target + " = " + updateValue(s.value()));
                }
            }
        }
        StringBuilder expression = new StringBuilder();
        section(expression, "SET", set);
        section(expression, "REMOVE", remove);
        section(expression, "ADD", add);
        section(expression, "DELETE", delete);
        return expression.toString();
    }

    private static void section(StringBuilder expression, String keyword, List<String> clauses) {
        if (!clauses.isEmpty()) {
            expression.append(expression.length() == 0 ? "" : " ").append(keyword).append(' ')
                    .append(String.join(", ", clauses));
        }
    }

    /** The set a set_add or set_delete adds or takes away: a bag, or a parameter holding a set. */
    private String setOperand(Expr.Call c, String target) {
        String function = c.name().toUpperCase();
        if (c.arguments().size() != 2) {
            throw PartiqlErrors.setFunctionArguments(function, c.position().at());
        }
        if (!(c.arguments().get(0) instanceof Expr.Path first) || !path(first).equals(target)) {
            throw PartiqlErrors.setFunctionTarget(function);
        }
        Expr second = c.arguments().get(1);
        if (second instanceof Expr.BagValue || second instanceof Expr.Parameter) {
            AttributeValue set = values.value(second);
            if (set.type() == AttributeValue.Type.SS || set.type() == AttributeValue.Type.NS
                    || set.type() == AttributeValue.Type.BS) {
                return value(set);
            }
        }
        // DynamoDB points at the first argument here, the set being changed.
        throw PartiqlErrors.setFunctionValue(function, first.position().at());
    }

    /** The value of a SET: an operand, or two joined by + or -. */
    private String updateValue(Expr e) {
        if (e instanceof Expr.Binary b && (b.operator().equals("+") || b.operator().equals("-"))) {
            return operand(b.left(), true) + " " + b.operator() + " " + operand(b.right(), true);
        }
        return operand(e, true);
    }

    private static RuntimeException notAnUpdateOperand(Expr e) {
        if (e instanceof Expr.Is) {
            return PartiqlErrors.isInUpdate();
        }
        if (e instanceof Expr.Sign s) {
            // DynamoDB's update grammar has no sign: it reads "-a" as a minus lacking its left operand.
            return PartiqlErrors.fromItemOperation(Errors.operandCount(ExpressionKind.UPDATE.member(), s.sign(), 1));
        }
        if (e instanceof Expr.Binary b) {
            return PartiqlErrors.updateOperator(b.operator());
        }
        if (e instanceof Expr.Not) {
            return PartiqlErrors.updateOperator("not");
        }
        if (e instanceof Expr.Between || e instanceof Expr.In) {
            return PartiqlErrors.updateOperator(e instanceof Expr.In ? "in" : "between");
        }
        return unsupported(e);
    }
}

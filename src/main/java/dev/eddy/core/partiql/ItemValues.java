package dev.eddy.core.partiql;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PartiQL values as DynamoDB attribute values (Developer Guide, "Data types for PartiQL"): strings
 * are S, numbers N, true and false BOOL, null NULL, {@code {'k': v}} a map, {@code [..]} a list,
 * {@code <<..>>} a string or number set, {@code ?} whatever its parameter is. Errors name where the
 * bad value sits in the attribute's value: "root" for the value itself, "root.a" and "root.0" below.
 */
final class ItemValues {
    private static final String ROOT = "root";

    private final Parameters parameters;

    ItemValues(Parameters parameters) {
        this.parameters = parameters;
    }

    /** The item of {@code INSERT ... VALUE {...}}. */
    Map<String, AttributeValue> item(Expr e) {
        if (!(e instanceof Expr.StructValue struct)) {
            throw PartiqlErrors.itemNotStruct(e.position().at());
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Expr.StructValue.Field f : struct.fields()) {
            String name = key(f.key(), ROOT);
            if (item.containsKey(name)) {
                // At the top, DynamoDB points at the repeated key; deeper down, at the map holding it.
                throw PartiqlErrors.duplicateTupleKey(name, ROOT, f.key().position().at());
            }
            item.put(name, value(f.value(), ROOT, true));
        }
        return item;
    }

    /** A value-like operand: a literal, a parameter or a collection. */
    static boolean isValue(Expr e) {
        return e instanceof Expr.Literal l && l.kind() != Expr.Literal.Kind.MISSING
                || e instanceof Expr.Parameter || e instanceof Expr.ListValue || e instanceof Expr.StructValue
                || e instanceof Expr.BagValue;
    }

    /** A value in a condition or an update. */
    AttributeValue value(Expr e) {
        return value(e, ROOT, true);
    }

    private AttributeValue value(Expr e, String under, boolean attribute) {
        if (e instanceof Expr.Literal l) {
            return literal(l, under, attribute);
        }
        if (e instanceof Expr.Parameter p) {
            return parameters.get(p.index());
        }
        if (e instanceof Expr.ListValue list) {
            List<AttributeValue> members = new ArrayList<>(list.members().size());
            for (int i = 0; i < list.members().size(); i++) {
                members.add(value(list.members().get(i), under + "." + i, false));
            }
            return AttributeValue.l(members);
        }
        if (e instanceof Expr.StructValue struct) {
            Map<String, AttributeValue> map = new LinkedHashMap<>();
            for (Expr.StructValue.Field f : struct.fields()) {
                String name = key(f.key(), under);
                if (map.containsKey(name)) {
                    throw PartiqlErrors.duplicateTupleKey(name, under, struct.position().at());
                }
                map.put(name, value(f.value(), under + "." + name, false));
            }
            return AttributeValue.m(map);
        }
        if (e instanceof Expr.BagValue bag) {
            return set(bag);
        }
        throw PartiqlErrors.unsupportedValue(describe(e), under, e.position().at());
    }

    private static AttributeValue literal(Expr.Literal l, String under, boolean attribute) {
        return switch (l.kind()) {
            case STRING -> AttributeValue.s(l.text());
            case NUMBER -> AttributeValue.n(number(l, under));
            case TRUE -> AttributeValue.bool(true);
            case FALSE -> AttributeValue.bool(false);
            case NULL -> AttributeValue.nul();
            case MISSING -> throw PartiqlErrors.unsupportedValue(attribute ? "MISSING" : "LiteralMissing", under,
                    l.position().at());
        };
    }

    private static String number(Expr.Literal l, String under) {
        String text = l.text();
        boolean decimal = text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        if (text.startsWith("-") && decimal && isZero(text)) {
            throw PartiqlErrors.negativeZero(under, l.position().at());
        }
        try {
            return Numbers.canonical(text);
        } catch (DynamoException e) {
            // A literal too precise is refused in the words DynamoDB uses for arithmetic results.
            throw e.getMessage().equals(Errors.numberPrecision().getMessage()) ? Errors.arithmeticPrecision() : e;
        }
    }

    private static boolean isZero(String text) {
        try {
            return new BigDecimal(text).signum() == 0;
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    /** A bag of string literals is an SS, of number literals an NS; nothing else may be in one. */
    private static AttributeValue set(Expr.BagValue bag) {
        if (bag.members().isEmpty()) {
            throw PartiqlErrors.emptyBag(bag.position().at());
        }
        boolean strings = false;
        boolean numbers = false;
        List<String> members = new ArrayList<>();
        for (Expr m : bag.members()) {
            if (!(m instanceof Expr.Literal l) || (l.kind() != Expr.Literal.Kind.STRING
                    && l.kind() != Expr.Literal.Kind.NUMBER)) {
                throw PartiqlErrors.bagMemberType(m.position().at());
            }
            strings |= l.kind() == Expr.Literal.Kind.STRING;
            numbers |= l.kind() == Expr.Literal.Kind.NUMBER;
            members.add(l.kind() == Expr.Literal.Kind.STRING ? l.text() : number(l, ROOT));
        }
        if (strings && numbers) {
            throw PartiqlErrors.bagMemberType("");
        }
        Set<String> distinct = new HashSet<>(members);
        if (distinct.size() < members.size()) {
            throw PartiqlErrors.bagDuplicates();
        }
        return strings ? AttributeValue.ss(members) : AttributeValue.ns(members);
    }

    /** A map key: only a string literal is one. */
    private static String key(Expr key, String under) {
        if (key instanceof Expr.Literal l && l.kind() == Expr.Literal.Kind.STRING) {
            return l.text();
        }
        throw PartiqlErrors.tupleKeyType(keyType(key), under, key.position().at());
    }

    private static String keyType(Expr key) {
        if (key instanceof Expr.Path) {
            return "VariableReference";
        }
        if (key instanceof Expr.Parameter) {
            return "Parameter";
        }
        if (key instanceof Expr.Literal l) {
            return switch (l.kind()) {
                case NUMBER -> l.text().chars().allMatch(c -> Character.isDigit(c) || c == '-') ? "INT" : "DECIMAL";
                case TRUE, FALSE -> "BOOL";
                default -> l.kind().name();
            };
        }
        return describe(key);
    }

    /** How DynamoDB names an expression where a value should be: the variable, the operator, the function. */
    static String describe(Expr e) {
        if (e instanceof Expr.Path p) {
            return p.first();
        }
        if (e instanceof Expr.Binary b) {
            return b.operator();
        }
        if (e instanceof Expr.Call c) {
            return c.name();
        }
        if (e instanceof Expr.Sign s) {
            return s.sign();
        }
        if (e instanceof Expr.Parameter) {
            return "Parameter";
        }
        return e.getClass().getSimpleName();
    }
}

package dev.eddy.core.expression;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.Numbers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed UpdateExpression: its SET, REMOVE, ADD and DELETE actions (Developer Guide, "Update
 * expressions"). {@link #apply} computes the next item from the current one without touching it,
 * so a compare-and-set retry can run it again.
 *
 * <p>Every action sees the item as it was before the update: SET values are computed from the old
 * item ({@code SET a = b, b = a} swaps), and list indexes name the old positions, so
 * {@code REMOVE l[0], l[2]} removes the first and third elements. Setting an index past the end of
 * a list appends, in index order; removing one past the end does nothing.
 */
public final class Update {
    public sealed interface Action permits Set, Remove, Add, Delete {
        DocumentPath path();
    }

    public record Set(DocumentPath path, Operand value) implements Action {
    }

    public record Remove(DocumentPath path) implements Action {
    }

    /** ADD: a number added to a number, or set members added to a set; creates what is missing. */
    public record Add(DocumentPath path, AttributeValue value) implements Action {
    }

    /** DELETE: set members taken out of a set; an empty set is removed. */
    public record Delete(DocumentPath path, AttributeValue value) implements Action {
    }

    private final List<Action> actions;

    Update(List<Action> actions) {
        this.actions = List.copyOf(actions);
    }

    public List<Action> actions() {
        return actions;
    }

    /** The paths the update writes, which UPDATED_OLD and UPDATED_NEW project the item on. */
    public List<DocumentPath> paths() {
        List<DocumentPath> paths = new ArrayList<>(actions.size());
        for (Action a : actions) {
            paths.add(a.path());
        }
        return paths;
    }

    /** Whether the update only takes things away: applied to a missing item, it creates none. */
    public boolean onlyRemoves() {
        for (Action a : actions) {
            if (!(a instanceof Remove) && !(a instanceof Delete)) {
                return false;
            }
        }
        return true;
    }

    /** A value written by one action, computed from the old item before anything changes. */
    private record Change(Action action, AttributeValue value) {
    }

    /** The item after the update; {@code item} (the key attributes alone for a new item) is not changed. */
    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        List<Change> changes = new ArrayList<>(actions.size());
        for (Action a : actions) {
            changes.add(new Change(a, a instanceof Set s ? compute(s.value(), item) : null));
        }
        Map<String, AttributeValue> next = new LinkedHashMap<>(item);
        applyToMap(next, changes, 0);
        return next;
    }

    // --- computing SET values -----------------------------------------------------------------

    static AttributeValue compute(Operand operand, Map<String, AttributeValue> item) {
        if (operand instanceof Operand.Value v) {
            return v.value();
        }
        if (operand instanceof Operand.Path p) {
            AttributeValue v = p.path().find(item);
            if (v == null) {
                throw Errors.updateAttributeMissing();
            }
            return v;
        }
        if (operand instanceof Operand.IfNotExists f) {
            AttributeValue v = f.path().find(item);
            return v != null ? v : compute(f.fallback(), item);
        }
        if (operand instanceof Operand.ListAppend f) {
            AttributeValue first = compute(f.first(), item);
            AttributeValue second = compute(f.second(), item);
            if (first.type() != AttributeValue.Type.L || second.type() != AttributeValue.Type.L) {
                throw Errors.updateOperandDataType();
            }
            List<AttributeValue> joined = new ArrayList<>(first.l().size() + second.l().size());
            joined.addAll(first.l());
            joined.addAll(second.l());
            return AttributeValue.l(joined);
        }
        Operand.Arithmetic f = (Operand.Arithmetic) operand;
        AttributeValue left = compute(f.left(), item);
        AttributeValue right = compute(f.right(), item);
        if (left.type() != AttributeValue.Type.N || right.type() != AttributeValue.Type.N) {
            throw Errors.updateOperandDataType();
        }
        BigDecimal a = new BigDecimal(left.n());
        BigDecimal b = new BigDecimal(right.n());
        return number(f.plus() ? a.add(b) : a.subtract(b));
    }

    /**
     * An arithmetic result, exact: a magnitude out of range is an overflow or underflow, and a
     * result needing more than 38 digits is refused rather than rounded, as DynamoDB does.
     */
    public static AttributeValue number(BigDecimal result) {
        if (result.signum() != 0) {
            // Truncating keeps the magnitude, so this checks the range alone.
            Numbers.checkRange(result.round(new MathContext(38, RoundingMode.DOWN)));
            if (result.stripTrailingZeros().precision() > 38) {
                throw Errors.arithmeticPrecision();
            }
        }
        return AttributeValue.n(Numbers.canonicalText(result));
    }

    // --- applying the changes -----------------------------------------------------------------

    /** Applies the changes whose paths continue at {@code depth} with a key of this map. */
    private static void applyToMap(Map<String, AttributeValue> map, List<Change> changes, int depth) {
        Map<String, List<Change>> byKey = new LinkedHashMap<>();
        for (Change c : changes) {
            String key = ((DocumentPath.Key) c.action.path().steps().get(depth)).name();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<Change>> e : byKey.entrySet()) {
            String key = e.getKey();
            Change leaf = leaf(e.getValue(), depth);
            AttributeValue next;
            if (leaf != null) {
                next = applyLeaf(map.get(key), leaf);
            } else {
                AttributeValue child = map.get(key);
                if (child == null) {
                    throw Errors.invalidUpdatePath();
                }
                next = applyNested(child, e.getValue(), depth + 1);
            }
            if (next == null) {
                map.remove(key);
            } else {
                map.put(key, next);
            }
        }
    }

    /** The change that ends at this level, if any; paths never overlap, so it is then the only one. */
    private static Change leaf(List<Change> changes, int depth) {
        for (Change c : changes) {
            if (c.action.path().steps().size() == depth + 1) {
                return c;
            }
        }
        return null;
    }

    private static AttributeValue applyNested(AttributeValue container, List<Change> changes, int depth) {
        boolean byKey = changes.get(0).action.path().steps().get(depth) instanceof DocumentPath.Key;
        if (byKey) {
            if (container.type() != AttributeValue.Type.M) {
                throw Errors.invalidUpdatePath();
            }
            Map<String, AttributeValue> copy = new LinkedHashMap<>(container.m());
            applyToMap(copy, changes, depth);
            return AttributeValue.m(copy);
        }
        if (container.type() != AttributeValue.Type.L) {
            throw Errors.invalidUpdatePath();
        }
        return AttributeValue.l(applyToList(container.l(), changes, depth));
    }

    private static List<AttributeValue> applyToList(List<AttributeValue> list, List<Change> changes, int depth) {
        TreeMap<Integer, List<Change>> byIndex = new TreeMap<>();
        for (Change c : changes) {
            int index = ((DocumentPath.Index) c.action.path().steps().get(depth)).index();
            byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(c);
        }
        List<AttributeValue> elements = new ArrayList<>(list);
        java.util.Set<Integer> removed = new HashSet<>();
        List<AttributeValue> appended = new ArrayList<>();
        for (Map.Entry<Integer, List<Change>> e : byIndex.entrySet()) {
            int index = e.getKey();
            boolean exists = index < elements.size();
            Change leaf = leaf(e.getValue(), depth);
            if (leaf == null) {
                if (!exists) {
                    throw Errors.invalidUpdatePath();
                }
                elements.set(index, applyNested(elements.get(index), e.getValue(), depth + 1));
                continue;
            }
            AttributeValue next = applyLeaf(exists ? elements.get(index) : null, leaf);
            if (exists) {
                if (next == null) {
                    removed.add(index);
                } else {
                    elements.set(index, next);
                }
            } else if (next != null) {
                appended.add(next); // in index order, as the TreeMap iterates
            }
        }
        List<AttributeValue> result = new ArrayList<>(elements.size() + appended.size());
        for (int i = 0; i < elements.size(); i++) {
            if (!removed.contains(i)) {
                result.add(elements.get(i));
            }
        }
        result.addAll(appended);
        return result;
    }

    /** The new value where a change's path ends, or null to remove it. */
    private static AttributeValue applyLeaf(AttributeValue current, Change change) {
        Action a = change.action;
        if (a instanceof Set) {
            return change.value;
        }
        if (a instanceof Remove) {
            return null;
        }
        if (a instanceof Add add) {
            AttributeValue v = add.value();
            if (current == null) {
                return v;
            }
            if (current.type() != v.type()) {
                throw Errors.updateOperandDataType();
            }
            if (v.type() == AttributeValue.Type.N) {
                return number(new BigDecimal(current.n()).add(new BigDecimal(v.n())));
            }
            return union(current, v);
        }
        Delete delete = (Delete) a;
        if (current == null) {
            return null;
        }
        if (current.type() != delete.value().type()) {
            throw Errors.updateOperandDataType();
        }
        return minus(current, delete.value());
    }

    // --- sets ---------------------------------------------------------------------------------

    /** The members of both sets (of one type), those of {@code a} first. */
    public static AttributeValue union(AttributeValue a, AttributeValue b) {
        return switch (a.type()) {
            case SS -> AttributeValue.ss(unionOf(a.ss(), b.ss()));
            case NS -> AttributeValue.ns(unionOf(a.ns(), b.ns()));
            default -> {
                List<AttributeValue.ByteString> joined = unionOf(bytes(a.bs()), bytes(b.bs()));
                List<byte[]> out = new ArrayList<>(joined.size());
                for (AttributeValue.ByteString m : joined) {
                    out.add(m.bytes());
                }
                yield AttributeValue.bs(out);
            }
        };
    }

    /** The members of {@code a} not in {@code b}, or null when none is left: DynamoDB has no empty sets. */
    public static AttributeValue minus(AttributeValue a, AttributeValue b) {
        switch (a.type()) {
            case SS, NS -> {
                boolean strings = a.type() == AttributeValue.Type.SS;
                List<String> out = new ArrayList<>(strings ? a.ss() : a.ns());
                out.removeAll(new HashSet<>(strings ? b.ss() : b.ns()));
                return out.isEmpty() ? null : strings ? AttributeValue.ss(out) : AttributeValue.ns(out);
            }
            default -> {
                java.util.Set<AttributeValue.ByteString> drop = new HashSet<>(bytes(b.bs()));
                List<byte[]> out = new ArrayList<>();
                for (byte[] m : a.bs()) {
                    if (!drop.contains(new AttributeValue.ByteString(m))) {
                        out.add(m);
                    }
                }
                return out.isEmpty() ? null : AttributeValue.bs(out);
            }
        }
    }

    private static <T> List<T> unionOf(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        java.util.Set<T> seen = new HashSet<>(a);
        for (T m : b) {
            if (seen.add(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<AttributeValue.ByteString> bytes(List<byte[]> members) {
        List<AttributeValue.ByteString> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(new AttributeValue.ByteString(m));
        }
        return out;
    }
}

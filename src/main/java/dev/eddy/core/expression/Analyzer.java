package dev.eddy.core.expression;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a parsed expression and builds what is evaluated, in DynamoDB's order of complaints:
 * first, in the order they are written, reserved words, unknown or misplaced functions and list
 * indexes beyond an int; then the operator count; for updates, repeated clauses and overlapping
 * paths; last placeholders, nesting depth, operand counts and the types of constant operands (in
 * written order for conditions, last action or path first for updates and projections, as
 * DynamoDB Local shows). So {@code name = :undefined} reports the reserved word, not the placeholder.
 */
final class Analyzer {
    static final int MAX_OPERATORS = 300;
    private static final int MAX_IN_OPERANDS = 100;
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists",
            "attribute_type", "begins_with", "contains", "size");
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");
    /** What DynamoDB says attribute_type's second operand should have been when it is a path. */
    private static final String ANY_TYPE = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";

    private final String member;
    private final Placeholders placeholders;

    private Analyzer(ExpressionKind kind, Placeholders placeholders) {
        this.member = kind.member();
        this.placeholders = placeholders;
    }

    static Condition condition(ExpressionKind kind, Syntax syntax, Placeholders placeholders) {
        Analyzer a = new Analyzer(kind, placeholders);
        a.checkCondition(syntax, true);
        a.checkOperatorCount(a.countConditionOperators(syntax));
        return a.toCondition(syntax);
    }

    static Update update(List<Syntax.Clause> clauses, Placeholders placeholders) {
        Analyzer a = new Analyzer(ExpressionKind.UPDATE, placeholders);
        List<Syntax.Action> all = new ArrayList<>();
        for (Syntax.Clause clause : clauses) {
            all.addAll(clause.actions());
        }
        int operators = 0;
        for (Syntax.Action action : all) {
            a.checkPath(action.path());
            if (action.clause().equals("SET")) {
                a.checkUpdateValue(action.value(), true);
                operators += countArithmetic(action.value());
            }
        }
        a.checkOperatorCount(operators);
        Set<String> sections = new HashSet<>();
        for (Syntax.Clause clause : clauses) {
            if (!sections.add(clause.name())) {
                throw Errors.sectionRepeated(a.member, clause.name());
            }
        }
        List<DocumentPath> written = new ArrayList<>();
        for (Syntax.Action action : all) {
            written.add(a.peekPath(action.path()));
        }
        a.checkOverlaps(written);
        // DynamoDB resolves the actions last to first: every target path, then every value.
        int n = all.size();
        DocumentPath[] targets = new DocumentPath[n];
        for (int i = n - 1; i >= 0; i--) {
            targets[i] = a.resolvePath(all.get(i).path());
        }
        Update.Action[] actions = new Update.Action[n];
        for (int i = n - 1; i >= 0; i--) {
            actions[i] = a.toAction(all.get(i), targets[i]);
        }
        return new Update(List.of(actions));
    }

    /**
     * Paths are resolved last to first, as DynamoDB does, each compared with those after it as it
     * comes: {@code #undefined, a, a} reports the overlap, {@code a, a, #undefined} the name.
     */
    static Projection projection(List<Syntax.Path> syntax, Placeholders placeholders) {
        Analyzer a = new Analyzer(ExpressionKind.PROJECTION, placeholders);
        for (Syntax.Path p : syntax) {
            a.checkPath(p);
        }
        int n = syntax.size();
        DocumentPath[] paths = new DocumentPath[n];
        for (int i = n - 1; i >= 0; i--) {
            DocumentPath path = a.resolvePath(syntax.get(i));
            for (int k = i + 1; k < n; k++) {
                DocumentPath.Relation r = path.relationTo(paths[k]);
                if (r == DocumentPath.Relation.OVERLAP) {
                    throw Errors.pathsOverlap(a.member, path.toString(), paths[k].toString());
                }
                if (r == DocumentPath.Relation.CONFLICT) {
                    throw Errors.pathsConflict(a.member, path.toString(), paths[k].toString());
                }
            }
            paths[i] = path;
        }
        return new Projection(List.of(paths));
    }

    // --- first pass: words and functions, in written order ------------------------------------

    /** @param asCondition whether a condition stands here (else an operand) */
    private void checkCondition(Syntax s, boolean asCondition) {
        s = Parser.unwrap(s);
        if (s instanceof Syntax.And a) {
            checkCondition(a.left(), true);
            checkCondition(a.right(), true);
        } else if (s instanceof Syntax.Or o) {
            checkCondition(o.left(), true);
            checkCondition(o.right(), true);
        } else if (s instanceof Syntax.Not n) {
            checkCondition(n.operand(), true);
        } else if (s instanceof Syntax.Call call) {
            checkConditionCall(call, asCondition);
        } else if (s instanceof Syntax.Path p) {
            checkPath(p);
        } else if (!(s instanceof Syntax.ValueRef)) {
            checkOperands(s);
        }
    }

    private void checkOperands(Syntax s) {
        if (s instanceof Syntax.Comparison c) {
            checkCondition(c.left(), false);
            checkCondition(c.right(), false);
        } else if (s instanceof Syntax.Between b) {
            checkCondition(b.operand(), false);
            checkCondition(b.lower(), false);
            checkCondition(b.upper(), false);
        } else {
            Syntax.In in = (Syntax.In) s;
            checkCondition(in.operand(), false);
            for (Syntax c : in.candidates()) {
                checkCondition(c, false);
            }
        }
    }

    /** Walks down calls nested in their single operand (size(size(...))) without recursing: they may nest hundreds deep. */
    private void checkConditionCall(Syntax.Call call, boolean asCondition) {
        while (true) {
            String name = call.name();
            if (!CONDITION_FUNCTIONS.contains(name)) {
                throw UPDATE_FUNCTIONS.contains(name) ? Errors.functionNotInCondition(member, name)
                        : Errors.unknownFunction(member, name);
            }
            // size() is the one function that gives a value; the others are conditions.
            if (name.equals("size") == asCondition) {
                throw Errors.functionMisused(member, name);
            }
            if (call.args().size() == 1 && Parser.unwrap(call.args().get(0)) instanceof Syntax.Call inner) {
                call = inner;
                asCondition = false;
                continue;
            }
            for (Syntax arg : call.args()) {
                checkCondition(arg, false);
            }
            return;
        }
    }

    private void checkUpdateValue(Syntax s, boolean topLevel) {
        if (s instanceof Syntax.Paren p) {
            checkUpdateValue(p.inner(), topLevel);
        } else if (s instanceof Syntax.Arithmetic a) {
            checkUpdateValue(a.left(), false);
            checkUpdateValue(a.right(), false);
        } else if (s instanceof Syntax.Call call) {
            String name = call.name();
            if (!UPDATE_FUNCTIONS.contains(name)) {
                throw CONDITION_FUNCTIONS.contains(name) ? Errors.functionNotInUpdate(member, name)
                        : Errors.unknownFunction(member, name);
            }
            // list_append only as the whole value; if_not_exists may stand anywhere.
            if (name.equals("list_append") && !topLevel) {
                throw Errors.functionMisused(member, name);
            }
            for (Syntax arg : call.args()) {
                checkUpdateValue(arg, false);
            }
        } else if (s instanceof Syntax.Path p) {
            checkPath(p);
        }
    }

    private void checkPath(Syntax.Path p) {
        for (Token t : p.steps()) {
            if (t.is(Token.Kind.NAME) && ReservedWords.contains(t.text())) {
                throw Errors.reservedKeyword(member, t.text());
            }
            if (t.is(Token.Kind.INTEGER) && !fitsInt(t.text())) {
                throw Errors.listIndexOutOfRange(member, t.text());
            }
        }
    }

    private static boolean fitsInt(String digits) {
        return digits.length() < 10 || (digits.length() == 10 && digits.compareTo("2147483647") <= 0);
    }

    // --- operator count -----------------------------------------------------------------------

    private void checkOperatorCount(int operators) {
        if (operators > MAX_OPERATORS) {
            throw Errors.tooManyOperators(member, MAX_OPERATORS + 1);
        }
    }

    /** AND, OR, NOT, comparisons, BETWEEN, IN and condition functions count; size() does not. */
    private int countConditionOperators(Syntax s) {
        s = Parser.unwrap(s);
        if (s instanceof Syntax.And a) {
            return 1 + countConditionOperators(a.left()) + countConditionOperators(a.right());
        }
        if (s instanceof Syntax.Or o) {
            return 1 + countConditionOperators(o.left()) + countConditionOperators(o.right());
        }
        if (s instanceof Syntax.Not n) {
            return 1 + countConditionOperators(n.operand());
        }
        return 1;
    }

    private static int countArithmetic(Syntax s) {
        s = Parser.unwrap(s);
        if (s instanceof Syntax.Arithmetic a) {
            return 1 + countArithmetic(a.left()) + countArithmetic(a.right());
        }
        if (s instanceof Syntax.Call call) {
            int n = 0;
            for (Syntax arg : call.args()) {
                n += countArithmetic(arg);
            }
            return n;
        }
        return 0;
    }

    // --- paths that overlap -------------------------------------------------------------------

    /** Any overlap is reported before any conflict, each as the first pair found. */
    private void checkOverlaps(List<DocumentPath> paths) {
        DynamoException conflict = null;
        for (int j = 1; j < paths.size(); j++) {
            for (int i = 0; i < j; i++) {
                DocumentPath.Relation r = paths.get(i).relationTo(paths.get(j));
                if (r == DocumentPath.Relation.OVERLAP) {
                    throw Errors.pathsOverlap(member, paths.get(i).toString(), paths.get(j).toString());
                }
                if (r == DocumentPath.Relation.CONFLICT && conflict == null) {
                    conflict = Errors.pathsConflict(member, paths.get(i).toString(), paths.get(j).toString());
                }
            }
        }
        if (conflict != null) {
            throw conflict;
        }
    }

    /** A path with its names resolved where they are defined, for comparing before resolution. */
    private DocumentPath peekPath(Syntax.Path p) {
        List<DocumentPath.Step> steps = new ArrayList<>();
        for (Token t : p.steps()) {
            if (t.is(Token.Kind.INTEGER)) {
                steps.add(new DocumentPath.Index(Integer.parseInt(t.text())));
            } else {
                String name = t.is(Token.Kind.NAME_REF) ? placeholders.peekName(t.text()) : t.text();
                steps.add(new DocumentPath.Key(name == null ? t.text() : name));
            }
        }
        return new DocumentPath(steps);
    }

    // --- second pass: resolve and type, in written order --------------------------------------

    private Condition toCondition(Syntax syntax) {
        Syntax s = Parser.unwrap(syntax);
        if (s instanceof Syntax.And a) {
            return new Condition.And(toCondition(a.left()), toCondition(a.right()));
        }
        if (s instanceof Syntax.Or o) {
            return new Condition.Or(toCondition(o.left()), toCondition(o.right()));
        }
        if (s instanceof Syntax.Not n) {
            return new Condition.Not(toCondition(n.operand()));
        }
        if (s instanceof Syntax.Comparison c) {
            Operand left = operand(c.left());
            Operand right = operand(c.right());
            Condition.Comparator comparator = Condition.Comparator.of(c.operator());
            distinct(comparator.symbol(), left, List.of(right));
            if (comparator != Condition.Comparator.EQ && comparator != Condition.Comparator.NE) {
                requireScalar(comparator.symbol(), left);
                requireScalar(comparator.symbol(), right);
            }
            return new Condition.Comparison(comparator, left, right);
        }
        if (s instanceof Syntax.Between b) {
            Operand operand = operand(b.operand());
            Operand lower = operand(b.lower());
            Operand upper = operand(b.upper());
            distinct("BETWEEN", operand, List.of(lower, upper));
            requireScalar("BETWEEN", operand);
            requireScalar("BETWEEN", lower);
            requireScalar("BETWEEN", upper);
            if (lower instanceof Operand.Value lo && upper instanceof Operand.Value hi) {
                if (lo.value().type() != hi.value().type()) {
                    throw Errors.betweenTypes(member, Values.render(lo.value()), Values.render(hi.value()));
                }
                if (Values.compare(lo.value(), hi.value()) > 0) {
                    throw Errors.betweenBounds(member, Values.render(lo.value()), Values.render(hi.value()));
                }
            }
            return new Condition.Between(operand, lower, upper);
        }
        if (s instanceof Syntax.In in) {
            Operand operand = operand(in.operand());
            List<Operand> candidates = new ArrayList<>();
            for (Syntax c : in.candidates()) {
                candidates.add(operand(c));
            }
            if (candidates.size() > MAX_IN_OPERANDS) {
                throw Errors.tooManyInOperands(member, candidates.size());
            }
            distinct("IN", operand, candidates);
            return new Condition.In(operand, candidates);
        }
        return functionCondition((Syntax.Call) s);
    }

    private Condition functionCondition(Syntax.Call call) {
        String name = call.name();
        List<Operand> args = operands(call.args());
        boolean existence = name.equals("attribute_exists") || name.equals("attribute_not_exists");
        int expected = existence ? 1 : 2;
        if (args.size() != expected) {
            throw Errors.operandCount(member, name, args.size());
        }
        if (existence) {
            if (!(args.get(0) instanceof Operand.Path p)) {
                throw Errors.documentPathRequired(member, name);
            }
            return new Condition.AttributeExists(p.path(), name.equals("attribute_exists"));
        }
        distinct(name, args.get(0), List.of(args.get(1)));
        switch (name) {
            case "attribute_type" -> {
                String type = staticType(args.get(1));
                if (!"S".equals(type)) {
                    throw Errors.operandType(member, name, type == null ? ANY_TYPE : type);
                }
                String typeName = ((Operand.Value) args.get(1)).value().s();
                if (!TYPE_NAMES.contains(typeName)) {
                    throw Errors.attributeTypeName(member, typeName);
                }
                return new Condition.AttributeType(args.get(0), args.get(1));
            }
            case "begins_with" -> {
                for (Operand arg : args) {
                    String type = staticType(arg);
                    if (type != null && !type.equals("S") && !type.equals("B")) {
                        throw Errors.operandType(member, name, type);
                    }
                }
                return new Condition.BeginsWith(args.get(0), args.get(1));
            }
            default -> {
                return new Condition.Contains(args.get(0), args.get(1));
            }
        }
    }

    private List<Operand> operands(List<Syntax> syntax) {
        List<Operand> out = new ArrayList<>(syntax.size());
        for (Syntax s : syntax) {
            out.add(operand(s));
        }
        return out;
    }

    /** An operand of a condition: a path, a value or size(). */
    private Operand operand(Syntax syntax) {
        Syntax s = Parser.unwrap(syntax);
        if (s instanceof Syntax.Path p) {
            return new Operand.Path(resolvePath(p));
        }
        if (s instanceof Syntax.ValueRef v) {
            return new Operand.Value(resolveValue(v.token()));
        }
        // size() calls, walked down without recursing as they may nest hundreds deep, then typed
        // from the inside out: size(size(a)) is the size of a number.
        List<Syntax.Call> sizes = new ArrayList<>();
        while (s instanceof Syntax.Call call && call.args().size() == 1) {
            sizes.add(call);
            s = Parser.unwrap(call.args().get(0));
        }
        if (s instanceof Syntax.Call wrongCount) {
            throw Errors.operandCount(member, "size", operands(wrongCount.args()).size());
        }
        Operand result = operand(s);
        for (int i = sizes.size() - 1; i >= 0; i--) {
            String type = staticType(result);
            if ("N".equals(type) || "BOOL".equals(type) || "NULL".equals(type)) {
                throw Errors.operandType(member, "size", type);
            }
            result = new Operand.Size(result);
        }
        return result;
    }

    private Update.Action toAction(Syntax.Action action, DocumentPath path) {
        switch (action.clause()) {
            case "SET" -> {
                return new Update.Set(path, updateOperand(action.value()));
            }
            case "REMOVE" -> {
                return new Update.Remove(path);
            }
            case "ADD" -> {
                AttributeValue v = resolveValue(((Syntax.ValueRef) action.value()).token());
                if (v.type() != AttributeValue.Type.N && !Values.isSet(v.type())) {
                    throw Errors.updateOperandType(member, "ADD", v.type().longName());
                }
                return new Update.Add(path, v);
            }
            default -> {
                AttributeValue v = resolveValue(((Syntax.ValueRef) action.value()).token());
                if (!Values.isSet(v.type())) {
                    throw Errors.updateOperandType(member, "DELETE", v.type().longName());
                }
                return new Update.Delete(path, v);
            }
        }
    }

    /** An operand of a SET value: a path, a value, if_not_exists, list_append, {@code +} or {@code -}. */
    private Operand updateOperand(Syntax syntax) {
        Syntax s = Parser.unwrap(syntax);
        if (s instanceof Syntax.Path p) {
            return new Operand.Path(resolvePath(p));
        }
        if (s instanceof Syntax.ValueRef v) {
            return new Operand.Value(resolveValue(v.token()));
        }
        if (s instanceof Syntax.Arithmetic a) {
            Operand left = updateOperand(a.left());
            Operand right = updateOperand(a.right());
            for (Operand o : List.of(left, right)) {
                String type = staticType(o);
                if (type != null && !type.equals("N")) {
                    throw Errors.operandType(member, a.operator().text(), type);
                }
            }
            return new Operand.Arithmetic(a.operator().is(Token.Kind.PLUS), left, right);
        }
        Syntax.Call call = (Syntax.Call) s;
        String name = call.name();
        List<Operand> args = new ArrayList<>();
        for (Syntax arg : call.args()) {
            args.add(updateOperand(arg));
        }
        if (args.size() != 2) {
            throw Errors.operandCount(member, name, args.size());
        }
        if (name.equals("if_not_exists")) {
            if (!(args.get(0) instanceof Operand.Path p)) {
                throw Errors.documentPathRequired(member, name);
            }
            return new Operand.IfNotExists(p.path(), args.get(1));
        }
        for (Operand o : args) {
            String type = staticType(o);
            if (type != null && !type.equals("L")) {
                throw Errors.operandType(member, name, type);
            }
        }
        return new Operand.ListAppend(args.get(0), args.get(1));
    }

    // --- placeholders and types ---------------------------------------------------------------

    DocumentPath resolvePath(Syntax.Path p) {
        if (p.steps().size() > DocumentPath.MAX_DEPTH) {
            throw Errors.nestingTooDeep(member, p.steps().size());
        }
        List<DocumentPath.Step> steps = new ArrayList<>(p.steps().size());
        for (Token t : p.steps()) {
            if (t.is(Token.Kind.INTEGER)) {
                steps.add(new DocumentPath.Index(Integer.parseInt(t.text())));
            } else if (t.is(Token.Kind.NAME_REF)) {
                String name = placeholders.name(t.text());
                if (name == null) {
                    throw Errors.undefinedName(member, t.text());
                }
                steps.add(new DocumentPath.Key(name));
            } else {
                steps.add(new DocumentPath.Key(t.text()));
            }
        }
        return new DocumentPath(steps);
    }

    private AttributeValue resolveValue(Token t) {
        AttributeValue v = placeholders.value(t.text());
        if (v == null) {
            throw Errors.undefinedValue(member, t.text());
        }
        return v;
    }

    /** The type an operand has whatever the item: a value's, N for size(), unknown (null) for the rest. */
    private static String staticType(Operand o) {
        if (o instanceof Operand.Value v) {
            return v.value().type().name();
        }
        return o instanceof Operand.Size ? "N" : null;
    }

    private void requireScalar(String operator, Operand o) {
        String type = staticType(o);
        if (type != null && !type.equals("S") && !type.equals("N") && !type.equals("B")) {
            throw Errors.operandType(member, operator, type);
        }
    }

    /** The first operand may not be the very path any other operand is. */
    private void distinct(String operator, Operand first, List<Operand> others) {
        if (!(first instanceof Operand.Path p)) {
            return;
        }
        for (Operand o : others) {
            if (o instanceof Operand.Path q && q.path().equals(p.path())) {
                throw Errors.operandsNotDistinct(member, operator, p.path().toString());
            }
        }
    }
}

package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.PartiqlErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a SELECT returns of each item: everything ({@code *}) or the listed paths. DynamoDB reads
 * the paths as a ProjectionExpression and returns each value flat, under its last name with the
 * list indexes after it: {@code SELECT a.b, c[1]} gives {@code {"b": .., "c[1]": ..}}.
 */
public final class SelectList {
    static final SelectList ALL = new SelectList(List.of(), List.of());

    private final List<Expr.Path> paths;
    private final List<String> names;

    private SelectList(List<Expr.Path> paths, List<String> names) {
        this.paths = paths;
        this.names = names;
    }

    static SelectList of(Statement.Select select) {
        if (select.value()) {
            throw PartiqlErrors.valueOrPivot();
        }
        if (select.distinct()) {
            throw PartiqlErrors.unsupportedToken("DISTINCT", "");
        }
        if (select.projection().isEmpty()) {
            return ALL;
        }
        List<Expr.Path> paths = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Statement.Projected p : select.projection()) {
            if (p.aliased()) {
                throw PartiqlErrors.aliasing();
            }
            if (!(p.expr() instanceof Expr.Path path)) {
                throw PartiqlErrors.unexpectedPathComponent(p.expr().position().at());
            }
            String name = name(path);
            if (!seen.add(name)) {
                throw PartiqlErrors.duplicateSelectName(name);
            }
            paths.add(path);
            names.add(name);
        }
        return new SelectList(paths, names);
    }

    /** The last name of the path and the indexes after it; a parameter or {@code .*} is refused. */
    private static String name(Expr.Path path) {
        String name = null;
        StringBuilder indexes = new StringBuilder();
        for (Expr.Step step : path.steps()) {
            if (step instanceof Expr.Step.Name n) {
                name = n.name();
                indexes.setLength(0);
            } else if (step instanceof Expr.Step.Index i) {
                indexes.append('[').append(i.index()).append(']');
            } else if (step instanceof Expr.Step.Unpivot) {
                throw PartiqlErrors.hierarchyChange();
            } else {
                throw PartiqlErrors.unexpectedPathComponent(step.position().at());
            }
        }
        return name + indexes;
    }

    public boolean isAll() {
        return paths.isEmpty();
    }

    /** The ProjectionExpression, or null for {@code *}. */
    String projection(ExpressionBuilder expressions) {
        if (paths.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Expr.Path p : paths) {
            parts.add(expressions.path(p));
        }
        return String.join(", ", parts);
    }

    /** An item as the SELECT returns it, from the item the projection left (DynamoDB JSON). */
    public JsonNode shape(JsonNode item) {
        if (paths.isEmpty() || paths.stream().allMatch(Expr.Path::isTopLevel)) {
            return item;
        }
        Map<String, TreeSet<Integer>> chosen = chosenIndexes();
        ObjectNode out = JsonValues.JSON.createObjectNode();
        for (int i = 0; i < paths.size(); i++) {
            JsonNode v = at(item, paths.get(i), chosen);
            if (v != null) {
                out.set(names.get(i), v);
            }
        }
        return out;
    }

    /**
     * The indexes the paths choose from each list. A projection returns a list as the chosen
     * elements alone, in index order, so {@code l[3]} is found at its rank among the chosen.
     */
    private Map<String, TreeSet<Integer>> chosenIndexes() {
        Map<String, TreeSet<Integer>> chosen = new HashMap<>();
        for (Expr.Path p : paths) {
            StringBuilder prefix = new StringBuilder();
            for (Expr.Step step : p.steps()) {
                if (step instanceof Expr.Step.Index i) {
                    chosen.computeIfAbsent(prefix.toString(), k -> new TreeSet<>()).add(i.index());
                }
                prefix.append(key(step));
            }
        }
        return chosen;
    }

    private static String key(Expr.Step step) {
        return step instanceof Expr.Step.Name n ? "." + n.name().replace("\\", "\\\\").replace(".", "\\.")
                : "[" + ((Expr.Step.Index) step).index() + "]";
    }

    private static JsonNode at(JsonNode item, Expr.Path path, Map<String, TreeSet<Integer>> chosen) {
        JsonNode v = item;
        StringBuilder prefix = new StringBuilder();
        for (Expr.Step step : path.steps()) {
            if (step instanceof Expr.Step.Name n) {
                JsonNode map = prefix.length() == 0 ? v : v.get("M");
                v = map == null ? null : map.get(n.name());
            } else {
                int index = ((Expr.Step.Index) step).index();
                JsonNode list = v.get("L");
                v = list == null ? null : list.get(chosen.get(prefix.toString()).headSet(index).size());
            }
            if (v == null) {
                return null;
            }
            prefix.append(key(step));
        }
        return v;
    }
}

package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ProjectionExpression: the document paths to return of an item (Developer Guide, "Projection
 * expressions"). Nested paths come back nested ({@code a.b} as {@code {a: {b: ...}}}); list
 * elements come back as a list of the chosen elements in index order, so {@code l[2], l[0]} gives
 * a two-element list. Paths that reach nothing are left out.
 */
public final class Projection {
    private final List<DocumentPath> paths;

    public Projection(List<DocumentPath> paths) {
        this.paths = List.copyOf(paths);
    }

    public List<DocumentPath> paths() {
        return paths;
    }

    /** The parts of {@code item} the paths reach; empty when none does. */
    public Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
        return project(item, paths);
    }

    /** Also how UPDATED_OLD and UPDATED_NEW pick the updated parts of an item. */
    public static Map<String, AttributeValue> project(Map<String, AttributeValue> item, List<DocumentPath> paths) {
        // A tree of what is chosen: maps by key, lists by original index (TreeMap) until rendered.
        Map<String, Object> root = new LinkedHashMap<>();
        for (DocumentPath path : paths) {
            AttributeValue v = path.find(item);
            if (v != null) {
                place(root, path.steps(), 0, v);
            }
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            out.put(e.getKey(), render(e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void place(Object node, List<DocumentPath.Step> steps, int at, AttributeValue value) {
        DocumentPath.Step step = steps.get(at);
        Object key = step instanceof DocumentPath.Key k ? k.name() : (Object) ((DocumentPath.Index) step).index();
        Map<Object, Object> children = (Map<Object, Object>) node;
        if (at == steps.size() - 1) {
            children.put(key, value);
            return;
        }
        boolean nextIsIndex = steps.get(at + 1) instanceof DocumentPath.Index;
        Object child = children.computeIfAbsent(key, k -> nextIsIndex ? new TreeMap<Integer, Object>()
                : new LinkedHashMap<String, Object>());
        place(child, steps, at + 1, value);
    }

    @SuppressWarnings("unchecked")
    private static AttributeValue render(Object node) {
        if (node instanceof AttributeValue v) {
            return v;
        }
        if (node instanceof TreeMap) {
            List<AttributeValue> list = new ArrayList<>();
            for (Object element : ((TreeMap<Integer, Object>) node).values()) {
                list.add(render(element));
            }
            return AttributeValue.l(list);
        }
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
            map.put(e.getKey(), render(e.getValue()));
        }
        return AttributeValue.m(map);
    }
}

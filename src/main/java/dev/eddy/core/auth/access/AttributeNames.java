package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.expression.PathHeads;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What {@code dynamodb:Attributes} holds for a request: the top-level attributes its expressions
 * and legacy parameters name, {@code #placeholders} resolved through ExpressionAttributeNames.
 */
final class AttributeNames {
    private AttributeNames() {
    }

    /** Heads of the named expression members. */
    static Set<String> inExpressions(JsonNode request, String... members) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode names = request.get("ExpressionAttributeNames");
        for (String member : members) {
            for (String head : PathHeads.of(Facts.text(request, member))) {
                if (head.startsWith("#")) {
                    String resolved = names != null && names.isObject() ? Facts.text(names, head) : null;
                    out.add(resolved != null ? resolved : head);
                } else {
                    out.add(head);
                }
            }
        }
        return out;
    }

    /** The attribute names keyed in legacy map parameters (Expected, AttributeUpdates, QueryFilter, ...). */
    static Set<String> inLegacyMaps(JsonNode request, String... members) {
        Set<String> out = new LinkedHashSet<>();
        for (String member : members) {
            out.addAll(Facts.names(request.get(member)));
        }
        return out;
    }

    /**
     * What a read returns: the projection's attributes, or {@link ConditionKeys#ALL_ATTRIBUTES}
     * when it names none (every attribute comes back).
     */
    static Set<String> returned(JsonNode request) {
        Set<String> out = inExpressions(request, "ProjectionExpression");
        out.addAll(Facts.strings(request.get("AttributesToGet")));
        if (out.isEmpty()) {
            out.add(ConditionKeys.ALL_ATTRIBUTES);
        }
        return out;
    }
}

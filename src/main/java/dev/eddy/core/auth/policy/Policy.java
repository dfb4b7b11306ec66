package dev.eddy.core.auth.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An IAM identity policy document ({@code Version}, {@code Statement}: one or a list, each with
 * {@code Effect}, {@code Action} or {@code NotAction}, {@code Resource} or {@code NotResource}, and an
 * optional {@code Condition}), evaluated as IAM evaluates one: an explicit Deny wins, then any Allow,
 * and a request no statement allows is denied.
 */
public final class Policy {
    private final List<Statement> statements;
    /** Policy variables exist from Version 2012-10-17 on; older documents take "${" literally. */
    private final boolean variables;

    private Policy(List<Statement> statements, boolean variables) {
        this.statements = List.copyOf(statements);
        this.variables = variables;
    }

    public List<Statement> statements() {
        return statements;
    }

    public Decision evaluate(AccessRequest request, PolicyVariables callerVariables) {
        PolicyVariables v = variables ? callerVariables : PolicyVariables.NONE;
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.appliesTo(request, v)) {
                if (!s.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /** Reads a policy document; a malformed one is refused with what is wrong, never half-read. */
    public static Policy parse(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("a policy must be a JSON object");
        }
        String version = document.path("Version").asText("2008-10-17");
        if (!version.equals("2012-10-17") && !version.equals("2008-10-17")) {
            throw new IllegalArgumentException("unknown policy Version " + version);
        }
        JsonNode statementNode = document.get("Statement");
        if (statementNode == null) {
            throw new IllegalArgumentException("a policy needs a Statement");
        }
        List<Statement> statements = new ArrayList<>();
        if (statementNode.isArray()) {
            for (JsonNode s : statementNode) {
                statements.add(statement(s));
            }
        } else {
            statements.add(statement(statementNode));
        }
        return new Policy(statements, version.equals("2012-10-17"));
    }

    private static Statement statement(JsonNode s) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("a Statement must be an object");
        }
        String sid = s.path("Sid").asText(null);
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException("Effect must be Allow or Deny, not '" + effect + "'");
        }
        if (s.has("Principal") || s.has("NotPrincipal")) {
            throw new IllegalArgumentException("an identity policy has no Principal");
        }
        List<String> actions = strings(s, "Action");
        List<String> notActions = strings(s, "NotAction");
        if ((actions == null) == (notActions == null)) {
            throw new IllegalArgumentException("a Statement needs exactly one of Action and NotAction");
        }
        List<String> resources = strings(s, "Resource");
        List<String> notResources = strings(s, "NotResource");
        if ((resources == null) == (notResources == null)) {
            throw new IllegalArgumentException("a Statement needs exactly one of Resource and NotResource");
        }
        return new Statement(sid, effect.equals("Allow"), actions, notActions, resources, notResources,
                conditions(s.get("Condition")));
    }

    private static List<Condition> conditions(JsonNode block) {
        List<Condition> out = new ArrayList<>();
        if (block == null) {
            return out;
        }
        if (!block.isObject()) {
            throw new IllegalArgumentException("a Condition must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            Condition.Qualifier qualifier = Condition.Qualifier.NONE;
            if (name.startsWith("ForAllValues:")) {
                qualifier = Condition.Qualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            } else if (name.startsWith("ForAnyValue:")) {
                qualifier = Condition.Qualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            }
            boolean ifExists = name.endsWith("IfExists");
            if (ifExists) {
                name = name.substring(0, name.length() - "IfExists".length());
            }
            ConditionOperator operator = ConditionOperator.named(name);
            if (operator == null) {
                throw new IllegalArgumentException("unsupported condition operator " + e.getKey());
            }
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException(e.getKey() + " must map condition keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = e.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> k = keys.next();
                out.add(new Condition(operator, qualifier, ifExists, k.getKey(), values(k.getValue(), k.getKey())));
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode s, String member) {
        JsonNode n = s.get(member);
        return n == null ? null : values(n, member);
    }

    /** A string, or a list of strings (IAM also takes numbers and booleans as condition values). */
    private static List<String> values(JsonNode n, String member) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode v : n) {
                out.add(scalar(v, member));
            }
        } else {
            out.add(scalar(n, member));
        }
        return out;
    }

    private static String scalar(JsonNode v, String member) {
        if (!v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException(member + " must be a string or a list of strings");
        }
        return v.asText();
    }
}

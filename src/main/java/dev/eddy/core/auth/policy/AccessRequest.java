package dev.eddy.core.auth.policy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing a request does, as IAM evaluates it: an action ({@code dynamodb:PutItem}) on a resource
 * (a table, index or stream ARN, or {@code *}) with the request's condition keys. A request may do
 * several (a batch writes to every table it names); it is allowed only if each one is.
 *
 * @param context condition keys to their values; a key a request does not have is absent (not empty)
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> context) {
    public AccessRequest {
        TreeMap<String, List<String>> keys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        keys.putAll(context);
        context = keys; // IAM condition keys are case-insensitive
    }

    /** The key's values, or null when the request does not have it. */
    public List<String> values(String key) {
        return context.get(key);
    }
}

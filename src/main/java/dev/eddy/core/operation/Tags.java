package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * DynamoDB's tag rules (Developer Guide, "Tagging restrictions"; texts as the service answers): at
 * most 50 tags on a table, keys of 1 to 128 and values of 0 to 256 Unicode characters, letters,
 * digits and whitespace of any script plus {@code + - = . _ : / @}, and no key starting with the
 * reserved {@code aws:}. A call with one bad tag changes nothing. CreateTable, TagResource and
 * UntagResource check them the same way.
 */
final class Tags {
    static final int MAX_TAGS = 50;
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;
    /** The AWS tag character set, which DynamoDB applies to keys and values alike. */
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private Tags() {
    }

    /** A Tags member as sent (a key or value may be null when missing), in request order. */
    record Tag(String key, String value) {
    }

    static List<Tag> read(JsonNode list) {
        List<Tag> tags = new ArrayList<>();
        if (list == null) {
            return tags;
        }
        for (JsonNode node : list) {
            if (!node.isObject()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(node, "a structure"));
            }
            tags.add(new Tag(Request.string(node, "Key"), Request.string(node, "Value")));
        }
        return tags;
    }

    /** The tags checked one by one, in request order; duplicate keys are refused. */
    static Map<String, String> check(List<Tag> tags) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Tag t : tags) {
            checkKey(t.key());
            if (t.value() == null || t.value().codePointCount(0, t.value().length()) > MAX_VALUE
                    || !ALLOWED.matcher(t.value()).matches()) {
                throw Errors.invalidTagValue(t.value());
            }
            if (checked.put(t.key(), t.value()) != null) {
                throw Errors.duplicateTagKey(t.key());
            }
        }
        return checked;
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.codePointCount(0, key.length()) > MAX_KEY
                || !ALLOWED.matcher(key).matches()) {
            throw Errors.invalidTagKey(key);
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw Errors.reservedTagKey(key);
        }
    }

    /** The table's tags after adding {@code added} (a key already there takes the new value). */
    static Map<String, String> merged(Map<String, String> current, Map<String, String> added) {
        Map<String, String> next = new LinkedHashMap<>(current == null ? Map.of() : current);
        next.putAll(added);
        if (next.size() > MAX_TAGS) {
            throw Errors.tooManyTags();
        }
        return next;
    }
}

package dev.eddy.triggers.examples;

import dev.eddy.triggers.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;

/** Stream record values (the record model) as the AWS SDK's attribute values, to write them back. */
final class AttributeValues {

    private AttributeValues() {
    }

    static software.amazon.awssdk.services.dynamodb.model.AttributeValue toSdk(AttributeValue v) {
        var b = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
        if (v.s() != null) {
            b.s(v.s());
        } else if (v.n() != null) {
            b.n(v.n());
        } else if (v.b() != null) {
            b.b(SdkBytes.fromByteArray(v.b()));
        } else if (v.ss() != null) {
            b.ss(v.ss());
        } else if (v.ns() != null) {
            b.ns(v.ns());
        } else if (v.bs() != null) {
            b.bs(v.bs().stream().map(SdkBytes::fromByteArray).toList());
        } else if (v.m() != null) {
            b.m(toSdk(v.m()));
        } else if (v.l() != null) {
            b.l(v.l().stream().map(AttributeValues::toSdk).toList());
        } else if (v.bool() != null) {
            b.bool(v.bool());
        } else {
            b.nul(true);
        }
        return b.build();
    }

    static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> toSdk(Map<String, AttributeValue> item) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, toSdk(value)));
        return out;
    }

    /** {@code name=value, ...} in attribute name order: a key as people read it, the same for every record of an item. */
    static String describe(Map<String, AttributeValue> key) {
        return new TreeMap<>(key).entrySet().stream()
                .map(e -> e.getKey() + "=" + scalar(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String scalar(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            return v.n();
        }
        return v.b() == null ? String.valueOf(v) : java.util.Base64.getEncoder().encodeToString(v.b());
    }

    /** Names of the attributes that differ between two images (added, removed or changed). */
    static List<String> changedAttributes(Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        Map<String, AttributeValue> before = oldImage == null ? Map.of() : oldImage;
        Map<String, AttributeValue> after = newImage == null ? Map.of() : newImage;
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        return names.stream()
                .filter(n -> !sameValue(before.get(n), after.get(n)))
                .toList();
    }

    private static boolean sameValue(AttributeValue a, AttributeValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        return toSdk(a).equals(toSdk(b)); // the SDK's values compare by content, binary included
    }
}

package dev.eddy.core.expression;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.Numbers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short ways to write items, values and placeholders in the expression tests. */
final class Fixtures {
    private Fixtures() {
    }

    static AttributeValue s(String s) {
        return AttributeValue.s(s);
    }

    static AttributeValue n(String n) {
        return AttributeValue.n(Numbers.canonical(n));
    }

    static AttributeValue n(long n) {
        return AttributeValue.n(Long.toString(n));
    }

    static AttributeValue b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return AttributeValue.b(out);
    }

    static AttributeValue l(AttributeValue... elements) {
        return AttributeValue.l(List.of(elements));
    }

    static AttributeValue ss(String... members) {
        return AttributeValue.ss(List.of(members));
    }

    static AttributeValue ns(String... members) {
        return AttributeValue.ns(java.util.Arrays.stream(members).map(Numbers::canonical).toList());
    }

    /** A map or an item from alternating names and values. */
    static Map<String, AttributeValue> item(Object... pairs) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
        }
        return m;
    }

    static AttributeValue m(Object... pairs) {
        return AttributeValue.m(item(pairs));
    }

    static Map<String, AttributeValue> values(Object... pairs) {
        return item(pairs);
    }

    static Map<String, String> names(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static Placeholders placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        return Placeholders.of(names, values);
    }

    /** The ValidationException a call must end in, with exactly this message. */
    static void assertValidation(String message, Executable call) {
        DynamoException e = assertThrows(DynamoException.class, call);
        assertEquals("ValidationException", e.type(), "type of " + e.getMessage());
        assertEquals(message, e.getMessage());
    }
}

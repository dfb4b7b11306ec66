package dev.eddy.core.index;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import dev.eddy.core.model.Numbers;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index entry encoding orders bytes exactly as DynamoDB orders key values. */
class IndexEntryKeyTest {
    private final Random random = new Random(20261122);

    private static byte[] enc(AttributeValue v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexEntryKey.encode(v, out);
        return out.toByteArray();
    }

    private void assertSameOrder(Supplier<AttributeValue> values) {
        List<AttributeValue> list = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            list.add(values.get());
        }
        for (int i = 0; i + 1 < list.size(); i++) {
            AttributeValue a = list.get(i);
            AttributeValue b = list.get(i + 1);
            int expected = Integer.signum(KeyOrder.INSTANCE.compare(a, b));
            int actual = Integer.signum(Arrays.compareUnsigned(enc(a), enc(b)));
            assertEquals(expected, actual, a + " vs " + b);
            // The bound above a value separates it from every greater value.
            if (expected < 0) {
                assertTrue(Arrays.compareUnsigned(IndexEntryKey.bound(a, true).b(), enc(b)) < 0, a + " bound vs " + b);
            }
        }
    }

    @Test
    void numbersInNumericOrder() {
        String[] samples = {"0", "1", "-1", "10", "9", "-10", "-9", "1.5", "-1.5", "0.001", "-0.001", "1E+125",
            "-1E+125", "1E-130", "-1E-130", "99999999999999999999999999999999999999", "100", "123.456"};
        for (String a : samples) {
            for (String b : samples) {
                int expected = Integer.signum(new BigDecimal(a).compareTo(new BigDecimal(b)));
                int actual = Integer.signum(Arrays.compareUnsigned(enc(AttributeValue.n(Numbers.canonical(a))),
                        enc(AttributeValue.n(Numbers.canonical(b)))));
                assertEquals(expected, actual, a + " vs " + b);
            }
        }
        assertSameOrder(() -> AttributeValue.n(Numbers.canonical(
                new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(40) - 20).toPlainString())));
    }

    @Test
    void stringsAndBinariesByUnsignedBytes() {
        assertSameOrder(() -> AttributeValue.s(new String(randomBytes(), StandardCharsets.ISO_8859_1)
                .replace('\u00ff', '\u0000')));
        assertSameOrder(() -> AttributeValue.b(randomBytes()));
    }

    @Test
    void compositeKeysOrderByIndexKeyThenTableKey() {
        // "a" with any table key sorts before "a\0" and "ab", whatever the table key's bytes.
        byte[] a = concat(enc(AttributeValue.s("a")), enc(AttributeValue.b(new byte[] {(byte) 0xFF, (byte) 0xFF})));
        byte[] aZero = concat(enc(AttributeValue.s("a\u0000")), enc(AttributeValue.b(new byte[] {0})));
        byte[] ab = concat(enc(AttributeValue.s("ab")), enc(AttributeValue.b(new byte[] {0})));
        assertTrue(Arrays.compareUnsigned(a, aZero) < 0);
        assertTrue(Arrays.compareUnsigned(aZero, ab) < 0);
        assertTrue(Arrays.compareUnsigned(a, IndexEntryKey.bound(AttributeValue.s("a"), true).b()) < 0);
        assertTrue(Arrays.compareUnsigned(IndexEntryKey.bound(AttributeValue.s("a"), false).b(), a) < 0);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[random.nextInt(4)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (random.nextInt(4) == 0 ? 0 : random.nextInt(256));
        }
        return b;
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}

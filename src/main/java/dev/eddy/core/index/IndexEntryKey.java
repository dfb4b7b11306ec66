package dev.eddy.core.index;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Where an item sits in a global secondary index: the collection of its index partition key, and
 * within it a binary sort key that orders entries by the index sort key, then by the table's key
 * (many items may share index keys; the table key tells them apart and keeps the order stable).
 *
 * <p>The binary key is an order-preserving encoding: comparing two encodings byte by byte gives the
 * order {@link dev.eddy.core.model.KeyOrder} gives the values (strings and binaries by unsigned
 * bytes, numbers numerically). Each encoded value starts with a type byte below 0xFF and no
 * encoding is a prefix of another, so {@code encode(v) + 0xFF} lies above every entry whose index
 * sort key is {@code v} and below every entry with a greater one.
 */
public final class IndexEntryKey {
    private static final int STRING = 0x10;
    private static final int NUMBER = 0x20;
    private static final int BINARY = 0x30;
    private static final int NEGATIVE = 0x01;
    private static final int ZERO = 0x02;
    private static final int POSITIVE = 0x03;
    private static final int EXPONENT_BIAS = 1000;

    private IndexEntryKey() {
    }

    /** The item's key in the index, or null when the item lacks an index key attribute (sparse index). */
    public static PrimaryKey of(TableDefinition t, IndexDefinition index, Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        AttributeValue hash = item.get(index.hashKey());
        AttributeValue range = index.rangeKey() == null ? null : item.get(index.rangeKey());
        if (hash == null || (index.rangeKey() != null && range == null)) {
            return null;
        }
        return new PrimaryKey(hash, sortKey(t, range, item.get(t.hashKey()), item.get(t.rangeKey())));
    }

    /** The entry sort key from the index sort key value (null when the index has none) and the table key. */
    public static AttributeValue sortKey(TableDefinition t, AttributeValue indexRange, AttributeValue tableHash,
                                         AttributeValue tableRange) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        if (indexRange != null) {
            encode(indexRange, out);
        }
        encode(tableHash, out);
        if (t.rangeKey() != null) {
            encode(tableRange, out);
        }
        return AttributeValue.b(out.toByteArray());
    }

    /**
     * A bound for walking an index collection by index sort key value: below every entry with that
     * value, or ({@code above}) above all of them.
     */
    public static AttributeValue bound(AttributeValue indexRange, boolean above) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        encode(indexRange, out);
        if (above) {
            out.write(0xFF);
        }
        return AttributeValue.b(out.toByteArray());
    }

    static void encode(AttributeValue v, ByteArrayOutputStream out) {
        switch (v.type()) {
            case S -> {
                out.write(STRING);
                escaped(ItemSize.utf8(v.s()), out);
            }
            case B -> {
                out.write(BINARY);
                escaped(v.b(), out);
            }
            case N -> {
                out.write(NUMBER);
                number(new BigDecimal(v.n()), out);
            }
            default -> throw new IllegalArgumentException("not a key type: " + v.type());
        }
    }

    /** Bytes with 0x00 written as 0x00 0xFF, ended by 0x00 0x01: order kept, no prefix of another. */
    private static void escaped(byte[] bytes, ByteArrayOutputStream out) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        out.write(0);
        out.write(1);
    }

    /**
     * Sign, then for a positive number its decimal exponent (two bytes, biased) and its digits
     * (each plus one, ended by zero): a larger exponent or, at equal exponents, larger digits mean
     * a larger number. A negative number is its magnitude's encoding with every byte inverted.
     */
    private static void number(BigDecimal d, ByteArrayOutputStream out) {
        int sign = d.signum();
        if (sign == 0) {
            out.write(ZERO);
            return;
        }
        BigDecimal magnitude = d.abs().stripTrailingZeros();
        String digits = magnitude.unscaledValue().toString();
        int exponent = magnitude.precision() - magnitude.scale() + EXPONENT_BIAS;
        byte[] body = new byte[2 + digits.length() + 1];
        body[0] = (byte) (exponent >>> 8);
        body[1] = (byte) exponent;
        for (int i = 0; i < digits.length(); i++) {
            body[2 + i] = (byte) (digits.charAt(i) - '0' + 1);
        }
        if (sign < 0) {
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) ~body[i];
            }
        }
        out.write(sign < 0 ? NEGATIVE : POSITIVE);
        out.write(body, 0, body.length);
    }

}

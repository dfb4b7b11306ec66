package dev.eddy.core.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order DynamoDB keeps sort keys in (Developer Guide, "Query"): strings by their UTF-8 bytes,
 * numbers by numeric value, binary by unsigned bytes. Java's String order compares UTF-16 units,
 * which differs for characters beyond the Basic Multilingual Plane, so strings compare as bytes.
 */
public final class KeyOrder implements Comparator<AttributeValue> {
    public static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(AttributeValue a, AttributeValue b) {
        return switch (a.type()) {
            case S -> compareUtf8(a.s(), b.s());
            case N -> new BigDecimal(a.n()).compareTo(new BigDecimal(b.n()));
            case B -> Arrays.compareUnsigned(a.b(), b.b());
            default -> throw new IllegalArgumentException("not a key type: " + a.type());
        };
    }

    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // Surrogates (D800-DFFF) encode code points above FFFF, which sort after every BMP
                // character in UTF-8; in UTF-16 they sort before E000-FFFF.
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    return xs ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

}

package dev.eddy.core.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Item size as DynamoDB counts it for the 400 KB limit and for capacity units
 * (Developer Guide, "Item sizes and formats"): names and strings by UTF-8 length, numbers about one
 * byte per two significant digits plus one, binary by length, BOOL and NULL one byte, each list or
 * map three bytes plus one per element.
 */
public final class ItemSize {
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    public static long of(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8Length(v.s());
            case N -> numberSize(v.n());
            case B -> v.b().length;
            case BOOL, NULL -> 1;
            case SS -> {
                long s = 0;
                for (String m : v.ss()) {
                    s += utf8Length(m);
                }
                yield s;
            }
            case NS -> {
                long s = 0;
                for (String m : v.ns()) {
                    s += numberSize(m);
                }
                yield s;
            }
            case BS -> {
                long s = 0;
                for (byte[] m : v.bs()) {
                    s += m.length;
                }
                yield s;
            }
            case L -> {
                List<AttributeValue> l = v.l();
                long s = 3 + l.size();
                for (AttributeValue m : l) {
                    s += of(m);
                }
                yield s;
            }
            case M -> {
                Map<String, AttributeValue> m = v.m();
                long s = 3 + m.size();
                for (Map.Entry<String, AttributeValue> e : m.entrySet()) {
                    s += utf8Length(e.getKey()) + of(e.getValue());
                }
                yield s;
            }
        };
    }

    /**
     * How deep documents nest in the item: a top-level value is at level 0, each map or list value
     * one level below its parent. DynamoDB supports 32 levels.
     */
    public static int nesting(Map<String, AttributeValue> item) {
        int deepest = 0;
        for (AttributeValue v : item.values()) {
            deepest = Math.max(deepest, nesting(v, 0));
        }
        return deepest;
    }

    private static int nesting(AttributeValue v, int level) {
        int deepest = level;
        if (v.type() == AttributeValue.Type.M) {
            for (AttributeValue m : v.m().values()) {
                deepest = Math.max(deepest, nesting(m, level + 1));
            }
        } else if (v.type() == AttributeValue.Type.L) {
            for (AttributeValue m : v.l()) {
                deepest = Math.max(deepest, nesting(m, level + 1));
            }
        }
        return deepest;
    }

    static long numberSize(String canonical) {
        return (Numbers.significantDigits(canonical) + 1) / 2 + 1;
    }

    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // four bytes for the pair of two chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

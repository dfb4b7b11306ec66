package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import java.util.Arrays;
import java.util.List;

/**
 * How conditions compare and inspect attribute values (Developer Guide, "Comparison operator and
 * function reference"): ordering only between two strings (by UTF-8 bytes), two numbers or two
 * binaries; anything else compared with {@code <} is simply false, never an error.
 */
final class Values {
    private Values() {
    }

    /** Whether {@code <}, {@code <=}, BETWEEN... can order these two values. */
    static boolean orderable(AttributeValue a, AttributeValue b) {
        return a != null && b != null && a.type() == b.type() && isScalarKeyType(a.type());
    }

    static boolean isScalarKeyType(AttributeValue.Type t) {
        return t == AttributeValue.Type.S || t == AttributeValue.Type.N || t == AttributeValue.Type.B;
    }

    static int compare(AttributeValue a, AttributeValue b) {
        return KeyOrder.INSTANCE.compare(a, b);
    }

    /** begins_with: a string prefix of a string, or a byte prefix of a binary. */
    static boolean beginsWith(AttributeValue v, AttributeValue prefix) {
        if (v == null || prefix == null || v.type() != prefix.type()) {
            return false;
        }
        if (v.type() == AttributeValue.Type.S) {
            return v.s().startsWith(prefix.s());
        }
        if (v.type() == AttributeValue.Type.B) {
            byte[] b = v.b();
            byte[] p = prefix.b();
            return p.length <= b.length && Arrays.equals(b, 0, p.length, p, 0, p.length);
        }
        return false;
    }

    /**
     * contains: a substring of a string, a byte run of a binary, a member of a set of the operand's
     * type, or an element of a list.
     */
    static boolean contains(AttributeValue v, AttributeValue operand) {
        if (v == null || operand == null) {
            return false;
        }
        return switch (v.type()) {
            case S -> operand.type() == AttributeValue.Type.S && v.s().contains(operand.s());
            case B -> operand.type() == AttributeValue.Type.B && indexOf(v.b(), operand.b()) >= 0;
            case SS -> operand.type() == AttributeValue.Type.S && v.ss().contains(operand.s());
            case NS -> operand.type() == AttributeValue.Type.N && v.ns().contains(operand.n());
            case BS -> operand.type() == AttributeValue.Type.B && containsBytes(v.bs(), operand.b());
            case L -> v.l().contains(operand);
            default -> false;
        };
    }

    private static boolean containsBytes(List<byte[]> set, byte[] member) {
        for (byte[] m : set) {
            if (Arrays.equals(m, member)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * size(): a string's length (in UTF-16 units, as DynamoDB counts), a binary's bytes, a set's,
     * list's or map's elements; null (no value) for numbers, booleans and nulls.
     */
    static AttributeValue size(AttributeValue v) {
        if (v == null) {
            return null;
        }
        int size = switch (v.type()) {
            case S -> v.s().length();
            case B -> v.b().length;
            case SS -> v.ss().size();
            case NS -> v.ns().size();
            case BS -> v.bs().size();
            case L -> v.l().size();
            case M -> v.m().size();
            default -> -1;
        };
        return size < 0 ? null : AttributeValue.n(Integer.toString(size));
    }

    static boolean isSet(AttributeValue.Type t) {
        return t == AttributeValue.Type.SS || t == AttributeValue.Type.NS || t == AttributeValue.Type.BS;
    }

    /** A value as DynamoDB quotes it in BETWEEN errors: {@code AttributeValue: {N:1}}. */
    static String render(AttributeValue v) {
        String text = switch (v.type()) {
            case S -> v.s();
            case N -> v.n();
            // DynamoDB prints the Java buffer it holds the bytes in.
            case B -> "java.nio.HeapByteBuffer[pos=0 lim=" + v.b().length + " cap=" + v.b().length + "]";
            default -> v.toString();
        };
        return "AttributeValue: {" + v.type().name() + ":" + text + "}";
    }
}

package dev.eddy.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One DynamoDB attribute value. Numbers are held in their canonical text form (see {@link Numbers}),
 * so equal numbers have equal text; sets keep the members in the order given, with equality as sets.
 * Instances are immutable once built.
 */
public final class AttributeValue {
    public enum Type {
        S("STRING"), N("NUMBER"), B("BINARY"), BOOL("BOOLEAN"), NULL("NULL"), M("MAP"), L("LIST"),
        SS("STRING_SET"), NS("NUMBER_SET"), BS("BINARY_SET");

        private final String longName;

        Type(String longName) {
            this.longName = longName;
        }

        /** The name DynamoDB uses in some messages ("... not supported for the type STRING"). */
        public String longName() {
            return longName;
        }
    }

    private static final AttributeValue TRUE = new AttributeValue(Type.BOOL, Boolean.TRUE);
    private static final AttributeValue FALSE = new AttributeValue(Type.BOOL, Boolean.FALSE);
    private static final AttributeValue NULL = new AttributeValue(Type.NULL, Boolean.TRUE);

    private final Type type;
    private final Object value;

    private AttributeValue(Type type, Object value) {
        this.type = type;
        this.value = value;
    }

    public static AttributeValue s(String s) {
        return new AttributeValue(Type.S, Objects.requireNonNull(s));
    }

    /** A number given in canonical form; use {@link Numbers#canonical(String)} on client input. */
    public static AttributeValue n(String canonical) {
        return new AttributeValue(Type.N, Objects.requireNonNull(canonical));
    }

    public static AttributeValue b(byte[] bytes) {
        return new AttributeValue(Type.B, Objects.requireNonNull(bytes));
    }

    public static AttributeValue bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    public static AttributeValue nul() {
        return NULL;
    }

    public static AttributeValue m(Map<String, AttributeValue> map) {
        return new AttributeValue(Type.M, Objects.requireNonNull(map));
    }

    public static AttributeValue l(List<AttributeValue> list) {
        return new AttributeValue(Type.L, Objects.requireNonNull(list));
    }

    public static AttributeValue ss(List<String> members) {
        return new AttributeValue(Type.SS, Objects.requireNonNull(members));
    }

    public static AttributeValue ns(List<String> canonicalMembers) {
        return new AttributeValue(Type.NS, Objects.requireNonNull(canonicalMembers));
    }

    public static AttributeValue bs(List<byte[]> members) {
        return new AttributeValue(Type.BS, Objects.requireNonNull(members));
    }

    public Type type() {
        return type;
    }

    public String s() {
        return (String) value;
    }

    public String n() {
        return (String) value;
    }

    public byte[] b() {
        return (byte[]) value;
    }

    public boolean bool() {
        return (Boolean) value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, AttributeValue> m() {
        return (Map<String, AttributeValue>) value;
    }

    @SuppressWarnings("unchecked")
    public List<AttributeValue> l() {
        return (List<AttributeValue>) value;
    }

    @SuppressWarnings("unchecked")
    public List<String> ss() {
        return (List<String>) value;
    }

    @SuppressWarnings("unchecked")
    public List<String> ns() {
        return (List<String>) value;
    }

    @SuppressWarnings("unchecked")
    public List<byte[]> bs() {
        return (List<byte[]>) value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AttributeValue other) || other.type != type) {
            return false;
        }
        return switch (type) {
            case B -> Arrays.equals(b(), other.b());
            case SS, NS -> new HashSet<>((List<?>) value).equals(new HashSet<>((List<?>) other.value));
            case BS -> binarySet(bs()).equals(binarySet(other.bs()));
            default -> value.equals(other.value);
        };
    }

    @Override
    public int hashCode() {
        return switch (type) {
            case B -> Arrays.hashCode(b());
            case SS, NS -> new HashSet<>((List<?>) value).hashCode();
            case BS -> binarySet(bs()).hashCode();
            default -> type.hashCode() * 31 + value.hashCode();
        };
    }

    private static Set<ByteString> binarySet(List<byte[]> members) {
        Set<ByteString> set = new HashSet<>();
        for (byte[] m : members) {
            set.add(new ByteString(m));
        }
        return set;
    }

    /** A byte array with value equality, for binary set membership. */
    public record ByteString(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    @Override
    public String toString() {
        return switch (type) {
            case B -> "{B: " + b().length + " bytes}";
            case BS -> "{BS: " + bs().size() + " members}";
            case L -> "{L: " + new ArrayList<>(l()) + "}";
            default -> "{" + type + ": " + value + "}";
        };
    }
}

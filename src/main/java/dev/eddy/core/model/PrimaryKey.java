package dev.eddy.core.model;


/**
 * An item's primary key: the partition key value and, for tables with a composite key, the sort
 * key value. {@link #partitionBytes()} is the storage key of the item collection: equal partition
 * key values (numbers are canonical) give equal bytes.
 */
public record PrimaryKey(AttributeValue hash, AttributeValue range) {

    public byte[] partitionBytes() {
        return keyBytes(hash);
    }

    public static byte[] keyBytes(AttributeValue v) {
        byte[] raw = switch (v.type()) {
            case S -> ItemSize.utf8(v.s());
            case N -> ItemSize.utf8(v.n());
            case B -> v.b();
            default -> throw new IllegalArgumentException("not a key type: " + v.type());
        };
        byte[] out = new byte[raw.length + 1];
        out[0] = (byte) v.type().ordinal();
        System.arraycopy(raw, 0, out, 1, raw.length);
        return out;
    }

    /** The partition key value back from {@link #partitionBytes()}. */
    public static AttributeValue fromKeyBytes(byte[] bytes) {
        AttributeValue.Type type = AttributeValue.Type.values()[bytes[0]];
        byte[] raw = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        return switch (type) {
            case S -> AttributeValue.s(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
            case N -> AttributeValue.n(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
            case B -> AttributeValue.b(raw);
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrimaryKey k && hash.equals(k.hash) && java.util.Objects.equals(range, k.range);
    }

    @Override
    public int hashCode() {
        return hash.hashCode() * 31 + (range == null ? 0 : range.hashCode());
    }

    @Override
    public String toString() {
        return range == null ? hash.toString() : hash + "/" + range;
    }

}

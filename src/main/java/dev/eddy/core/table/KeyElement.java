package dev.eddy.core.table;

/** One element of a key schema: an attribute name and HASH or RANGE. */
public record KeyElement(String attributeName, String keyType) {
    public static final String HASH = "HASH";
    public static final String RANGE = "RANGE";
}

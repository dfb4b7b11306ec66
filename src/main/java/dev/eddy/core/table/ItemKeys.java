package dev.eddy.core.table;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Extracts and checks primary keys, with DynamoDB's rules: key attributes of the declared scalar
 * type, no empty string or binary key values, partition keys up to 2048 bytes and sort keys up to
 * 1024 bytes.
 */
public final class ItemKeys {
    public static final int MAX_HASH_KEY_BYTES = 2048;
    public static final int MAX_RANGE_KEY_BYTES = 1024;

    private ItemKeys() {
    }

    /** The key of a full item (PutItem): the key attributes must be present with the right type. */
    public static PrimaryKey fromItem(TableDefinition t, Map<String, AttributeValue> item) {
        AttributeValue hash = itemKeyValue(t, t.hashKey(), item);
        AttributeValue range = t.rangeKey() == null ? null : itemKeyValue(t, t.rangeKey(), item);
        return checkSizes(hash, range);
    }

    private static AttributeValue itemKeyValue(TableDefinition t, String name, Map<String, AttributeValue> item) {
        AttributeValue v = item.get(name);
        if (v == null) {
            throw Errors.missingKey(name);
        }
        String expected = t.attributeType(name);
        if (!v.type().name().equals(expected)) {
            throw Errors.keyTypeMismatch(name, expected, v.type().name());
        }
        checkNotEmpty(name, v, true);
        return v;
    }

    /**
     * What makes an item's key attributes not the table's (one missing, or of another type), or null:
     * the checks {@link #fromItem} makes first, for a caller that reports them apart (a transaction).
     */
    public static DynamoException itemKeyMismatch(TableDefinition t, Map<String, AttributeValue> item) {
        for (String name : t.rangeKey() == null ? List.of(t.hashKey()) : List.of(t.hashKey(), t.rangeKey())) {
            AttributeValue v = item.get(name);
            if (v == null) {
                return Errors.missingKey(name);
            }
            String expected = t.attributeType(name);
            if (!v.type().name().equals(expected)) {
                return Errors.keyTypeMismatch(name, expected, v.type().name());
            }
        }
        return null;
    }

    /** A Key parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes. */
    public static PrimaryKey fromKey(TableDefinition t, Map<String, AttributeValue> key) {
        return fromKey(t, key, false);
    }

    /**
     * As {@link #fromKey(TableDefinition, Map)}; {@code itemWording}: an empty key value is refused in
     * the words DynamoDB uses for an item's key (as for every key of a transaction).
     */
    public static PrimaryKey fromKey(TableDefinition t, Map<String, AttributeValue> key, boolean itemWording) {
        if (!matchesSchema(t, key)) {
            throw Errors.keySchemaMismatch();
        }
        AttributeValue hash = key.get(t.hashKey());
        AttributeValue range = t.rangeKey() == null ? null : key.get(t.rangeKey());
        checkNotEmpty(t.hashKey(), hash, itemWording);
        if (range != null) {
            checkNotEmpty(t.rangeKey(), range, itemWording);
        }
        return checkSizes(hash, range);
    }

    /** Whether a Key parameter names exactly the table's key attributes, each of its declared type. */
    public static boolean matchesSchema(TableDefinition t, Map<String, AttributeValue> key) {
        int expectedCount = t.rangeKey() == null ? 1 : 2;
        AttributeValue hash = key.get(t.hashKey());
        AttributeValue range = t.rangeKey() == null ? null : key.get(t.rangeKey());
        if (key.size() != expectedCount || hash == null || (t.rangeKey() != null && range == null)) {
            return false;
        }
        return hash.type().name().equals(t.attributeType(t.hashKey()))
                && (range == null || range.type().name().equals(t.attributeType(t.rangeKey())));
    }

    private static void checkNotEmpty(String name, AttributeValue v, boolean inItem) {
        if (v.type() == AttributeValue.Type.S && v.s().isEmpty()) {
            throw Errors.emptyKeyValue(name, "string", inItem);
        }
        if (v.type() == AttributeValue.Type.B && v.b().length == 0) {
            throw Errors.emptyKeyValue(name, "binary", inItem);
        }
    }

    private static PrimaryKey checkSizes(AttributeValue hash, AttributeValue range) {
        if (ItemSize.of(hash) > MAX_HASH_KEY_BYTES) {
            throw Errors.hashKeyTooLarge();
        }
        if (range != null && ItemSize.of(range) > MAX_RANGE_KEY_BYTES) {
            throw Errors.rangeKeyTooLarge();
        }
        return new PrimaryKey(hash, range);
    }

    /**
     * An item's values for secondary index keys: of the type the index declares, not empty. An item
     * without them is fine (it is just not in that index: indexes are sparse).
     */
    public static void checkIndexKeys(TableDefinition t, Map<String, AttributeValue> item) {
        for (IndexDefinition index : t.localSecondaryIndexes()) {
            checkIndexKey(t, index, index.rangeKey(), item);
        }
        for (IndexDefinition index : t.globalSecondaryIndexes()) {
            checkIndexKey(t, index, index.hashKey(), item);
            if (index.rangeKey() != null) {
                checkIndexKey(t, index, index.rangeKey(), item);
            }
        }
    }

    /**
     * An item's secondary index key values that are empty, where their type is right: DynamoDB refuses
     * these with the whole request, before it looks at any item (a transaction reports a value of the
     * wrong type as that action's ValidationError, but an empty one so).
     */
    public static void checkIndexKeyValuesNotEmpty(TableDefinition t, Map<String, AttributeValue> item) {
        for (IndexDefinition index : t.localSecondaryIndexes()) {
            checkIndexKeyNotEmpty(t, index, index.rangeKey(), item);
        }
        for (IndexDefinition index : t.globalSecondaryIndexes()) {
            checkIndexKeyNotEmpty(t, index, index.hashKey(), item);
            if (index.rangeKey() != null) {
                checkIndexKeyNotEmpty(t, index, index.rangeKey(), item);
            }
        }
    }

    private static void checkIndexKeyNotEmpty(TableDefinition t, IndexDefinition index, String attribute,
                                              Map<String, AttributeValue> item) {
        AttributeValue v = item.get(attribute);
        if (v != null && v.type().name().equals(t.attributeType(attribute))) {
            checkIndexKey(t, index, attribute, item);
        }
    }

    /** The secondary index key attributes of the table (each once). */
    public static Set<String> indexKeyAttributes(TableDefinition t) {
        Set<String> names = new LinkedHashSet<>();
        for (IndexDefinition index : t.localSecondaryIndexes()) {
            names.add(index.rangeKey());
        }
        for (IndexDefinition index : t.globalSecondaryIndexes()) {
            names.add(index.hashKey());
            if (index.rangeKey() != null) {
                names.add(index.rangeKey());
            }
        }
        return names;
    }

    private static void checkIndexKey(TableDefinition t, IndexDefinition index, String attribute,
                                      Map<String, AttributeValue> item) {
        AttributeValue v = item.get(attribute);
        if (v == null) {
            return;
        }
        String expected = t.attributeType(attribute);
        if (!v.type().name().equals(expected)) {
            throw Errors.indexKeyTypeMismatch(attribute, expected, v.type().name(), index.indexName());
        }
        if (v.type() == AttributeValue.Type.S && v.s().isEmpty()) {
            throw Errors.emptyIndexKeyValue(attribute, "string", index.indexName());
        }
        if (v.type() == AttributeValue.Type.B && v.b().length == 0) {
            throw Errors.emptyIndexKeyValue(attribute, "binary", index.indexName());
        }
    }

    /** The item's key attributes alone, in key-schema order. */
    public static Map<String, AttributeValue> keyAttributes(TableDefinition t, PrimaryKey key) {
        if (t.rangeKey() == null) {
            return Map.of(t.hashKey(), key.hash());
        }
        Map<String, AttributeValue> keys = new java.util.LinkedHashMap<>(4);
        keys.put(t.hashKey(), key.hash());
        keys.put(t.rangeKey(), key.range());
        return keys;
    }
}

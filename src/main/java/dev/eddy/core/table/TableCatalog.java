package dev.eddy.core.table;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.storage.ChangeMarker;
import dev.eddy.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import dev.eddy.core.storage.Entries;
import org.infinispan.commons.util.CloseableIterator;

/**
 * Table definitions, stored in the {@value #CACHE} cache so every function instance sees the same
 * tables. Lookups go through the near cache (the servers invalidate it on every change) and a
 * parsed definition is reused for as long as the near cache hands back the same stored bytes.
 */
public final class TableCatalog {
    public static final String CACHE = Storage.PREFIX + "catalog";
    private static final int MAX_ATTEMPTS = 1_000;
    /** The key of the change marker: no table name starts with a zero character. */
    private static final byte[] CHANGES = {0, 'c'};

    private final Storage storage;
    /** Changed by every change of the catalog. */
    private final ChangeMarker changes;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    private record Parsed(byte[] bytes, TableDefinition definition) {
    }

    public TableCatalog(Storage storage) {
        this.storage = storage;
        this.changes = new ChangeMarker(storage, CACHE, CHANGES);
        storage.createCache(CACHE);
    }

    /** The table as this instance last saw it (near cache), or null. */
    public TableDefinition find(String name) {
        byte[] bytes = storage.eventual(CACHE).get(key(name));
        return parse(name, bytes);
    }

    /**
     * {@link #find} without waiting: complete at once when the near cache holds the table (the common
     * case), otherwise when a server answers. The parsed definition is kept with the stored value.
     */
    public java.util.concurrent.CompletableFuture<TableDefinition> findAsync(String name) {
        Entries near = storage.openedEventual(CACHE);
        if (near == null) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> find(name));
        }
        return near.getStoredAsync(key(name)).thenApply(stored -> {
            if (stored == null) {
                return null;
            }
            if (stored.view() instanceof TableDefinition d) {
                return d;
            }
            TableDefinition d = parse(name, near.plain(key(name), stored));
            stored.attach(d, 0); // small, and bounded by the number of tables: not charged
            return d;
        });
    }

    /** The table as stored now, bypassing the near cache, or null. */
    public TableDefinition findConsistent(String name) {
        return parse(name, storage.strong(CACHE).get(key(name)));
    }

    private TableDefinition parse(String name, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Parsed p = parsed.get(name);
        if (p != null && p.bytes == bytes) {
            return p.definition;
        }
        TableDefinition d = decode(bytes);
        parsed.put(name, new Parsed(bytes, d));
        return d;
    }

    /** Stores a new table; false when one of that name exists already. */
    public boolean create(TableDefinition definition) {
        boolean created = storage.strong(CACHE).putIfAbsent(key(definition.tableName()), encode(definition));
        if (created) {
            changed();
        }
        return created;
    }

    /**
     * Applies a change to the stored definition by compare-and-set; returns the new definition, or
     * null when the table does not exist. The change may throw to refuse.
     */
    public TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
        Entries cache = storage.strong(CACHE);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned current = cache.getVersioned(key(name));
            if (current == null) {
                return null;
            }
            TableDefinition next = change.apply(decode(current.value()));
            if (cache.replace(key(name), encode(next), current)) {
                changed();
                return next;
            }
        }
        throw new IllegalStateException("catalog update of " + name + " did not settle");
    }

    public void remove(String name) {
        storage.strong(CACHE).remove(key(name));
        parsed.remove(name);
        changed();
    }

    /**
     * What watches the tables (the maintenance role's listing) reads this near-cached marker and
     * lists again only when it changed.
     */
    public byte[] changeMarker() {
        return changes.read();
    }

    private void changed() {
        changes.bump();
    }

    /**
     * Whether a table's cache is on its way out: no table names it, or the one that does is DELETING
     * (DeleteTable marks the table so before it removes the cache). Lists the catalog: asked only for
     * a cache that answered "not ready", which a node stopping causes too.
     */
    public boolean removing(String cacheName) {
        for (String name : names()) {
            TableDefinition seen = find(name);
            if (seen != null && cacheName.equals(seen.cacheName())) {
                TableDefinition now = findConsistent(name);
                return now == null || !cacheName.equals(now.cacheName()) || TableDefinition.DELETING.equals(now.status());
            }
        }
        return true;
    }

    /** All table names in DynamoDB's ListTables order (ascending). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        try (CloseableIterator<byte[]> it = storage.strong(CACHE).keys()) {
            while (it.hasNext()) {
                byte[] key = it.next();
                if (!changes.is(key)) {
                    names.add(new String(key, StandardCharsets.UTF_8));
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encode(TableDefinition d) {
        try {
            return json.writeValueAsBytes(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TableDefinition decode(byte[] bytes) {
        try {
            return json.readValue(bytes, TableDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.eddy.core.storage;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * ItemCount and TableSizeBytes of tables and their indexes. DynamoDB refreshes them about every
 * six hours rather than on each write; Eddy keeps the last computed figures per table in the
 * {@value #CACHE} cache (so every instance reports the same). A DescribeTable that finds them older
 * than the configured age asks for a recount by marking the entry; the maintenance role's
 * {@link Recount} duty counts what was asked for, by one pass over the table's cache. A table
 * nobody describes is never counted: the cost follows the asking, not the data.
 */
public final class TableStatistics {
    public static final String CACHE = Storage.PREFIX + "statistics";
    private static final Logger LOG = Logger.getLogger(TableStatistics.class);
    /** The key of the requests marker: a table id never starts with a zero byte. */
    private static final byte[] REQUESTS = {0, 'r'};
    /** How long a request for a table the catalog listing does not show yet keeps passes looking. */
    private static final long UNLISTED_MILLIS = 60_000;

    /** Figures as of {@code computedMillis} (0: never counted); a recount is wanted when {@code requestedMillis} is later. */
    public record Figures(long itemCount, long sizeBytes, long computedMillis, long requestedMillis,
                          Map<String, long[]> indexes) {
        static final Figures NONE = new Figures(0, 0, 0, 0, Map.of());

        byte[] encode() {
            ByteWriter w = new ByteWriter(64).int64(itemCount).int64(sizeBytes).int64(computedMillis)
                    .int64(requestedMillis).varint(indexes.size());
            indexes.forEach((name, f) -> w.string(name).int64(f[0]).int64(f[1]));
            return w.toByteArray();
        }

        static Figures decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            long count = r.int64();
            long size = r.int64();
            long computed = r.int64();
            long requested = r.hasMore() ? r.int64() : 0;
            Map<String, long[]> indexes = new LinkedHashMap<>();
            if (r.hasMore()) {
                int n = (int) r.varint();
                for (int i = 0; i < n; i++) {
                    indexes.put(r.string(), new long[] {r.int64(), r.int64()});
                }
            }
            return new Figures(count, size, computed, requested, indexes);
        }

        public TableDescriptions.Sizes sizes() {
            return new TableDescriptions.Sizes(itemCount, sizeBytes, indexes);
        }
    }

    private final Storage storage;
    /** Changed by every request for a recount. */
    private final ChangeMarker requests;
    private final long maxAgeMillis;

    public TableStatistics(Storage storage, long maxAgeMillis) {
        this.storage = storage;
        this.requests = new ChangeMarker(storage, CACHE, REQUESTS);
        this.maxAgeMillis = maxAgeMillis;
        storage.createCache(CACHE);
    }

    /** The last figures for the table, asking for a recount when they are stale (and none is asked for yet). */
    public Figures describe(TableDefinition table) {
        byte[] stored = storage.eventual(CACHE).get(key(table));
        Figures figures = stored == null ? Figures.NONE : Figures.decode(stored);
        long now = System.currentTimeMillis();
        if (now - figures.computedMillis() >= maxAgeMillis && figures.requestedMillis() <= figures.computedMillis()) {
            request(table);
        }
        return figures;
    }

    private void request(TableDefinition table) {
        Entries cache = storage.strong(CACHE);
        Entries.Versioned current = cache.getVersioned(key(table));
        Figures f = current == null ? Figures.NONE : Figures.decode(current.value());
        if (f.requestedMillis() > f.computedMillis()) {
            return;
        }
        Figures asked = new Figures(f.itemCount(), f.sizeBytes(), f.computedMillis(),
                Math.max(System.currentTimeMillis(), f.computedMillis() + 1), f.indexes());
        boolean stored = current == null ? cache.putIfAbsent(key(table), asked.encode())
                : cache.replace(key(table), asked.encode(), current);
        if (stored) {
            requests.bump(); // after the request: a pass that reads the marker sees the request
        }
    }

    /**
     * One pass over the table's cache: its inline collections and leaf pages hold the items, and
     * each index's collections its entries (tombstones not counted).
     */
    Figures count(TableDefinition table, Function<IndexDefinition, CollectionSpace> indexSpace, long requestedMillis) {
        CollectionSpace items = CollectionSpace.of(table);
        List<IndexDefinition> indexes = new ArrayList<>(table.localSecondaryIndexes());
        indexes.addAll(table.globalSecondaryIndexes());
        List<CollectionSpace> spaces = new ArrayList<>();
        indexes.forEach(i -> spaces.add(indexSpace.apply(i)));
        long[] totals = new long[2];
        long[][] perIndex = new long[indexes.size()][2];
        storage.strong(table.cacheName()).forEachEntry((key, value) -> {
            if (!ItemPage.isItemPage(value)) {
                return;
            }
            if (items.ownsEntry(key)) {
                ItemPage page = ItemPage.decode(value, items.sorted());
                if (!page.isDead() && !page.isRemoving()) {
                    totals[0] += page.size();
                    for (int i = 0; i < page.size(); i++) {
                        totals[1] += ItemSize.of(ItemCodec.decode(page.itemBytesAt(i)));
                    }
                }
                return;
            }
            for (int s = 0; s < spaces.size(); s++) {
                if (spaces.get(s).ownsEntry(key)) {
                    ItemPage page = ItemPage.decode(value, true);
                    for (int i = 0; i < page.size(); i++) {
                        AttributeValue projected = ItemCodec.decode(page.itemBytesAt(i)).get("i");
                        if (projected != null) {
                            perIndex[s][0]++;
                            perIndex[s][1] += ItemSize.of(projected.m());
                        }
                    }
                    return;
                }
            }
        });
        Map<String, long[]> byName = new LinkedHashMap<>();
        for (int s = 0; s < indexes.size(); s++) {
            byName.put(indexes.get(s).indexName(), perIndex[s]);
        }
        return new Figures(totals[0], totals[1], System.currentTimeMillis(), requestedMillis, byName);
    }

    public void forget(TableDefinition table) {
        storage.strong(CACHE).remove(key(table));
    }

    private static byte[] key(TableDefinition table) {
        return table.tableId().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Counts the tables whose figures were asked for (a duty of the maintenance role, one holder in
     * the cluster). {@code tables} names the live tables by id.
     */
    public Duty recount(java.util.function.Supplier<List<TableDefinition>> tables,
                        Function<TableDefinition, Function<IndexDefinition, CollectionSpace>> indexSpaces,
                        Meters meters, long intervalMillis) {
        return new Recount(tables, indexSpaces, meters, intervalMillis);
    }

    private final class Recount implements Duty {
        private final java.util.function.Supplier<List<TableDefinition>> tables;
        private final Function<TableDefinition, Function<IndexDefinition, CollectionSpace>> indexSpaces;
        private final Meters meters;
        private final long intervalMillis;
        /** The requests marker as of the last complete pass (null: none yet, so the first pass looks). */
        private byte[] seen;

        Recount(java.util.function.Supplier<List<TableDefinition>> tables,
                Function<TableDefinition, Function<IndexDefinition, CollectionSpace>> indexSpaces, Meters meters,
                long intervalMillis) {
            this.tables = tables;
            this.indexSpaces = indexSpaces;
            this.meters = meters;
            this.intervalMillis = intervalMillis;
        }

        @Override
        public String name() {
            return "statistics";
        }

        @Override
        public long intervalMillis() {
            return intervalMillis;
        }

        @Override
        public boolean run(Held held) {
            byte[] marker = requests.read();
            if (marker == null || Arrays.equals(marker, seen)) {
                return false; // nothing asked for since the last pass: one near-cached read
            }
            Map<String, TableDefinition> byId = new HashMap<>();
            tables.get().forEach(t -> byId.put(t.tableId(), t));
            Map<TableDefinition, Figures> asked = new LinkedHashMap<>();
            boolean[] complete = {true};
            long now = System.currentTimeMillis();
            storage.strong(CACHE).forEachEntry((key, value) -> {
                if (requests.is(key)) {
                    return;
                }
                Figures f = Figures.decode(value);
                if (f.requestedMillis() <= f.computedMillis()) {
                    return;
                }
                TableDefinition t = byId.get(new String(key, StandardCharsets.UTF_8));
                if (t != null) {
                    asked.put(t, f);
                } else if (now - f.requestedMillis() < UNLISTED_MILLIS) {
                    complete[0] = false; // a table newer than the listing: the next pass looks again
                }
            });
            for (Map.Entry<TableDefinition, Figures> e : asked.entrySet()) {
                if (!held.stillHeld()) {
                    return true;
                }
                TableDefinition t = e.getKey();
                try {
                    Figures counted = count(t, indexSpaces.apply(t), e.getValue().requestedMillis());
                    storage.strong(CACHE).put(key(t), counted.encode());
                    meters.counter("eddy.statistics.recounts").increment();
                } catch (RuntimeException ex) {
                    complete[0] = false;
                    meters.failures().report("statistics", "Counting " + t.tableName(), ex, "the next run tries again");
                }
            }
            if (complete[0]) {
                seen = marker;
            }
            return false;
        }
    }
}

package dev.eddy.core.storage;

import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * ItemCount and TableSizeBytes. DynamoDB refreshes them about every six hours rather than on each
 * write; Eddy likewise keeps the last computed figures per table (in the {@value #CACHE} cache, so
 * every instance reports the same) and recomputes them in the background, by one pass over the
 * table's cache, when a DescribeTable finds them older than the configured age.
 */
public final class TableStatistics implements AutoCloseable {
    public static final String CACHE = Storage.PREFIX + "statistics";
    private static final Logger LOG = Logger.getLogger(TableStatistics.class);

    /** Figures as of {@code computedMillis}; all zero for a table never counted. */
    public record Figures(long itemCount, long sizeBytes, long computedMillis) {
        static final Figures NONE = new Figures(0, 0, 0);
    }

    private final Storage storage;
    private final long maxAgeMillis;
    private final ExecutorService counter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "eddy-table-statistics");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> counting = ConcurrentHashMap.newKeySet();

    public TableStatistics(Storage storage, long maxAgeMillis) {
        this.storage = storage;
        this.maxAgeMillis = maxAgeMillis;
        storage.createCache(CACHE);
    }

    /** The last figures for the table, starting a recount in the background when they are stale. */
    public Figures describe(TableDefinition table) {
        byte[] stored = storage.eventual(CACHE).get(key(table));
        Figures figures = stored == null ? Figures.NONE : decode(stored);
        if (System.currentTimeMillis() - figures.computedMillis() >= maxAgeMillis && counting.add(table.tableId())) {
            counter.execute(() -> {
                try {
                    storage.strong(CACHE).put(key(table), encode(count(table)));
                } catch (RuntimeException e) {
                    LOG.debugf(e, "Counting %s failed; the next DescribeTable tries again", table.tableName());
                } finally {
                    counting.remove(table.tableId());
                }
            });
        }
        return figures;
    }

    /** One pass over the table's entries: its inline collections and leaf pages hold the items (not its indexes'). */
    Figures count(TableDefinition table) {
        boolean sorted = table.rangeKey() != null;
        long[] totals = new long[2];
        CollectionSpace items = CollectionSpace.of(table);
        storage.strong(table.cacheName()).forEachEntry((key, value) -> {
            if (!items.ownsEntry(key) || ItemPage.formatOf(value) == PageIndex.FORMAT) {
                return;
            }
            ItemPage page = ItemPage.decode(value, sorted);
            totals[0] += page.size();
            for (int i = 0; i < page.size(); i++) {
                totals[1] += ItemSize.of(ItemCodec.decode(page.itemBytesAt(i)));
            }
        });
        return new Figures(totals[0], totals[1], System.currentTimeMillis());
    }

    public void forget(TableDefinition table) {
        storage.strong(CACHE).remove(key(table));
    }

    private static byte[] key(TableDefinition table) {
        return table.tableId().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(Figures f) {
        return new ByteWriter(24).int64(f.itemCount()).int64(f.sizeBytes()).int64(f.computedMillis()).toByteArray();
    }

    private static Figures decode(byte[] b) {
        ByteReader r = new ByteReader(b);
        return new Figures(r.int64(), r.int64(), r.int64());
    }

    @Override
    public void close() {
        counter.shutdownNow();
    }
}

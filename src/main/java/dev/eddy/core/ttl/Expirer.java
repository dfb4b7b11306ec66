package dev.eddy.core.ttl;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Time to Live (Developer Guide, "Time to Live"): an item whose TTL attribute is a Number of epoch
 * seconds in the past is deleted in the background, by a pass over every table with TTL on each
 * interval; until then reads still return it, as DynamoDB's do. Values more than five years in the
 * past are left alone, as DynamoDB leaves them. Each deletion is conditional on the item still
 * being expired (a write may have renewed it) and is streamed as a REMOVE by the DynamoDB service.
 */
public final class Expirer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Expirer.class);
    private static final long FIVE_YEARS_SECONDS = 5L * 366 * 24 * 3600;

    private final ItemStore items;
    private final TableCatalog catalog;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-ttl"));

    public Expirer(ItemStore items, TableCatalog catalog, long intervalMillis) {
        this.items = items;
        this.catalog = catalog;
        timer.scheduleWithFixedDelay(this::sweep, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    static boolean expired(Map<String, AttributeValue> item, String attribute, long nowSeconds) {
        AttributeValue v = item == null ? null : item.get(attribute);
        if (v == null || v.type() != AttributeValue.Type.N) {
            return false;
        }
        BigDecimal at = new BigDecimal(v.n());
        return at.compareTo(BigDecimal.valueOf(nowSeconds)) <= 0
                && at.compareTo(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)) >= 0;
    }

    void sweep() {
        try {
            for (String name : catalog.names()) {
                TableDefinition t = catalog.findConsistent(name);
                if (t != null && t.timeToLiveAttribute() != null && TableDefinition.ACTIVE.equals(t.status())) {
                    expire(t);
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Time to Live pass did not finish");
        }
    }

    private void expire(TableDefinition t) {
        String attribute = t.timeToLiveAttribute();
        long now = System.currentTimeMillis() / 1000;
        items.scan(t, 0, 1, null, true, (hash, sortKey, bytes) -> {
            if (expired(ItemCodec.decode(bytes), attribute, now)) {
                items.write(t, new PrimaryKey(hash, sortKey),
                        current -> expired(current, attribute, now) ? null : current, true);
            }
            return true;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

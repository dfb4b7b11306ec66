package dev.eddy.core.maintenance;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.UpkeepQueue;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.ttl.Expirer;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Handles the timers that came due on every table's upkeep queue, and on the system queue (a duty
 * of the maintenance role, one holder in the cluster): Time to Live expiries, global index
 * tombstone sweeps, checks of pages written by splits, and engine-wide timers such as a deleted
 * stream's topic. A table whose queue has nothing due costs a near-cached read.
 */
public final class UpkeepTimers implements Duty {
    /** The cache of engine-wide timers. */
    public static final String SYSTEM_CACHE = dev.eddy.core.storage.Storage.PREFIX + "system";
    private static final int BATCH = 500;
    private static final long RECHECK_MILLIS = 60_000;

    private final ItemStore items;
    private final CatalogView tables;
    private final Expirer expirer;
    private final SecondaryIndexes indexes;
    private final Map<Byte, BiPredicate<String, byte[]>> systemHandlers;
    private final Meters meters;
    private final long intervalMillis;

    /**
     * @param systemHandlers handlers of engine-wide timers by the payload's first byte: (action
     *                       payload) to true when done, false to try again later
     */
    public UpkeepTimers(ItemStore items, CatalogView tables, Expirer expirer, SecondaryIndexes indexes,
                        Map<Byte, BiPredicate<String, byte[]>> systemHandlers, Meters meters, long intervalMillis) {
        this.items = items;
        this.tables = tables;
        this.expirer = expirer;
        this.indexes = indexes;
        this.systemHandlers = systemHandlers;
        this.meters = meters;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public String name() {
        return "upkeep-timers";
    }

    @Override
    public long intervalMillis() {
        return intervalMillis;
    }

    @Override
    public boolean run(Held held) {
        boolean more = false;
        long now = System.currentTimeMillis();
        for (TableDefinition t : tables.tables()) {
            if (!held.stillHeld()) {
                return true;
            }
            if (!TableDefinition.ACTIVE.equals(t.status()) && !TableDefinition.UPDATING.equals(t.status())) {
                continue;
            }
            more |= drain(t.cacheName(), now, held, (timer) -> handle(t, timer));
        }
        more |= drain(SYSTEM_CACHE, now, held, this::handleSystem);
        return more;
    }

    private boolean drain(String cacheName, long now, Held held, java.util.function.Predicate<UpkeepQueue.Timer> handler) {
        UpkeepQueue queue = items.queue();
        if (!queue.maybeDue(cacheName, now)) {
            return false;
        }
        List<UpkeepQueue.Timer> due = queue.due(cacheName, now, BATCH);
        for (UpkeepQueue.Timer timer : due) {
            if (!held.stillHeld()) {
                return true;
            }
            if (!handler.test(timer)) {
                queue.add(cacheName, new UpkeepQueue.Timer(now + RECHECK_MILLIS, timer.kind(), timer.payload()));
            }
            queue.remove(cacheName, timer);
            meters.counter("eddy.upkeep.timers.handled", "kind", kindName(timer.kind())).increment();
        }
        return due.size() == BATCH;
    }

    private boolean handle(TableDefinition t, UpkeepQueue.Timer timer) {
        switch (timer.kind()) {
            case UpkeepQueue.EXPIRE -> expirer.expire(t, timer.payload());
            case UpkeepQueue.SWEEP_TOMBSTONE -> indexes.sweep(t, timer.payload());
            case UpkeepQueue.CHECK_PAGE -> {
                return items.checkPage(t.cacheName(), timer.payload());
            }
            default -> {
                // A kind this version does not know: dropped, as its setter is gone.
            }
        }
        return true;
    }

    private boolean handleSystem(UpkeepQueue.Timer timer) {
        byte[] p = timer.payload();
        if (p.length == 0) {
            return true;
        }
        BiPredicate<String, byte[]> h = systemHandlers.get(p[0]);
        return h == null || h.test(new String(p, 1, p.length - 1, java.nio.charset.StandardCharsets.UTF_8), p);
    }

    private static String kindName(byte kind) {
        return switch (kind) {
            case UpkeepQueue.EXPIRE -> "expire";
            case UpkeepQueue.SWEEP_TOMBSTONE -> "sweep-tombstone";
            case UpkeepQueue.CHECK_PAGE -> "check-page";
            case UpkeepQueue.SYSTEM -> "system";
            default -> "other";
        };
    }
}

package dev.eddy.core.transaction;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Settles transactions whose coordinator died (a duty of the maintenance role, one holder in the
 * cluster), without waiting for a write to meet their locks: a decided transaction's locks are
 * settled (a COMMITTED one's images applied, with their change records; an ABORTED one's locks
 * dropped), a PENDING one past {@code eddy.transactions.timeout} is aborted first, and the record
 * goes once nothing names it. A pass reads the transaction records, which are only those in
 * flight and those left behind.
 */
public final class TransactionRecovery implements Duty {
    private static final Logger LOG = Logger.getLogger(TransactionRecovery.class);
    /** A record younger than this belongs to a coordinator that is most likely still at work. */
    private static final long SETTLE_AFTER_MILLIS = 2_000;

    private final TransactionLog log;
    private final ItemStore items;
    private final TableCatalog catalog;
    private final Meters meters;
    private final long intervalMillis;

    public TransactionRecovery(TransactionLog log, ItemStore items, TableCatalog catalog, Meters meters,
                               long intervalMillis) {
        this.log = log;
        this.items = items;
        this.catalog = catalog;
        this.meters = meters;
        this.intervalMillis = intervalMillis;
        meters.gauge("eddy.transactions.records", () -> count());
    }

    private volatile long lastCount;

    private long count() {
        return lastCount;
    }

    @Override
    public String name() {
        return "transaction-recovery";
    }

    @Override
    public long intervalMillis() {
        return intervalMillis;
    }

    @Override
    public boolean run(Held held) {
        long now = System.currentTimeMillis();
        List<TransactionLog.Entry> stale = new ArrayList<>();
        long[] seen = {0};
        log.forEach((id, e) -> {
            seen[0]++;
            if (now - e.createdMillis() > SETTLE_AFTER_MILLIS) {
                stale.add(e);
            }
        });
        lastCount = seen[0];
        for (TransactionLog.Entry e : stale) {
            if (!held.stillHeld()) {
                return true;
            }
            settle(e, now);
        }
        return false;
    }

    /** Settles one transaction's locks by its state (aborting it first if it ran out of time), then forgets it. */
    void settle(TransactionLog.Entry e, long now) {
        TransactionState state = e.state();
        if (state == TransactionState.PENDING) {
            if (!log.expired(e, now)) {
                return;
            }
            log.decide(e.transactionId(), TransactionState.ABORTED);
            TransactionLog.Entry after = log.find(e.transactionId());
            state = after == null ? TransactionState.ABORTED : after.state();
        }
        boolean commit = state == TransactionState.COMMITTED;
        for (TransactionLog.Item item : e.items()) {
            TableDefinition t = catalog.findConsistent(item.table());
            if (t == null || !t.cacheName().equals(item.cacheName())) {
                continue; // the table is gone, and the lock with it
            }
            items.release(t, item.key(), e.transactionId(), commit);
        }
        log.remove(e.transactionId());
        meters.counter("eddy.transactions.recovered", "outcome", commit ? "committed" : "aborted").increment();
        LOG.infof("Settled transaction %s left by its coordinator (%s, %d items)", e.transactionId(),
                commit ? "committed" : "aborted", e.items().size());
    }
}

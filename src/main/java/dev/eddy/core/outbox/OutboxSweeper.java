package dev.eddy.core.outbox;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Finishes what dead processes left (a duty of the maintenance role, one holder in the cluster):
 * every process whose heartbeat stopped, or that ended, is claimed, and each page it entered in
 * the pending set is carried out and touched (so a write of the dead process still in flight fails
 * and starts over under a live identity), then its entry removed; a claimed process with no
 * entries left is forgotten. A pass reads the process list and, only when someone died, the
 * pending set: an idle cluster costs one small read per pass.
 */
public final class OutboxSweeper implements Duty {
    private static final Logger LOG = Logger.getLogger(OutboxSweeper.class);

    private final Instances instances;
    private final PendingPages pending;
    private final WriteCompletion completion;
    private final TableCatalog catalog;
    private final Meters meters;
    private final long intervalMillis;

    public OutboxSweeper(Instances instances, PendingPages pending, WriteCompletion completion, TableCatalog catalog,
                         Meters meters, long intervalMillis) {
        this.instances = instances;
        this.pending = pending;
        this.completion = completion;
        this.catalog = catalog;
        this.meters = meters;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public String name() {
        return "outbox-sweeper";
    }

    @Override
    public long intervalMillis() {
        return intervalMillis;
    }

    @Override
    public boolean run(Held held) {
        long now = System.currentTimeMillis();
        Set<String> claimed = new HashSet<>();
        for (Instances.Entry e : instances.all()) {
            if (instances.claimable(e, now) && instances.claim(e.id())) {
                if (e.state() == Instances.State.ALIVE) {
                    LOG.infof("Instance %s (%s) stopped its heartbeat; finishing what it left", e.id(), e.role());
                }
                claimed.add(e.id());
            }
        }
        if (claimed.isEmpty()) {
            return false;
        }
        Map<String, Integer> left = new HashMap<>();
        claimed.forEach(id -> left.put(id, 0));
        boolean[] stopped = {false};
        pending.forEach((key, entry) -> {
            if (stopped[0] || !claimed.contains(entry.identity())) {
                return;
            }
            if (!held.stillHeld()) {
                stopped[0] = true;
                return;
            }
            TableDefinition table = catalog.findConsistent(entry.table());
            String outcome = table == null ? "its table is gone"
                    : !table.cacheName().equals(entry.location().space().cacheName()) ? "its table was deleted and created again"
                    : completion.finishLeftovers(table, entry.location());
            if (outcome != null) {
                pending.remove(key);
                meters.counter("eddy.outbox.leftover-pages.finished").increment();
                // once per page, so a run shows what became of a dead process's unfinished writes
                LOG.infof("Finished page %s of table %s left by instance %s: %s", PendingPages.describe(entry.location()),
                        entry.table(), entry.identity(), outcome);
            } else {
                left.merge(entry.identity(), 1, Integer::sum);
            }
        });
        if (stopped[0]) {
            return true;
        }
        left.forEach((id, count) -> {
            if (count == 0) {
                instances.forget(id);
            }
        });
        return left.values().stream().anyMatch(c -> c > 0);
    }
}

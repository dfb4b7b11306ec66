package dev.eddy.core.maintenance;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.Meters;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.lease.Leases;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The maintenance role (DESIGN.md, "Components"): runs every background duty this process can take
 * a lease on. Each tick it asks the duty sources which duties exist now (fixed ones, and one per
 * table or index where work is per table or index), tries to take the leases of those it does not
 * hold, renews the ones it holds, and runs each held duty on a small pool, one run at a time per
 * duty. A duty whose lease is lost stops at its next check; a duty whose holder dies is taken by
 * another maintenance process once the lease expires.
 */
public final class Maintenance implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Maintenance.class);
    private static final long TICK_MILLIS = 250;

    private final Leases leases;
    private final Instances instances;
    private final Meters meters;
    /** Sources may be added after start (the application's event source mappings), so ticks read a copy. */
    private final List<Supplier<Collection<Duty>>> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Running> held = new ConcurrentHashMap<>();
    private final Map<String, Long> nextAttempt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-maintenance"));
    private final ExecutorService workers = Executors.newFixedThreadPool(4, BackgroundThreads.named("eddy-duty"));
    private volatile boolean closed;

    /** A duty this process holds: its lease as last renewed, and whether a run is in progress. */
    private final class Running implements Duty.Held {
        final Duty duty;
        volatile Leases.Lease lease;
        volatile boolean busy;
        volatile long dueMillis;
        volatile boolean wanted = true;

        Running(Duty duty, Leases.Lease lease) {
            this.duty = duty;
            this.lease = lease;
        }

        /** Renews the lease on the way when a third of its life is gone, so long runs keep it. */
        @Override
        public boolean stillHeld() {
            if (closed || !wanted || !leases.valid(lease)) {
                return false;
            }
            if (lease.expiresMillis() - System.currentTimeMillis() < leases.leaseMillis() * 2 / 3) {
                return renew();
            }
            return true;
        }

        @Override
        public byte[] state() {
            return lease.state();
        }

        @Override
        public synchronized boolean saveState(byte[] state) {
            if (!stillHeld()) {
                return false;
            }
            Leases.Lease renewed = leases.renew(lease, state);
            if (renewed == null) {
                lease = new Leases.Lease(lease.name(), lease.holder(), lease.epoch(), 0, lease.state(), lease.version());
                return false;
            }
            lease = renewed;
            return true;
        }

        @Override
        public long epoch() {
            return lease.epoch();
        }

        synchronized boolean renew() {
            Leases.Lease renewed = leases.renew(lease, null);
            if (renewed == null) {
                return false;
            }
            lease = renewed;
            return true;
        }
    }

    public Maintenance(Leases leases, Instances instances, Meters meters) {
        this.leases = leases;
        this.instances = instances;
        this.meters = meters;
        meters.gauge("eddy.duties.held", held::size);
    }

    /** Adds a source of duties, asked on every tick (it must be cheap: no server reads beyond near-cached ones). */
    public Maintenance addSource(Supplier<Collection<Duty>> source) {
        sources.add(source);
        return this;
    }

    public Maintenance start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The names of the duties this process holds now. */
    public Set<String> heldDuties() {
        return Set.copyOf(held.keySet());
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            Map<String, Duty> wanted = new java.util.LinkedHashMap<>();
            for (Supplier<Collection<Duty>> source : sources) {
                try {
                    for (Duty d : source.get()) {
                        wanted.putIfAbsent(d.name(), d);
                    }
                } catch (RuntimeException e) {
                    failed("duty-source", e, "the next tick asks again");
                }
            }
            long now = System.currentTimeMillis();
            for (Running r : held.values()) {
                if (!wanted.containsKey(r.duty.name())) {
                    r.wanted = false;
                    if (!r.busy) {
                        drop(r, true);
                    }
                    continue;
                }
                if (r.lease.expiresMillis() - now < leases.leaseMillis() * 2 / 3 && !r.busy && !r.renew()) {
                    LOG.infof("Lost the lease of duty %s", r.duty.name());
                    drop(r, false);
                    continue;
                }
                if (!r.busy && now >= r.dueMillis) {
                    launch(r);
                }
            }
            String me = instances.current();
            for (Duty d : wanted.values()) {
                if (held.containsKey(d.name()) || now < nextAttempt.getOrDefault(d.name(), 0L)) {
                    continue;
                }
                Leases.Lease lease = leases.tryAcquire(d.name(), me);
                if (lease == null) {
                    nextAttempt.put(d.name(), now + Math.max(TICK_MILLIS, leases.leaseMillis() / 5));
                    continue;
                }
                nextAttempt.remove(d.name());
                LOG.infof("Took duty %s (epoch %d)", d.name(), lease.epoch());
                meters.counter("eddy.duty.taken", "duty", kind(d.name())).increment();
                Running r = new Running(d, lease);
                held.put(d.name(), r);
                launch(r);
            }
            nextAttempt.keySet().retainAll(wanted.keySet());
        } catch (RuntimeException e) {
            failed("maintenance-tick", e, "the next tick tries again");
        }
    }

    private void launch(Running r) {
        r.busy = true;
        workers.execute(() -> {
            boolean more = false;
            try {
                if (r.stillHeld() || r.renew()) {
                    more = r.duty.run(r);
                    meters.counter("eddy.duty.runs", "duty", kind(r.duty.name())).increment();
                }
            } catch (Exception e) {
                failed(kind(r.duty.name()), e, "its next run retries");
            } finally {
                r.dueMillis = System.currentTimeMillis() + (more ? 0 : r.duty.intervalMillis());
                r.busy = false;
                if (!r.wanted) {
                    drop(r, true);
                }
            }
        });
    }

    private void drop(Running r, boolean release) {
        if (held.remove(r.duty.name(), r)) {
            if (release) {
                try {
                    leases.release(r.lease);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "Releasing %s failed; it expires by itself", r.duty.name());
                }
            }
            try {
                r.duty.stopped();
            } catch (RuntimeException e) {
                LOG.debugf(e, "Stopping %s", r.duty.name());
            }
        }
    }

    /** A background failure: WARN with what retries it, and counted. */
    void failed(String task, Throwable e, String retry) {
        meters.failures().report(task, "Background task " + task, e, retry);
    }

    /** The duty's kind: its name up to the first colon (per-table duties share a kind). */
    static String kind(String dutyName) {
        int colon = dutyName.indexOf(':');
        return colon < 0 ? dutyName : dutyName.substring(0, colon);
    }

    /** Stops every duty and releases their leases, so other processes take them at once. */
    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Running r : List.copyOf(held.values())) {
            drop(r, true);
        }
    }
}

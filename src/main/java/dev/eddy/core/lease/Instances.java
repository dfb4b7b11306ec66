package dev.eddy.core.lease;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.Meters;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every Eddy process's identity and liveness, in the {@value #CACHE} cache: an entry per process
 * start, kept alive by a heartbeat. Work a process leaves for later is tied to its identity (the
 * pages it wrote change records to, see {@code outbox.PendingPages}); when its heartbeat stops, or
 * it ends gracefully, the maintenance role claims its identity and finishes that work.
 *
 * <p>Fencing is by time, as with any lease: a process acts under its identity only while its own
 * clock is {@link #margin} short of the heartbeat's expiry, and a claimer only once its clock is
 * {@link #margin} past it, so with clocks closer than the margin the two never overlap. A write
 * already in flight when its writer's identity is claimed is fenced by the claimer touching every
 * page it finishes (a compare-and-set), so the late write fails and retries under a new identity.
 */
public final class Instances implements AutoCloseable {
    public static final String CACHE = Storage.PREFIX + "instances";
    private static final Logger LOG = Logger.getLogger(Instances.class);

    public enum State { ALIVE, ENDED, CLAIMED }

    /** One process's entry. */
    public record Entry(String id, String role, long startedMillis, long aliveUntilMillis, State state) {
        byte[] encode() {
            return new ByteWriter(64).string(role).int64(startedMillis).int64(aliveUntilMillis)
                    .write(state.ordinal()).toByteArray();
        }

        static Entry decode(String id, byte[] bytes) {
            ByteReader r = new ByteReader(bytes);
            return new Entry(id, r.string(), r.int64(), r.int64(), State.values()[r.read()]);
        }
    }

    private final Storage storage;
    private final String role;
    private final long leaseMillis;
    private final long margin;
    private final Meters meters;
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-heartbeat"));
    private final List<Runnable> onNewIdentity = new CopyOnWriteArrayList<>();
    private volatile String id;
    private volatile long aliveUntil;
    private volatile boolean closed;

    public Instances(Storage storage, String role, long leaseMillis, Meters meters) {
        this.storage = storage;
        this.role = role;
        this.leaseMillis = leaseMillis;
        this.margin = Math.max(1, leaseMillis / 3);
        this.meters = meters;
        storage.createCache(CACHE);
        register();
        heartbeat.scheduleWithFixedDelay(this::beat, margin, margin, TimeUnit.MILLISECONDS);
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private synchronized void register() {
        String next = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        Entry e = new Entry(next, role, now, now + leaseMillis, State.ALIVE);
        cache().put(key(next), e.encode());
        aliveUntil = e.aliveUntilMillis();
        id = next;
        LOG.debugf("Instance %s (%s) registered", next, role);
        onNewIdentity.forEach(Runnable::run);
    }

    /** Runs when this process had to take a new identity (its old one was claimed as dead). */
    public void onNewIdentity(Runnable action) {
        onNewIdentity.add(action);
    }

    /** How long an identity or lease lives without renewal. */
    public long leaseMillis() {
        return leaseMillis;
    }

    /** The safety margin on both sides of an expiry: clocks must be closer than this. */
    public long margin() {
        return margin;
    }

    /**
     * This process's identity, fit to act under now: renewed first when the heartbeat is late, and
     * replaced when the old one was claimed.
     */
    public String current() {
        if (System.currentTimeMillis() < aliveUntil - margin) {
            return id;
        }
        synchronized (this) {
            if (System.currentTimeMillis() >= aliveUntil - margin) {
                renew();
            }
            return id;
        }
    }

    /** When the heartbeat last renewed this process's identity (or registered it), by this process's clock. */
    public long renewedMillis() {
        return aliveUntil - leaseMillis;
    }

    /** The identity as last registered, without a liveness check (for logs and lease holders). */
    public String id() {
        return id;
    }

    private void beat() {
        if (closed) {
            return;
        }
        try {
            synchronized (this) {
                renew();
            }
        } catch (RuntimeException e) {
            meters.failures().report("heartbeat", "The heartbeat of instance " + id, e, "retried in " + margin + " ms");
        }
    }

    /** Extends this identity's life, or takes a new one when it was claimed or is past saving. */
    private void renew() {
        long now = System.currentTimeMillis();
        for (int attempt = 0; attempt < 10; attempt++) {
            Entries.Versioned current = cache().getVersioned(key(id));
            Entry e = current == null ? null : Entry.decode(id, current.value());
            if (e == null || e.state() != State.ALIVE || e.aliveUntilMillis() + margin < now) {
                LOG.warnf("Instance %s was taken for dead (heartbeat %s); continuing as a new instance", id,
                        e == null ? "gone" : e.state());
                meters.counter("eddy.instances.reidentified").increment();
                register();
                return;
            }
            Entry next = new Entry(id, role, e.startedMillis(), now + leaseMillis, State.ALIVE);
            if (cache().replace(key(id), next.encode(), current)) {
                aliveUntil = next.aliveUntilMillis();
                return;
            }
        }
        throw new IllegalStateException("heartbeat of " + id + " did not settle");
    }

    /** Every registered process, as stored now. */
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        cache().forEachEntry((k, v) -> out.add(Entry.decode(new String(k, StandardCharsets.UTF_8), v)));
        return out;
    }

    /** Whether another process may claim this entry now: it ended, or its heartbeat is past expiry by the margin. */
    public boolean claimable(Entry e, long nowMillis) {
        return !e.id().equals(id) && (e.state() != State.ALIVE || e.aliveUntilMillis() + margin < nowMillis);
    }

    /** Marks a dead or ended process claimed, so it can no longer renew; false when it came back to life. */
    public boolean claim(String deadId) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Entries.Versioned current = cache().getVersioned(key(deadId));
            if (current == null) {
                return true;
            }
            Entry e = Entry.decode(deadId, current.value());
            if (e.state() == State.CLAIMED) {
                return true;
            }
            if (!claimable(e, System.currentTimeMillis())) {
                return false;
            }
            Entry claimed = new Entry(deadId, e.role(), e.startedMillis(), e.aliveUntilMillis(), State.CLAIMED);
            if (cache().replace(key(deadId), claimed.encode(), current)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets a claimed process once everything it left is finished. */
    public void forget(String deadId) {
        cache().remove(key(deadId));
    }

    /** A graceful end: the process's leftovers are handed to the maintenance role at once. */
    @Override
    public void close() {
        closed = true;
        heartbeat.shutdownNow();
        try {
            Entries.Versioned current = cache().getVersioned(key(id));
            if (current != null) {
                Entry e = Entry.decode(id, current.value());
                cache().replace(key(id), new Entry(id, role, e.startedMillis(), e.aliveUntilMillis(), State.ENDED).encode(),
                        current.version());
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Instance %s could not say it ended; it will be taken for dead when its heartbeat expires", id);
        }
    }
}

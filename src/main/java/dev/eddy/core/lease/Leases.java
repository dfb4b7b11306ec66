package dev.eddy.core.lease;

import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import java.nio.charset.StandardCharsets;

/**
 * Expiring, fenced leases in the {@value #CACHE} cache: each background duty is held by one live
 * process at a time. A lease has a holder, an expiry, an epoch that grows by one each time it
 * changes hands, and a small state (a duty's cursor). Every change is a compare-and-set on the
 * lease's entry, so a holder that lost its lease can neither renew it nor move its cursor: the
 * cursor is fenced by the entry's version, and acting is fenced by time as in {@link Instances}.
 */
public final class Leases {
    public static final String CACHE = Storage.PREFIX + "leases";

    private final Storage storage;
    private final long leaseMillis;
    private final long margin;

    /** A lease as read: {@code version} is what the next compare-and-set names. */
    public record Lease(String name, String holder, long epoch, long expiresMillis, byte[] state, long version) {
        byte[] encode() {
            return new ByteWriter(48 + state.length).string(holder).int64(epoch).int64(expiresMillis).bytes(state)
                    .toByteArray();
        }

        static Lease decode(String name, Entries.Versioned v) {
            ByteReader r = new ByteReader(v.value());
            return new Lease(name, r.string(), r.int64(), r.int64(), r.bytes(), v.version());
        }
    }

    public Leases(Storage storage, long leaseMillis) {
        this.storage = storage;
        this.leaseMillis = leaseMillis;
        this.margin = Math.max(1, leaseMillis / 3);
        storage.createCache(CACHE);
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    public long leaseMillis() {
        return leaseMillis;
    }

    /** The lease as stored, or null when nobody ever held it. */
    public Lease read(String name) {
        Entries.Versioned v = cache().getVersioned(key(name));
        return v == null ? null : Lease.decode(name, v);
    }

    /**
     * Takes the lease for {@code holder} when it is free (never held, released, or expired by more
     * than the margin) or already the holder's; null when someone else holds it.
     */
    public Lease tryAcquire(String name, String holder) {
        long now = System.currentTimeMillis();
        Entries.Versioned v = cache().getVersioned(key(name));
        if (v == null) {
            Lease fresh = new Lease(name, holder, 1, now + leaseMillis, new byte[0], 0);
            return cache().putIfAbsent(key(name), fresh.encode()) ? read(name) : null;
        }
        Lease current = Lease.decode(name, v);
        boolean mine = current.holder().equals(holder);
        if (!mine && current.expiresMillis() + margin >= now) {
            return null;
        }
        Lease next = new Lease(name, holder, mine ? current.epoch() : current.epoch() + 1, now + leaseMillis,
                current.state(), v.version());
        return cache().replace(key(name), next.encode(), v) ? read(name) : null;
    }

    /** Extends the lease (and stores a new state when given); null when it was lost meanwhile. */
    public Lease renew(Lease lease, byte[] newState) {
        long now = System.currentTimeMillis();
        Lease next = new Lease(lease.name(), lease.holder(), lease.epoch(), now + leaseMillis,
                newState == null ? lease.state() : newState, lease.version());
        return cache().replace(key(lease.name()), next.encode(), lease.version()) ? read(lease.name()) : null;
    }

    /** Whether the holder may still act under the lease by its own clock. */
    public boolean valid(Lease lease) {
        return lease != null && System.currentTimeMillis() < lease.expiresMillis() - margin;
    }

    /** Gives the lease up at once (a graceful stop), keeping its state for the next holder. */
    public void release(Lease lease) {
        Lease free = new Lease(lease.name(), lease.holder(), lease.epoch(), 0, lease.state(), lease.version());
        cache().replace(key(lease.name()), free.encode(), lease.version());
    }

    /** Forgets a lease whose work is over for good (an index built, a table gone). */
    public void remove(String name) {
        cache().remove(key(name));
    }
}

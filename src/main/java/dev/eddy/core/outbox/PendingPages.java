package dev.eddy.core.outbox;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.Meters;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.storage.ChangeLog;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.Storage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The durable pending set (DESIGN.md, "Storage"): before a process stores a change record in a
 * page for the first time, it enters (its identity, the page) in the {@value #CACHE} cache. So
 * every page that may hold a record not yet carried out is named there under a live process, or
 * under a dead one whose leftovers the maintenance role finishes ({@link OutboxSweeper}); nothing
 * ever needs to read a table to find unfinished records, and an idle table costs nothing.
 *
 * <p>A process enters a page once and keeps it while it writes there, so a page written often
 * costs one extra write per identity, not per change; it removes its own entries once their pages
 * are clean and it has stopped writing them. Entries of a claimed identity are never reused: the
 * process takes a new identity and enters its pages again.
 */
public final class PendingPages implements AutoCloseable {
    public static final String CACHE = Storage.PREFIX + "pending";
    private static final Logger LOG = Logger.getLogger(PendingPages.class);
    /** How long a page stays entered after this process last wrote to it. */
    private static final long IDLE_MILLIS = 2_000;
    /**
     * How long after a first read found a page clean a second must find it so before its entry goes. A
     * replica that missed the page's last writes (a node cut off before it notices, or merging back
     * after a partition) answers for a second or so without the records they stored; taken at its
     * word, the entry went while records waited, and nothing named the page any more.
     */
    private static final long CLEAN_CONFIRM_MILLIS = 5_000;

    private final Storage storage;
    private final Instances instances;
    private final ItemStore items;
    private final Meters meters;
    private final Map<ChangeLog.Location, Marker> markers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService janitor =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-pending-janitor"));

    /** This process's entry for one page: whether it is stored, and writes in flight under it. */
    static final class Marker {
        final ChangeLog.Location location;
        final String table;
        String identity;
        boolean durable;
        int inflight;
        long lastUsed;
        /** When a tidy first read the page with no record waiting (0: not since the last write). */
        long cleanSince;

        Marker(ChangeLog.Location location, String table) {
            this.location = location;
            this.table = table;
        }
    }

    /** An entry as stored: whose it is, where, and for which table. */
    public record Entry(String identity, ChangeLog.Location location, String table, long createdMillis) {
    }

    public PendingPages(Storage storage, Instances instances, ItemStore items, Meters meters) {
        this(storage, instances, items, meters, cacheName -> true);
    }

    private final java.util.function.Predicate<String> cacheLives;

    /** @param cacheLives whether a table cache still belongs to a table (a deleted table's pages are let go) */
    public PendingPages(Storage storage, Instances instances, ItemStore items, Meters meters,
                        java.util.function.Predicate<String> cacheLives) {
        this.cacheLives = cacheLives;
        this.storage = storage;
        this.instances = instances;
        this.items = items;
        this.meters = meters;
        storage.createCache(CACHE);
        // The old identity's entries are the sweeper's now, but a page this process still knows of is entered
        // again under the new one: the sweeper may have finished it while a write to it was still in flight (the
        // cluster away longer than a heartbeat), and a record that write stored would wait under nobody.
        instances.onNewIdentity(this::reenterAll);
        meters.gauge("eddy.outbox.pending-pages", markers::size);
        janitor.scheduleWithFixedDelay(this::tidy, IDLE_MILLIS, IDLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    static byte[] key(String identity, ChangeLog.Location l) {
        ByteWriter w = new ByteWriter(64 + l.partition().length).string(identity).string(l.space().cacheName())
                .bytes(l.space().prefix()).write(l.space().sorted() ? 1 : 0).write(l.space().listed() ? 1 : 0)
                .bytes(l.partition());
        if (l.pageId() == null) {
            w.write(0);
        } else {
            w.write(1).int64(l.pageId());
        }
        return w.toByteArray();
    }

    static Entry decode(byte[] key, byte[] value) {
        ByteReader r = new ByteReader(key);
        String identity = r.string();
        String cacheName = r.string();
        byte[] prefix = r.bytes();
        boolean sorted = r.read() == 1;
        boolean listed = r.read() == 1;
        byte[] partition = r.bytes();
        Long pageId = r.read() == 1 ? r.int64() : null;
        ByteReader v = new ByteReader(value);
        long created = v.int64();
        String table = v.string();
        CollectionSpace space = new CollectionSpace(cacheName, prefix, sorted, table, listed);
        return new Entry(identity, new ChangeLog.Location(space, partition, pageId), table, created);
    }

    /**
     * Makes sure the page is entered under this process's identity before a record is stored
     * there (fenced: the identity is renewed first if its heartbeat is late). The token goes back
     * to {@link #attempted}.
     */
    Object ensure(String table, ChangeLog.Location location) {
        String me = instances.current();
        while (true) {
            Marker m = markers.computeIfAbsent(location, l -> new Marker(l, table));
            synchronized (m) {
                if (markers.get(location) != m) {
                    continue; // tidied away while we waited: enter the page afresh
                }
                enter(m, me);
                m.inflight++;
                m.lastUsed = System.currentTimeMillis();
                return m;
            }
        }
    }

    /** Stores the page's entry under {@code me} unless it is stored under it already (call holding the marker). */
    private void enter(Marker m, String me) {
        if (!m.durable || !me.equals(m.identity)) {
            cache().put(key(me, m.location), new ByteWriter(32).int64(System.currentTimeMillis()).string(m.table)
                    .toByteArray());
            m.identity = me;
            m.durable = true;
            meters.counter("eddy.outbox.pending-entries.written").increment();
        }
    }

    void attempted(Object token, boolean stored) {
        Marker m = (Marker) token;
        String enteredAs;
        synchronized (m) {
            m.inflight--;
            m.lastUsed = System.currentTimeMillis();
            enteredAs = m.identity;
        }
        if (!instances.id().equals(enteredAs)) {
            // The write was in flight while its identity was taken for dead (the cluster away longer than a
            // heartbeat): the sweeper may have finished the page before the compare-and-set landed, so a
            // record it stored would wait under nobody. The page is entered again under the live identity.
            meters.counter("eddy.outbox.pages.reentered").increment();
            try {
                janitor.execute(() -> reenter(m.location, m.table));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // this process is stopping: its pages go to the sweeper as it ends
            }
        }
    }

    private void reenterAll() {
        try {
            janitor.execute(() -> markers.values().forEach(m -> reenter(m.location, m.table)));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // this process is stopping: its pages go to the sweeper as it ends
        }
    }

    /** Enters a page under this process's live identity, to be tidied (or retried) like any page it writes. */
    private void reenter(ChangeLog.Location location, String table) {
        try {
            while (true) {
                Marker m = markers.computeIfAbsent(location, l -> new Marker(l, table));
                synchronized (m) {
                    if (markers.get(location) != m) {
                        continue;
                    }
                    m.lastUsed = System.currentTimeMillis();
                    enter(m, instances.current());
                    return;
                }
            }
        } catch (RuntimeException e) {
            meters.failures().report("pending-reenter", "Entering a page of " + table + " under the live identity", e,
                    "the janitor tries again while records wait there");
        }
    }

    /** Removes this process's entries for pages it stopped writing and whose records are all carried out. */
    private void tidy() {
        long idleBefore = System.currentTimeMillis() - IDLE_MILLIS;
        for (Marker m : markers.values()) {
            try {
                synchronized (m) {
                    if (m.inflight > 0 || m.lastUsed > idleBefore) {
                        continue;
                    }
                    boolean gone = !cacheLives.test(m.location.space().cacheName());
                    ItemStore.PendingRecords waiting = gone ? null : items.pendingRecords(m.location);
                    if (waiting != null && !waiting.records().isEmpty()) {
                        m.cleanSince = 0;
                        enter(m, instances.current()); // e.g. a re-entry that failed: records wait under a live identity
                        continue;
                    }
                    if (!gone && !cleanForSure(m)) {
                        continue; // read clean once: the next tidy after the confirmation time reads it again
                    }
                    if (gone) {
                        LOG.infof("Let go of page %s of table %s: its cache is gone", describe(m.location), m.table);
                    }
                    if (m.durable) {
                        cache().remove(key(m.identity, m.location));
                    }
                    m.durable = false;
                    markers.remove(m.location, m);
                }
            } catch (RuntimeException e) {
                meters.failures().report("pending-tidy", "Tidying the pending entry of a page of " + m.table, e,
                        "tried again in " + IDLE_MILLIS + " ms");
            }
        }
    }

    /**
     * Whether a page read clean now was read clean before too, {@link #CLEAN_CONFIRM_MILLIS} or more
     * ago and after this process's last write to it (call holding the marker).
     */
    private static boolean cleanForSure(Marker m) {
        long now = System.currentTimeMillis();
        if (m.cleanSince == 0 || m.cleanSince <= m.lastUsed || now - m.cleanSince > 12 * CLEAN_CONFIRM_MILLIS) {
            m.cleanSince = now; // a first sighting (or one too old to confirm anything)
            return false;
        }
        return now - m.cleanSince >= CLEAN_CONFIRM_MILLIS;
    }

    /** A page for logs: its collection space, partition key (text when printable, else hex) and leaf page. */
    static String describe(ChangeLog.Location l) {
        byte[] p = l.partition();
        boolean printable = true;
        for (byte b : p) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        String partition = printable ? new String(p, java.nio.charset.StandardCharsets.US_ASCII)
                : java.util.HexFormat.of().formatHex(p);
        return l.space() + "/" + partition + (l.pageId() == null ? "" : "/page-" + l.pageId());
    }

    /** Pages this process entered that may hold records (for its own retries). */
    java.util.Collection<Marker> own() {
        return markers.values();
    }

    /** Every stored entry (for the sweeper): a pass over the pending set, which holds only recent pages. */
    public void forEach(BiConsumer<byte[], Entry> visitor) {
        cache().forEachEntry((k, v) -> visitor.accept(k, decode(k, v)));
    }

    public void remove(byte[] key) {
        cache().remove(key);
    }

    @Override
    public void close() {
        janitor.shutdownNow();
    }
}

package dev.eddy.core.outbox;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.Meters;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ChangeLog;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.StreamRecords;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.ttl.ExpiryIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Carries out change records (DESIGN.md, "Storage", requirement 3): the change log as the storage
 * engine sees it ({@link ChangeLog}). A write that stores a record has its page entered in the
 * durable pending set first ({@link PendingPages}); once it commits, its local indexes are placed
 * before it is acknowledged, and the rest follows at once in the background: the records waiting
 * in the page, oldest first, are reconciled into the global indexes and the expiry queue, then
 * published to the stream in order, then cleared from the page (by the page's next write, or
 * shortly by a compare-and-set of their own).
 *
 * <p>Every step can be repeated: index entries and timers go by sequence, and stream readers drop
 * copies by (key, sequence) that follow closely. A record whose step failed (Kafka away) stays in
 * its page and is retried here while this process lives, leaving out what Kafka took after all; what a dead process left is finished by the maintenance
 * role from the pending set ({@link OutboxSweeper}).
 */
public final class WriteCompletion implements ChangeLog, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WriteCompletion.class);
    /** How long finished records wait for a write to the page to drop them before a write of their own. */
    private static final long CLEAR_DELAY_MILLIS = 200;
    /** Locations remembered for retry; past it, the retry pass goes through this process's pending entries. */
    private static final int MAX_RETRIES_REMEMBERED = 10_000;

    private final String region;
    private final ItemStore items;
    private final TableCatalog catalog;
    private final SecondaryIndexes indexes;
    private final ExpiryIndex expiries;
    private final StreamPublisher publisher;
    private final PendingPages pending;
    private final Meters meters;
    private final long retryMillis;
    private final Map<Location, Progress> progress = new ConcurrentHashMap<>();
    /**
     * Per location whose progress was dropped (its records cleared, or its page read as gone), the highest
     * sequence this process had sent from it. A page can still hold records after that: a clear made
     * against a page read before a write that was still to land (a replica catching up after a restart),
     * and another process's records this process sent. Without it the next write's snapshot sent them all
     * again, every write while clears lagged: in the fault suite's scenario 2 (whole cluster restarted,
     * then a rolling restart) one counter's record went to the topic 12 times. Least recently used dropped first.
     */
    private final Map<Location, Long> sentBefore = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Location, Long> eldest) {
                    return size() > MAX_SENT_REMEMBERED;
                }
            });
    private static final int MAX_SENT_REMEMBERED = 20_000;
    private final Map<Location, String> retries = new ConcurrentHashMap<>();
    /** Dead processes' pages a carry found gone, since when (see {@link #goneForSure}). */
    private final Map<Location, Long> goneSince = new ConcurrentHashMap<>();
    /** Longer than a replica behind the writes answers for (a partition's detection, a merge's conflict resolution). */
    private static final long GONE_CONFIRM_MILLIS = 5_000;
    private volatile boolean retryAllOwn;
    /** Retry passes so far; every {@link #OWN_PAGES_EVERY}th also looks at this process's pending pages. */
    private long passes;
    private static final int OWN_PAGES_EVERY = 20;
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(10_000), BackgroundThreads.named("eddy-write-completion"));
    /** How many remembered locations the retry pass carries at once while Kafka answers. */
    private static final int DRAIN_THREADS = 8;
    /** The retry pass's helpers: no thread while there is no backlog. */
    private final ThreadPoolExecutor drainers = new ThreadPoolExecutor(DRAIN_THREADS, DRAIN_THREADS, 30, TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(), BackgroundThreads.named("eddy-write-completion-drain"));
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-write-completion-timer"));

    /**
     * What this process knows of one page's records: the highest sequence it sent to the stream,
     * the records carried out but not yet cleared (a write may drop them), and the records whose
     * index and expiry work is done (so a retry only publishes).
     */
    private static final class Progress {
        long sentUpTo = Long.MIN_VALUE;
        final Set<Long> finished = ConcurrentHashMap.newKeySet();
        final Set<Long> upkept = ConcurrentHashMap.newKeySet();
        final Set<Long> localPlaced = ConcurrentHashMap.newKeySet();
        boolean settleScheduled;
        /**
         * A send failed: Kafka may hold some of its records all the same (taken, but not confirmed
         * before a broker died), so the next send first leaves out what the topic already has. (Another
         * instance writing the same page may still send them again: the fault suite's scenario 3.)
         */
        boolean sendFailed;
        /** {@link #sentUpTo} came from {@link WriteCompletion#sentBefore}. */
        boolean sentBeforeForgotten;
        /**
         * Records known to be stored as the owners hold them: in the outbox of a write of this process
         * that the owners acknowledged, or read twice {@link #CONFIRM_MILLIS} apart. Only these are
         * carried out.
         */
        final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
        /** Records a read found that are not confirmed yet: the record as first read, and when (held under the lock). */
        final Map<Long, Sighting> sightings = new java.util.HashMap<>();
    }

    private record Sighting(byte[] record, long at) {
    }

    /**
     * How long a record a read found, but no acknowledged write showed this process, waits to be read
     * again before it is carried out. A node cut off from the others answers from its own copy until
     * it fences itself (about 2 to 2.5 s, {@code MinorityFence}), and that copy may hold a write only it
     * applied (its backup never answered, the writer got an error), which the merge then drops: carried
     * out at its word, the write's record went to the stream and the indexes with the write itself gone
     * (the fault suite's scenario 6). Read again after this long, it comes from a copy the owners hold.
     */
    private static final long CONFIRM_MILLIS = GONE_CONFIRM_MILLIS;

    public WriteCompletion(String region, ItemStore items, TableCatalog catalog, SecondaryIndexes indexes,
                           ExpiryIndex expiries, StreamPublisher publisher, PendingPages pending, Meters meters,
                           long retryMillis) {
        this.region = region;
        this.items = items;
        this.catalog = catalog;
        this.indexes = indexes;
        this.expiries = expiries;
        this.publisher = publisher;
        this.pending = pending;
        this.meters = meters;
        this.retryMillis = retryMillis;
        drainers.allowCoreThreadTimeOut(true);
        meters.gauge("eddy.outbox.retry-pages", retries::size);
        meters.gauge("eddy.outbox.backlog", () -> workers.getQueue().size());
        timers.scheduleWithFixedDelay(this::retry, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
        items.changeLog(this);
    }

    // --- the storage engine's side ------------------------------------------------------------

    @Override
    public byte[] record(TableDefinition table, PrimaryKey key, Map<String, AttributeValue> oldItem,
                         Map<String, AttributeValue> newItem, long sequence, boolean byTimeToLive) {
        boolean streamed = table.streamSpec() != null && table.streamSpec().enabled() && publisher != null;
        StreamRecords.Message message = streamed
                ? StreamRecords.message(region, table, key, oldItem, newItem, sequence, byTimeToLive) : null;
        SecondaryIndexes.Touched touched = SecondaryIndexes.touched(table, oldItem, newItem);
        String ttl = table.timeToLiveAttribute();
        long oldExpiry = ExpiryIndex.expiry(oldItem, ttl);
        long newExpiry = ExpiryIndex.expiry(newItem, ttl);
        int flags = (message != null ? ChangeRecord.STREAM : 0)
                | (touched.any() || oldExpiry != newExpiry ? ChangeRecord.UPKEEP : 0);
        if (flags == 0) {
            return null;
        }
        flags |= newItem != null ? ChangeRecord.ITEM_AFTER : 0;
        return new ChangeRecord(sequence, flags, key, message, touched.left(), oldExpiry, newExpiry).encode();
    }

    @Override
    public Object beforeStore(TableDefinition table, Location location) {
        return pending.ensure(table.tableName(), location);
    }

    @Override
    public void attempted(Object token, boolean stored) {
        pending.attempted(token, stored);
    }

    @Override
    public void committed(TableDefinition table, Location location, List<byte[]> outbox, boolean overflow,
                          Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence) {
        Progress p = progressOf(location);
        // The owners acknowledged the page as this write stored it: its records are theirs.
        if (!overflow) {
            for (byte[] r : outbox) {
                p.confirmed.add(ChangeLog.sequenceOf(r));
            }
        }
        if (sequence != 0) {
            p.confirmed.add(sequence);
        }
        if (!table.localSecondaryIndexes().isEmpty() && sequence != 0) {
            // Before the write is acknowledged, so a strongly consistent Query on a local index sees it.
            indexes.placeLocal(table, oldItem, newItem, sequence);
            p.localPlaced.add(sequence);
        }
        try {
            workers.execute(() -> process(table, location, overflow ? null : outbox, false));
        } catch (java.util.concurrent.RejectedExecutionException full) {
            remember(table, location); // the records are safe in the page; the retry pass takes them
        }
    }

    @Override
    public Set<Long> finished(Location location) {
        Progress p = progress.get(location);
        return p == null ? Set.of() : p.finished;
    }

    // --- carrying records out -----------------------------------------------------------------

    /**
     * Carries out the records waiting at a location, oldest first: indexes and expiry timers, then
     * the stream. {@code snapshot} is the page's outbox as a write just stored it (null: read the
     * page, with its overflow entries). {@code leftovers} marks a dead process's records: the topic
     * is checked for what Kafka already has, and the page is touched even when nothing changes, to
     * fence the dead process's writes still in flight. True when every record is done.
     */
    boolean process(TableDefinition table, Location location, List<byte[]> snapshot, boolean leftovers) {
        return carry(table, location, snapshot, leftovers, leftovers) != null;
    }

    /**
     * {@link #process}, saying what it found: null while records wait, else what became of them.
     * {@code mayTry}: send even when the last send failed (the retry pass's probe, the sweeper).
     */
    private String carry(TableDefinition table, Location location, List<byte[]> snapshot, boolean leftovers,
                         boolean mayTry) {
        for (;;) {
            Progress p = progressOf(location);
            synchronized (p) {
                if (progress.get(location) != p) {
                    // forgotten between the lookup and the lock (a clear ran meanwhile): what this carry sends
                    // must be known to the next one, or the next write's carry sends it again
                    continue;
                }
                return carryLocked(table, location, snapshot, leftovers, mayTry, p);
            }
        }
    }

    private String carryLocked(TableDefinition table, Location location, List<byte[]> snapshot, boolean leftovers,
                               boolean mayTry, Progress p) {
        try {
            List<byte[]> raw = snapshot;
            Location at = location;
            int unconfirmed = 0;
            if (raw == null) {
                ItemStore.PendingRecords read = items.pendingRecords(location);
                if (read == null && leftovers && !goneForSure(location)) {
                    return null; // the sweeper comes back on its next run
                }
                if (read == null) {
                    forget(location, p);
                    return "the page is gone";
                }
                goneSince.remove(location);
                raw = confirmedPrefix(p, read.records());
                at = read.location();
                unconfirmed = read.records().size() - raw.size(); // they, and what waits behind them, wait
            }
            int waiting = raw.size() + unconfirmed;
            boolean allDone = carryOut(table, at, p, raw, leftovers, mayTry) && unconfirmed == 0;
            if (leftovers) {
                settle(at, p, true);
            } else {
                scheduleSettle(at, p);
            }
            if (!allDone) {
                remember(table, location);
                return null;
            }
            return waiting + " records waiting there, all carried out";
        } catch (RuntimeException e) {
            meters.failures().report("write-completion", "Carrying out change records of " + table.tableName(), e,
                    "retried within " + retryMillis + " ms");
            remember(table, location);
            return null;
        }
    }

    private boolean carryOut(TableDefinition table, Location location, Progress p, List<byte[]> raw, boolean leftovers,
                             boolean mayTry) {
        List<ChangeRecord> records = new ArrayList<>(raw.size());
        for (byte[] bytes : raw) {
            ChangeRecord r = ChangeRecord.decode(bytes);
            if (!p.finished.contains(r.sequence())) {
                records.add(r);
            }
        }
        for (ChangeRecord r : records) {
            if (r.wants(ChangeRecord.UPKEEP) && !p.upkept.contains(r.sequence()) && r.key() != null) {
                indexes.reconcile(table, r, !p.localPlaced.contains(r.sequence()));
                expiries.apply(table, r);
                p.upkept.add(r.sequence());
            }
        }
        List<StreamRecords.Message> messages = new ArrayList<>();
        long upTo = p.sentUpTo;
        int notAgain = 0;
        for (ChangeRecord r : records) {
            if (r.wants(ChangeRecord.STREAM) && r.sequence() > p.sentUpTo) {
                messages.add(r.message());
                upTo = Math.max(upTo, r.sequence());
            } else if (r.wants(ChangeRecord.STREAM) && p.sentBeforeForgotten) {
                notAgain++;
            }
        }
        if (notAgain > 0) {
            meters.counter("eddy.stream.records.not-sent-again").add(notAgain);
        }
        boolean sent = true;
        if (!messages.isEmpty()) {
            if (publisher == null) {
                sent = false; // no Kafka configured: the records wait (and say so in the logs at startup)
            } else if (!mayTry && publisher.failing()) {
                // Kafka refused the last send: the records wait in their page for the retry pass, which
                // tries Kafka again (remembered below); this page's upkeep above, and the next pages', did
                // not wait behind a send that cannot succeed.
                sent = false;
                meters.counter("eddy.stream.sends.deferred").increment();
            } else {
                if (leftovers || p.sendFailed) {
                    Set<String> there = publisher.onTopic(messages);
                    messages.removeIf(m -> there.contains(StreamPublisher.copyKey(m.topic(), m.key(),
                            StreamRecords.sequenceOfValue(m.value()))));
                }
                sent = messages.isEmpty() || publisher.sendAll(messages);
                p.sendFailed = !sent;
                if (sent) {
                    p.sentUpTo = upTo;
                    meters.counter("eddy.stream.records.published").add(messages.size());
                } else {
                    meters.failures().report("stream-publish", "Publishing " + messages.size() + " stream records of "
                            + table.tableName() + " to Kafka", null, "they wait in their page and are retried within "
                            + retryMillis + " ms");
                }
            }
        }
        boolean allDone = true;
        for (ChangeRecord r : records) {
            boolean streamDone = !r.wants(ChangeRecord.STREAM) || r.sequence() <= p.sentUpTo;
            boolean upkeepDone = !r.wants(ChangeRecord.UPKEEP) || p.upkept.contains(r.sequence()) || r.key() == null;
            if (streamDone && upkeepDone) {
                p.finished.add(r.sequence());
            } else {
                allDone = false;
            }
        }
        return allDone;
    }

    /**
     * The records of a read, oldest first, up to the first one not confirmed (see {@link #CONFIRM_MILLIS}):
     * a record read again unchanged that long after its first reading is confirmed. Call holding the lock.
     */
    private static List<byte[]> confirmedPrefix(Progress p, List<byte[]> read) {
        long now = System.currentTimeMillis();
        Set<Long> present = new HashSet<>();
        long newest = Long.MIN_VALUE;
        int confirmedUpTo = -1;
        boolean stopped = false;
        for (int i = 0; i < read.size(); i++) {
            byte[] r = read.get(i);
            long seq = ChangeLog.sequenceOf(r);
            present.add(seq);
            newest = Math.max(newest, seq);
            boolean confirmed = p.confirmed.contains(seq) || p.finished.contains(seq);
            if (!confirmed) {
                // every record read is sighted, those behind an unconfirmed one too: they wait with it, not after it
                Sighting first = p.sightings.get(seq);
                if (first != null && java.util.Arrays.equals(first.record(), r) && now - first.at() < 12 * CONFIRM_MILLIS) {
                    if (now - first.at() >= CONFIRM_MILLIS) {
                        p.confirmed.add(seq);
                        p.sightings.remove(seq);
                        confirmed = true;
                    }
                } else {
                    p.sightings.put(seq, new Sighting(r, now)); // a first reading (or one too old, or of other bytes)
                }
            }
            if (confirmed && !stopped) {
                confirmedUpTo = i;
            } else {
                stopped = true;
            }
        }
        // What the page no longer holds is forgotten (records settled by another process, or a copy the merge dropped).
        final long upTo = newest;
        p.sightings.keySet().removeIf(seq -> !present.contains(seq));
        p.confirmed.removeIf(seq -> seq < upTo && !present.contains(seq));
        return confirmedUpTo == read.size() - 1 ? read : read.subList(0, confirmedUpTo + 1);
    }

    /**
     * Whether a dead process's page a read found gone is gone: only once a read finds it so again
     * {@link #GONE_CONFIRM_MILLIS} after the first. A replica that missed the page's writes (a node
     * cut off before it notices, or merging back) answers that it is absent for a second or so; taken
     * at its word, the sweeper dropped the page's pending entry and its records waited for the page's
     * next write. (A live process's retry pass forgets such a page, but finds it again among its own
     * pending pages within {@link #OWN_PAGES_EVERY} passes; confirming there cost idle tables reads.)
     */
    private boolean goneForSure(Location location) {
        long now = System.currentTimeMillis();
        Long first = goneSince.get(location);
        if (first == null || now - first > 12 * GONE_CONFIRM_MILLIS) { // a sighting that old confirms nothing
            goneSince.put(location, now);
            return false;
        }
        if (now - first < GONE_CONFIRM_MILLIS) {
            return false;
        }
        goneSince.remove(location);
        return true;
    }

    private void scheduleSettle(Location location, Progress p) {
        if (p.settleScheduled || p.finished.isEmpty() && p.upkept.isEmpty()) {
            return;
        }
        p.settleScheduled = true;
        timers.schedule(() -> {
            synchronized (p) {
                p.settleScheduled = false;
                try {
                    settle(location, p, false);
                } catch (RuntimeException e) {
                    meters.failures().report("outbox-clear", "Clearing carried-out records", e,
                            "the page's next write or the retry pass clears them");
                }
            }
        }, CLEAR_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Drops finished records from the page and marks the upkept ones so, then forgets them here. */
    private void settle(Location location, Progress p, boolean touch) {
        Set<Long> finished = new HashSet<>(p.finished);
        Set<Long> upkept = new HashSet<>(p.upkept);
        items.settle(location, bytes -> {
            long seq = ChangeLog.sequenceOf(bytes);
            if (finished.contains(seq)) {
                return null;
            }
            if (upkept.contains(seq)) {
                ChangeRecord r = ChangeRecord.decode(bytes);
                return r.wants(ChangeRecord.UPKEEP) ? r.without(ChangeRecord.UPKEEP).encode() : bytes;
            }
            return bytes;
        }, touch);
        p.finished.removeAll(finished);
        p.confirmed.removeAll(finished);
        p.upkept.removeAll(upkept);
        p.localPlaced.removeIf(s -> finished.contains(s) || upkept.contains(s));
        if (p.finished.isEmpty() && p.upkept.isEmpty() && p.localPlaced.isEmpty() && p.sightings.isEmpty()) {
            forget(location, p);
        }
    }

    /** What this process knows of a location, with what it sent there before it last forgot it. */
    private Progress progressOf(Location location) {
        return progress.computeIfAbsent(location, l -> {
            Progress p = new Progress();
            Long sent = sentBefore.remove(l);
            if (sent != null) {
                p.sentUpTo = sent;
                p.sentBeforeForgotten = true;
            }
            return p;
        });
    }

    /** Drops a location's progress, keeping how far this process sent its records (see {@link #sentBefore}). */
    private void forget(Location location, Progress p) {
        if (progress.remove(location, p) && p.sentUpTo != Long.MIN_VALUE) {
            sentBefore.put(location, p.sentUpTo);
        }
    }

    /**
     * Finishes what a dead process left at a location (the sweeper's work): every record there is
     * carried out, and the page is touched so that a write the dead process still had in flight
     * fails and starts over under a live identity. Null while records wait; else what became of them
     * (for the sweeper's log).
     */
    public String finishLeftovers(TableDefinition table, Location location) {
        return carry(table, location, null, true, true);
    }

    // --- retries ------------------------------------------------------------------------------

    private void remember(TableDefinition table, Location location) {
        if (retries.size() >= MAX_RETRIES_REMEMBERED) {
            retryAllOwn = true;
        } else {
            retries.put(location, table.tableName());
        }
    }

    private void retry() {
        Map<Location, String> due = new java.util.HashMap<>(retries);
        due.keySet().forEach(retries::remove);
        // Every so often, and whenever the retry memory overflowed, the pages this process entered in the
        // pending set are looked at too: no record under a live identity waits for its page's next write.
        if (retryAllOwn || ++passes % OWN_PAGES_EVERY == 0) {
            retryAllOwn = false;
            for (PendingPages.Marker m : pending.own()) {
                due.putIfAbsent(m.location, m.table);
            }
        }
        boolean tried = false; // one send per pass tries Kafka while it refuses; the rest wait for the next pass
        Map<String, TableDefinition> tables = new java.util.HashMap<>(); // one catalog read per table and pass
        List<java.util.concurrent.Future<?>> drains = new ArrayList<>();
        for (Map.Entry<Location, String> e : due.entrySet()) {
            try {
                TableDefinition t = tables.containsKey(e.getValue()) ? tables.get(e.getValue())
                        : catalog.findConsistent(e.getValue());
                tables.put(e.getValue(), t);
                if (t == null || !t.cacheName().equals(e.getKey().space().cacheName())) {
                    continue; // the table is gone, and its records with it
                }
                if (publisher == null || !publisher.failing()) {
                    // Kafka answers: the locations are carried DRAIN_THREADS at a time (each send waits for
                    // its acknowledgement, and the producer puts concurrent sends in one request); one at a
                    // time, a backlog of thousands of pages after an outage took a round trip each
                    try {
                        drains.add(drainers.submit(() -> carryRemembered(t, e.getKey(), e.getValue(), false)));
                        continue;
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        // closing: carried here
                    }
                }
                long before = publisher == null ? 0 : publisher.attempts();
                carryRemembered(t, e.getKey(), e.getValue(), !tried);
                tried |= publisher != null && publisher.attempts() != before;
            } catch (RuntimeException failed) {
                forgetNot(e.getKey(), e.getValue(), failed);
            }
        }
        for (java.util.concurrent.Future<?> f : drains) { // the pass ends when its locations are carried
            try {
                f.get();
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException ignored) {
                // carryRemembered reports its own failures
            }
        }
    }

    private void carryRemembered(TableDefinition t, Location location, String table, boolean mayTry) {
        try {
            carry(t, location, null, false, mayTry);
        } catch (RuntimeException failed) {
            forgetNot(location, table, failed);
        }
    }

    /**
     * E.g. the catalog unavailable in a partition: the location stays remembered (dropping it left its
     * records to the page's next write, however long that took).
     */
    private void forgetNot(Location location, String table, RuntimeException failed) {
        retries.putIfAbsent(location, table);
        meters.failures().report("write-completion-retry", "Retrying change records of " + table, failed,
                "tried again in " + retryMillis + " ms");
    }

    /** Finishes what is queued, then stops (a graceful stop; anything left is the sweeper's). */
    @Override
    public void close() {
        timers.shutdownNow();
        drainers.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

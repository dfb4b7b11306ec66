package dev.eddy.core.storage;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes items in their collections. A write reads the page holding the item with its
 * version, applies the change, and stores the page back only if nobody changed it meanwhile
 * ({@code replaceWithVersion}, or {@code putIfAbsent} for a new collection); on a lost race it
 * reads again and re-applies, so concurrent writers from any number of instances never lose an
 * update and conditions are always checked against the state they replace.
 *
 * <p>A collection is one inline page until it outgrows {@link StorageConfig#pageBytes()}; then it
 * becomes a {@link PageIndex} root over leaf pages that split as they grow (see {@link ItemPage}).
 * A split stores the new right page first, then replaces the old page with the lower half linking
 * to it, then adds it to the root: a crash between the steps leaves every item reachable.
 */
public final class ItemStore {
    /** Far beyond any contention seen; reaching it means something is wrong, not busy. */
    private static final int MAX_ATTEMPTS = 10_000;

    private final Storage storage;
    private final int pageBytes;
    private final ParsedIndexes indexes = new ParsedIndexes();
    /**
     * Partitions this instance has seen paged. Their writes start from the near-cached root (it
     * changes only on splits); every other write reads its root strongly, the one read an inline
     * write needs anyway. Bounded: forgetting an entry only costs a larger first read.
     */
    private final Set<PartitionRef> pagedPartitions = ConcurrentHashMap.newKeySet();
    private static final int MAX_REMEMBERED_PARTITIONS = 100_000;

    private record PartitionRef(String cacheName, AttributeValue.ByteString partition) {
    }

    /** Told of every write that changed an item of a table with global secondary indexes. */
    @FunctionalInterface
    public interface WriteListener {
        void written(TableDefinition table, PrimaryKey key, WriteResult result);
    }

    private volatile WriteListener listener = (table, key, result) -> { };
    private volatile ChangeLog changeLog;

    public void onWrite(WriteListener listener) {
        this.listener = listener;
    }

    /** Where the change records of tables with streams go; without one, no records are kept. */
    public void changeLog(ChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    /** Makes the change record of one applied change (null: none), and knows which records are published. */
    private interface Recorder {
        byte[] record(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence);

        java.util.Set<Long> published(ChangeLog.Location location);
    }

    /** A committed write, and where the records it stored wait (null when it stored none). */
    private record Outcome(WriteResult result, ChangeLog.Location location, List<byte[]> outbox) {
        static Outcome of(Applied applied, ChangeLog.Location location) {
            return new Outcome(applied.result, applied.recorded ? location : null, applied.outbox);
        }
    }

    public ItemStore(Storage storage, int pageBytes) {
        this.storage = storage;
        this.pageBytes = pageBytes;
    }

    /** Computes an item's next state from its current one (null when absent); null deletes. */
    @FunctionalInterface
    public interface ItemChange {
        Map<String, AttributeValue> apply(Map<String, AttributeValue> current);
    }

    /**
     * What a write did.
     *
     * @param sequence the write's sequence number in its collection, 0 when nothing changed
     */
    public record WriteResult(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem,
                              long sequence) {
        public boolean changed() {
            return sequence != 0;
        }
    }

    public Map<String, AttributeValue> get(TableDefinition table, PrimaryKey key, boolean consistent) {
        Stored stored = read(CollectionSpace.of(table), key, consistent);
        return stored == null ? null : stored.item();
    }

    /**
     * An item as stored now with the sequence number of the page holding it: every later change to
     * the item gets a higher one (what index maintenance orders its work by).
     */
    public record Stored(Map<String, AttributeValue> item, long sequence, ItemPage.Lock lock,
                         TransactionState lockState) {
        /** True when the item is held by a transaction in flight (as seen by the one lookup that made this view). */
        public boolean held() {
            return lockState == TransactionState.PENDING;
        }
    }

    /**
     * The item as a reader sees it: under the lock of a committed transaction not yet applied, the
     * transaction's image (reads are serializable with transactions, as DynamoDB's GetItem is).
     */
    private Stored stored(ItemPage page, PrimaryKey key) {
        ItemPage.Lock lock = page.lockOf(key.range());
        // One lookup decides both the view and whether the item is held: asking twice could see
        // PENDING, then COMMITTED, and pass off the item before the transaction as settled.
        TransactionState state = lock == null ? null : transactions.state(lock.transactionId());
        if (state == TransactionState.COMMITTED) {
            return new Stored(lock.image() == null ? null : ItemCodec.decode(lock.image()), page.sequence(), lock, state);
        }
        return new Stored(page.get(key.range()), page.sequence(), lock, state);
    }

    /** The item read strongly with its page's sequence number; the item is null when absent. */
    public Stored readWithSequence(TableDefinition table, PrimaryKey key) {
        Stored stored = read(CollectionSpace.of(table), key, true);
        return stored != null ? stored : new Stored(null, 0, null, null);
    }

    private Stored read(CollectionSpace space, PrimaryKey key, boolean consistent) {
        Entries cache = cache(space, consistent);
        boolean sorted = space.sorted();
        byte[] partition = space.partition(key.hash());
        byte[] root = cache.get(partition);
        if (root == null) {
            return null;
        }
        if (ItemPage.formatOf(root) != PageIndex.FORMAT) {
            return stored(ItemPage.decode(root, sorted), key);
        }
        long pageId = indexes.parse(root).pageFor(key.range());
        for (int hops = 0; hops < MAX_ATTEMPTS; hops++) {
            byte[] bytes = cache.get(StorageKeys.page(partition, pageId));
            if (bytes == null) {
                throw Errors.internal("Page " + pageId + " of a collection in " + space.name() + " is missing");
            }
            ItemPage page = ItemPage.decode(bytes, sorted);
            if (!page.isRightOf(key.range())) {
                return stored(page, key);
            }
            pageId = page.rightLink();
        }
        throw Errors.internal("Page chain of a collection in " + space.name() + " does not end");
    }

    /**
     * Writes an item of a table. With secondary indexes, the new item's index keys are checked
     * inside the write (a refused item changes nothing) and the write listener hears of the change.
     */
    public WriteResult write(TableDefinition table, PrimaryKey key, ItemChange change) {
        return write(table, key, change, false);
    }

    /** A write; {@code byTimeToLive} marks a deletion of an expired item, as its stream record says. */
    public WriteResult write(TableDefinition table, PrimaryKey key, ItemChange change, boolean byTimeToLive) {
        boolean indexed = !table.localSecondaryIndexes().isEmpty() || !table.globalSecondaryIndexes().isEmpty();
        ItemChange checked = !indexed ? change : current -> {
            Map<String, AttributeValue> next = change.apply(current);
            if (next != null) {
                ItemKeys.checkIndexKeys(table, next);
            }
            return next;
        };
        ChangeLog log = changeLog;
        Outcome outcome = write(CollectionSpace.of(table), key, checked, recorder(table, key, log, byTimeToLive));
        finish(table, key, log, outcome);
        return outcome.result();
    }

    /** Writes an item of any collection space (a table's, or an index's), recording nothing. */
    public WriteResult write(CollectionSpace space, PrimaryKey key, ItemChange change) {
        return write(space, key, change, null).result();
    }

    private Outcome write(CollectionSpace space, PrimaryKey key, ItemChange change, Recorder recorder) {
        return edit(space, key, (page, location) -> apply(page, key, change, recorder, location));
    }

    /** One attempt's change to the page holding the key: what it did to the item, and whether to store the page. */
    @FunctionalInterface
    private interface PageEdit {
        Applied apply(ItemPage page, ChangeLog.Location location);
    }

    private Outcome edit(CollectionSpace space, PrimaryKey key, PageEdit edit) {
        Entries cache = cache(space, true);
        boolean sorted = space.sorted();
        byte[] partition = space.partition(key.hash());
        PartitionRef ref = sorted ? new PartitionRef(space.cacheName(), new AttributeValue.ByteString(partition)) : null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            // A root once paged stays paged, so the near-cached root is a safe place to start.
            byte[] nearRoot = sorted && pagedPartitions.contains(ref) ? cache(space, false).get(partition) : null;
            Outcome result;
            if (nearRoot != null && ItemPage.formatOf(nearRoot) == PageIndex.FORMAT) {
                long pageId = indexes.parse(nearRoot).pageFor(key.range());
                result = writePaged(space, cache, partition, pageId, key, edit);
            } else {
                Entries.Versioned root = cache.getVersioned(partition);
                if (root != null && ItemPage.formatOf(root.value()) == PageIndex.FORMAT) {
                    rememberPaged(ref);
                    long pageId = indexes.parse(root.value()).pageFor(key.range());
                    result = writePaged(space, cache, partition, pageId, key, edit);
                } else {
                    result = writeInline(space, cache, partition, root, key, edit);
                }
            }
            if (result != null) {
                return result;
            }
            Storage.pause(attempt);
        }
        throw Errors.internal("Write to " + space.name() + " did not settle after " + MAX_ATTEMPTS + " attempts");
    }

    private void rememberPaged(PartitionRef ref) {
        if (pagedPartitions.size() >= MAX_REMEMBERED_PARTITIONS) {
            pagedPartitions.clear();
        }
        pagedPartitions.add(ref);
    }

    /** One attempt on a collection held in its root entry; null when another writer came first. */
    private Outcome writeInline(CollectionSpace space, Entries cache, byte[] partition, Entries.Versioned root,
                                PrimaryKey key, PageEdit edit) {
        boolean sorted = space.sorted();
        ItemPage page = root == null ? ItemPage.emptyInline(sorted) : ItemPage.decode(root.value(), sorted);
        Applied applied = edit.apply(page, new ChangeLog.Location(space, partition, null));
        if (applied.unchanged()) {
            return Outcome.of(applied, null);
        }
        boolean stored;
        Long recordsAt = null;
        if (sorted && page.size() >= 2 && page.encodedSizeEstimate() > pageBytes) {
            recordsAt = convertToPaged(cache, partition, root, page, sorted);
            stored = recordsAt != null;
        } else if (root == null) {
            stored = cache.putIfAbsent(partition, page.encode());
        } else if (page.isEmpty() && page.outbox().isEmpty() && !page.hasLocks()) {
            stored = cache.remove(partition, root.version());
        } else {
            stored = cache.replace(partition, page.encode(), root.version());
        }
        return stored ? Outcome.of(applied, new ChangeLog.Location(space, partition, recordsAt)) : null;
    }

    /**
     * Moves an inline collection grown too large into leaf pages under a page index; returns the
     * first leaf's id (it took the outbox), or null when another writer came first.
     */
    private Long convertToPaged(Entries cache, byte[] partition, Entries.Versioned root,
                                ItemPage page, boolean sorted) {
        List<Long> ids = new ArrayList<>();
        long firstId = newPageId();
        List<ItemPage> leaves = page.splitInto(pageBytes / 2, ItemStore::newPageId, ids);
        ids.add(0, firstId);
        List<AttributeValue> lows = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            cache.put(StorageKeys.page(partition, ids.get(i)), leaves.get(i).encode());
            lows.add(i == 0 ? null : leaves.get(i).lowFence());
        }
        byte[] index = new PageIndex(lows, ids).encode();
        boolean stored = root == null ? cache.putIfAbsent(partition, index)
                : cache.replace(partition, index, root.version());
        if (!stored) {
            for (long id : ids) {
                cache.remove(StorageKeys.page(partition, id));
            }
            return null;
        }
        return firstId;
    }

    /** One attempt on a paged collection, starting at the page the index named. */
    private Outcome writePaged(CollectionSpace space, Entries cache, byte[] partition, long pageId,
                               PrimaryKey key, PageEdit edit) {
        boolean sorted = space.sorted();
        Entries.Versioned current = cache.getVersioned(StorageKeys.page(partition, pageId));
        ItemPage page = current == null ? null : ItemPage.decode(current.value(), sorted);
        while (page != null && page.isRightOf(key.range())) {
            pageId = page.rightLink();
            current = cache.getVersioned(StorageKeys.page(partition, pageId));
            page = current == null ? null : ItemPage.decode(current.value(), sorted);
        }
        if (page == null) {
            return null; // a page named by a stale root that a failed conversion removed: start over
        }
        Applied applied = edit.apply(page, new ChangeLog.Location(space, partition, pageId));
        if (applied.unchanged()) {
            return Outcome.of(applied, null);
        }
        byte[] pageKey = StorageKeys.page(partition, pageId);
        Outcome outcome = Outcome.of(applied, new ChangeLog.Location(space, partition, pageId));
        if (page.size() < 2 || page.encodedSizeEstimate() <= pageBytes) {
            return cache.replace(pageKey, page.encode(), current.version()) ? outcome : null;
        }
        List<Long> ids = new ArrayList<>();
        List<ItemPage> halves = page.splitInto(pageBytes / 2, ItemStore::newPageId, ids);
        for (int i = 1; i < halves.size(); i++) {
            cache.put(StorageKeys.page(partition, ids.get(i - 1)), halves.get(i).encode());
        }
        if (!cache.replace(pageKey, halves.get(0).encode(), current.version())) {
            for (long id : ids) {
                cache.remove(StorageKeys.page(partition, id));
            }
            return null;
        }
        for (int i = 1; i < halves.size(); i++) {
            addToIndex(cache, partition, halves.get(i).lowFence(), ids.get(i - 1));
        }
        return outcome;
    }

    private void addToIndex(Entries cache, byte[] partition, AttributeValue low, long pageId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned root = cache.getVersioned(partition);
            PageIndex index = PageIndex.decode(root.value());
            PageIndex next = index.with(low, pageId);
            if (next == index || cache.replace(partition, next.encode(), root.version())) {
                return;
            }
            Storage.pause(attempt);
        }
    }

    /**
     * Visits the items of one partition in sort-key order from {@code start} (null: from the
     * first, or the last when going backward), reading page by page.
     */
    public void query(TableDefinition table, AttributeValue hash, AttributeValue start, boolean inclusive,
                      boolean forward, boolean consistent, ItemVisitor visitor) {
        query(CollectionSpace.of(table), hash, start, inclusive, forward, consistent, visitor);
    }

    public void query(CollectionSpace space, AttributeValue hash, AttributeValue start, boolean inclusive,
                      boolean forward, boolean consistent, ItemVisitor visitor) {
        CollectionReader reader = CollectionReader.open(cache(space, consistent), space.partition(hash),
                space.sorted(), indexes::parse);
        if (reader != null) {
            reader.walk(start, inclusive, forward, visitor);
        }
    }

    /** Receives scanned items with their partition key; returns false to stop. */
    @FunctionalInterface
    public interface ScanVisitor {
        boolean visit(AttributeValue hash, AttributeValue sortKey, byte[] itemBytes);
    }

    /**
     * Visits the items of one scan segment in a stable order: partitions in {@link ScanSegments}
     * order, items by sort key within a partition. Resuming after an item's key continues in that
     * order, so across pages and segments every item present throughout comes back exactly once.
     */
    public void scan(TableDefinition table, int segment, int totalSegments, PrimaryKey exclusiveStart,
                     boolean consistent, ScanVisitor visitor) {
        scan(CollectionSpace.of(table), segment, totalSegments, exclusiveStart, consistent, visitor);
    }

    public void scan(CollectionSpace space, int segment, int totalSegments, PrimaryKey exclusiveStart,
                     boolean consistent, ScanVisitor visitor) {
        Entries strong = cache(space, true);
        Entries reads = cache(space, consistent);
        boolean sorted = space.sorted();
        long fromBucket = ScanSegments.firstBucket(segment, totalSegments);
        long toBucket = ScanSegments.firstBucket(segment + 1, totalSegments);
        byte[] after = null;
        AttributeValue resumeAfter = null;
        if (exclusiveStart != null) {
            byte[] startPartition = space.partition(exclusiveStart.hash());
            if (sorted && walkPartition(space, reads, startPartition, exclusiveStart.range(), visitor)) {
                return;
            }
            after = startPartition;
        }
        // An eventually consistent Scan finds its partitions in this instance's copy of the roots, by
        // a seek; a consistent one (or one over a table too big to copy) lists the keys of the table.
        PartitionMirror mirror = consistent ? null : strong.partitionMirror(storage.config().scanMirrorMaxRoots());
        while (true) {
            List<byte[]> batch = mirror == null ? null : mirror.next(space::ownsRoot, fromBucket, toBucket, after, SCAN_BATCH);
            if (batch == null) {
                mirror = null;
                keyListings.increment();
                batch = ScanSegments.next(strong, space::ownsRoot, fromBucket, toBucket, after, SCAN_BATCH);
            }
            for (byte[] partition : batch) {
                if (walkPartition(space, reads, partition, resumeAfter, visitor)) {
                    return;
                }
                after = partition;
            }
            if (batch.size() < SCAN_BATCH) {
                return;
            }
        }
    }

    private final java.util.concurrent.atomic.LongAdder keyListings = new java.util.concurrent.atomic.LongAdder();

    /** How many times a Scan listed every key of a table (rather than seek this instance's copy of them). */
    public long keyListings() {
        return keyListings.sum();
    }

    /** Partitions a Scan takes from one listing of the keys. */
    private static final int SCAN_BATCH = 256;

    /** Walks one partition for a scan; true when the visitor stopped. */
    private boolean walkPartition(CollectionSpace space, Entries reads, byte[] partition, AttributeValue after,
                                  ScanVisitor visitor) {
        CollectionReader reader = CollectionReader.open(reads, partition, space.sorted(), indexes::parse);
        if (reader == null) {
            return false;
        }
        AttributeValue hash = space.hashOf(partition);
        boolean[] stopped = {false};
        reader.walk(after, false, true, (sk, bytes) -> {
            if (!visitor.visit(hash, sk, bytes)) {
                stopped[0] = true;
                return false;
            }
            return true;
        });
        return stopped[0];
    }

    /** Whether a key belongs to a scan segment (for validating ExclusiveStartKey). */
    public boolean inSegment(CollectionSpace space, PrimaryKey key, int segment, int totalSegments) {
        int b = ScanSegments.bucket(space.partition(key.hash()));
        return b >= ScanSegments.firstBucket(segment, totalSegments) && b < ScanSegments.firstBucket(segment + 1, totalSegments);
    }

    private record Applied(WriteResult result, boolean unchanged, boolean recorded, List<byte[]> outbox) {
    }

    private Applied apply(ItemPage page, PrimaryKey key, ItemChange change, Recorder recorder,
                          ChangeLog.Location location) {
        Decided decided = decideLock(page, key, recorder, location);
        Map<String, AttributeValue> oldItem = decided.item();
        Map<String, AttributeValue> newItem = change.apply(oldItem);
        if (newItem == oldItem || (newItem != null && newItem.equals(oldItem))) {
            // Nothing changes (and no record: DynamoDB streams only changes): the read above is this write's linearization point.
            return decided.applied(page, recorder, location);
        }
        return set(page, key, decided.before(), oldItem, newItem, recorder, location);
    }

    /** Stores the item's new state with the next sequence number and, for a streamed table, its record. */
    private static Applied set(ItemPage page, PrimaryKey key, Map<String, AttributeValue> before,
                               Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem,
                               Recorder recorder, ChangeLog.Location location) {
        page.set(key.range(), newItem == null ? null : ItemCodec.encode(newItem));
        long sequence = page.nextSequence(System.currentTimeMillis() * 1000);
        record(page, recorder, location, oldItem, newItem, sequence);
        return new Applied(new WriteResult(before, newItem, sequence), false, recorder != null,
                recorder == null ? List.of() : List.copyOf(page.outbox()));
    }

    private static void record(ItemPage page, Recorder recorder, ChangeLog.Location location,
                               Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence) {
        byte[] record = recorder == null ? null : recorder.record(oldItem, newItem, sequence);
        if (record != null) {
            java.util.Set<Long> published = recorder.published(location);
            if (!published.isEmpty()) {
                page.outbox().removeIf(entry -> published.contains(ChangeLog.sequenceOf(entry)));
            }
            page.outbox().add(record);
        }
    }

    // --- transactions -------------------------------------------------------------------------

    /** What a transaction's record says of it; decided by whoever meets its locks (see {@link TransactionStates}). */
    public enum TransactionState { PENDING, COMMITTED, ABORTED }

    /** Looks up (and, for a transaction abandoned in flight, decides) a transaction's state. */
    @FunctionalInterface
    public interface TransactionStates {
        TransactionState state(String transactionId);
    }

    private volatile TransactionStates transactions = id -> TransactionState.ABORTED;

    public void transactionStates(TransactionStates states) {
        this.transactions = states;
    }

    /**
     * The item as a write finds it after settling a lock of a decided transaction: a committed
     * one's image is rolled forward (with its own stream record), an aborted one's lock dropped. A
     * lock of a transaction in flight refuses the write (TransactionConflictException).
     *
     * @param before the item before any rolled-forward transaction (what index maintenance needs)
     */
    private record Decided(Map<String, AttributeValue> before, Map<String, AttributeValue> item, long sequence,
                           boolean pageChanged) {
        /** The result when the write itself changes nothing: the page is still stored if a lock was settled. */
        Applied applied(ItemPage page, Recorder recorder, ChangeLog.Location location) {
            if (!pageChanged) {
                return new Applied(new WriteResult(item, item, 0), true, false, List.of());
            }
            return new Applied(new WriteResult(before, item, sequence), false, sequence != 0 && recorder != null,
                    recorder == null ? List.of() : List.copyOf(page.outbox()));
        }
    }

    private Decided decideLock(ItemPage page, PrimaryKey key, Recorder recorder, ChangeLog.Location location) {
        return decideLock(page, key, recorder, location, null);
    }

    private Decided decideLock(ItemPage page, PrimaryKey key, Recorder recorder, ChangeLog.Location location,
                               String ownTransaction) {
        int at = page.indexOf(key.range());
        Map<String, AttributeValue> item = at >= 0 ? ItemCodec.decode(page.itemBytesAt(at)) : null;
        ItemPage.Lock lock = page.lockOf(key.range());
        if (lock == null || lock.transactionId().equals(ownTransaction)) {
            return new Decided(item, item, 0, false);
        }
        TransactionState state = transactions.state(lock.transactionId());
        if (state == TransactionState.PENDING) {
            throw Errors.transactionConflict();
        }
        page.removeLock(key.range());
        if (state == TransactionState.ABORTED) {
            return new Decided(item, item, 0, true);
        }
        Map<String, AttributeValue> image = lock.image() == null ? null : ItemCodec.decode(lock.image());
        if (java.util.Objects.equals(image, item)) {
            return new Decided(item, item, 0, true);
        }
        Applied rolled = set(page, key, item, item, image, recorder, location);
        return new Decided(item, image, rolled.result().sequence(), true);
    }

    /** What {@link #lock} found: the item as it stood (for conditions and cancellation reasons). */
    public record Locked(Map<String, AttributeValue> item) {
    }

    /**
     * Locks an item for a transaction: the change computes the item's state after the transaction
     * (and throws when the action's condition fails; nothing is then locked). Another
     * transaction's lock in flight refuses it with TransactionConflictException.
     */
    public Locked lock(TableDefinition table, PrimaryKey key, String transactionId, ItemChange change) {
        ChangeLog log = changeLog;
        Recorder recorder = recorder(table, key, log, false);
        Map<String, AttributeValue>[] found = new Map[1];
        Outcome outcome = edit(CollectionSpace.of(table), key, (page, location) -> {
            Decided decided = decideLock(page, key, recorder, location, transactionId);
            found[0] = decided.item();
            Map<String, AttributeValue> next = change.apply(decided.item());
            page.setLock(new ItemPage.Lock(key.range(), transactionId, next == null ? null : ItemCodec.encode(next)));
            return new Applied(new WriteResult(decided.before(), decided.item(), decided.sequence()), false,
                    decided.sequence() != 0 && recorder != null,
                    recorder == null ? List.of() : List.copyOf(page.outbox()));
        });
        finish(table, key, log, outcome);
        return new Locked(found[0]);
    }

    /** Ends a transaction's hold on an item: applies its image when it committed, just drops the lock when not. */
    public void release(TableDefinition table, PrimaryKey key, String transactionId, boolean commit) {
        ChangeLog log = changeLog;
        Recorder recorder = recorder(table, key, log, false);
        Outcome outcome = edit(CollectionSpace.of(table), key, (page, location) -> {
            ItemPage.Lock lock = page.lockOf(key.range());
            if (lock == null || !lock.transactionId().equals(transactionId)) {
                return new Applied(new WriteResult(null, null, 0), true, false, List.of()); // settled by someone else
            }
            page.removeLock(key.range());
            int at = page.indexOf(key.range());
            Map<String, AttributeValue> item = at >= 0 ? ItemCodec.decode(page.itemBytesAt(at)) : null;
            Map<String, AttributeValue> image = lock.image() == null ? null : ItemCodec.decode(lock.image());
            if (!commit || java.util.Objects.equals(item, image)) {
                return new Applied(new WriteResult(item, item, 0), false, false, List.of());
            }
            return set(page, key, item, item, image, recorder, location);
        });
        finish(table, key, log, outcome);
    }

    /** After a write to a table commits: its records to the change log, its change to the index listener. */
    private void finish(TableDefinition table, PrimaryKey key, ChangeLog log, Outcome outcome) {
        if (outcome.location() != null) {
            log.committed(outcome.location(), outcome.outbox());
        }
        WriteResult result = outcome.result();
        if (result.changed() && !table.globalSecondaryIndexes().isEmpty()) {
            listener.written(table, key, result);
        }
    }

    private static Recorder recorder(TableDefinition table, PrimaryKey key, ChangeLog log, boolean byTimeToLive) {
        if (log == null || table.streamSpec() == null || !table.streamSpec().enabled()) {
            return null;
        }
        return new Recorder() {
            @Override
            public byte[] record(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence) {
                return log.record(table, key, oldItem, newItem, sequence, byTimeToLive);
            }

            @Override
            public java.util.Set<Long> published(ChangeLog.Location location) {
                return log.published(location);
            }
        };
    }

    /**
     * Removes published records from the outbox at {@code location}, following a root that has
     * become paged to its first leaf. An inline root left with neither items nor records goes.
     */
    public void clearOutbox(ChangeLog.Location location, java.util.Set<Long> sequences) {
        CollectionSpace space = location.space();
        Entries cache = cache(space, true);
        Long pageId = location.pageId();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            byte[] key = pageId == null ? location.partition() : StorageKeys.page(location.partition(), pageId);
            Entries.Versioned current = cache.getVersioned(key);
            if (current == null) {
                return;
            }
            if (ItemPage.formatOf(current.value()) == PageIndex.FORMAT) {
                pageId = PageIndex.decode(current.value()).firstPage();
                continue;
            }
            ItemPage page = ItemPage.decode(current.value(), space.sorted());
            if (!page.outbox().removeIf(entry -> sequences.contains(ChangeLog.sequenceOf(entry)))) {
                return;
            }
            boolean stored = pageId == null && page.isEmpty() && page.outbox().isEmpty() && !page.hasLocks()
                    ? cache.remove(key, current.version())
                    : cache.replace(key, page.encode(), current.version());
            if (stored) {
                return;
            }
            Storage.pause(attempt);
        }
    }

    /** Visits every page of a table holding unpublished records (the sweeper's pass). */
    public void forEachOutbox(TableDefinition table, java.util.function.BiConsumer<ChangeLog.Location, List<byte[]>> visitor) {
        CollectionSpace space = CollectionSpace.of(table);
        cache(space, true).forEachEntry((key, value) -> {
            if (!space.ownsEntry(key) || ItemPage.formatOf(value) == PageIndex.FORMAT) {
                return;
            }
            ItemPage page = ItemPage.decode(value, space.sorted());
            if (page.outbox().isEmpty()) {
                return;
            }
            ChangeLog.Location location = StorageKeys.isPage(key)
                    ? new ChangeLog.Location(space, StorageKeys.partitionOfPage(key), StorageKeys.pageIdOf(key))
                    : new ChangeLog.Location(space, key, null);
            visitor.accept(location, page.outbox());
        });
    }

    private static long newPageId() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** Removes every entry of a space (an index being dropped); concurrent writers to it must have stopped. */
    public void drop(CollectionSpace space) {
        Entries cache = cache(space, true);
        List<byte[]> keys = new ArrayList<>();
        try (org.infinispan.commons.util.CloseableIterator<byte[]> it = cache.keys()) {
            while (it.hasNext()) {
                byte[] key = it.next();
                if (space.ownsEntry(key)) {
                    keys.add(key);
                }
            }
        }
        keys.forEach(cache::remove);
    }

    Entries cache(CollectionSpace space, boolean consistent) {
        try {
            return consistent ? storage.strong(space.cacheName()) : storage.eventual(space.cacheName());
        } catch (Storage.MissingCacheException e) {
            throw Errors.resourceNotFound();
        }
    }

    /** Parsed page indexes, reused while the cache hands back the same stored bytes. */
    private static final class ParsedIndexes {
        private final ConcurrentHashMap<Integer, Object[]> byHash = new ConcurrentHashMap<>();

        PageIndex parse(byte[] bytes) {
            int slot = System.identityHashCode(bytes) & 1023;
            Object[] hit = byHash.get(slot);
            if (hit != null && hit[0] == bytes) {
                return (PageIndex) hit[1];
            }
            PageIndex index = PageIndex.decode(bytes);
            byHash.put(slot, new Object[] {bytes, index});
            return index;
        }
    }
}

package dev.eddy.core.storage;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.Meters;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

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
 * to it, then adds it to the root: a crash between the steps leaves every item reachable. Pages
 * that empty are merged away and empty partitions removed ({@link CollectionShrink}); a partition
 * is entered in its space's {@link PartitionDirectory} before its root is created.
 *
 * <p>A write to a table whose changes have consumers stores the change's record in the page's
 * outbox in the same compare-and-set (see {@link ChangeLog}); an outbox that outgrows its bound
 * moves its oldest records to overflow entries first, so no page grows without bound while the
 * records wait (Kafka away).
 */
public final class ItemStore {
    /** Far beyond any contention seen; reaching it means something is wrong, not busy. */
    private static final int MAX_ATTEMPTS = 10_000;
    /** Directory and queue pages: small, since a new partition or a timer rewrites one. */
    static final int SYSTEM_PAGE_BYTES = 8 * 1024;

    private final Storage storage;
    private final int pageBytes;
    /** Records a page may hold in itself before the oldest move to an overflow entry. */
    private final int outboxLimitBytes;
    private final ParsedIndexes indexes = new ParsedIndexes();
    private final PartitionDirectory directory = new PartitionDirectory(this);
    private final UpkeepQueue queue = new UpkeepQueue(this);
    private final CollectionShrink shrink;
    private final Meters meters;
    private final LongAdder casRetries;
    /** Writes whose first attempt, on the near cache's page, was decided again on the owners' page. */
    private final LongAdder nearRetries;
    /** Pages split after the write that took them over the page size (see {@link #splitStored}). */
    private final LongAdder splitsAfterWrite;
    /**
     * Partitions this instance has seen paged. Their writes start from the near-cached root (it
     * changes only on splits and merges); every other write reads its root strongly, the one read
     * an inline write needs anyway. Bounded: forgetting an entry only costs a larger first read.
     */
    private final Set<PartitionRef> pagedPartitions = ConcurrentHashMap.newKeySet();
    private static final int MAX_REMEMBERED_PARTITIONS = 100_000;

    private record PartitionRef(String cacheName, AttributeValue.ByteString partition) {
    }

    private volatile ChangeLog changeLog;

    public ItemStore(Storage storage, int pageBytes, Meters meters) {
        this.storage = storage;
        this.pageBytes = pageBytes;
        this.outboxLimitBytes = Math.max(4096, pageBytes / 2);
        this.meters = meters;
        this.casRetries = meters.counter("eddy.storage.cas.retries");
        this.nearRetries = meters.counter("eddy.storage.near-cache.write-retries");
        this.splitsAfterWrite = meters.counter("eddy.storage.pages.split-after-write");
        this.shrink = new CollectionShrink(this, meters);
        shrink.queue(queue);
    }

    /** The per-cache queues of timers the engine sets for itself. */
    public UpkeepQueue queue() {
        return queue;
    }

    /** Handles a due page check (see {@link UpkeepQueue#CHECK_PAGE}); false to check again later. */
    public boolean checkPage(String cacheName, byte[] payload) {
        return shrink.checkPage(cacheName, payload);
    }

    /** Where change records go; without one, nothing is recorded. */
    public void changeLog(ChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    public PartitionDirectory directory() {
        return directory;
    }

    /**
     * Told before a write replaces a page of a table's own collections with a state of a higher
     * sequence number, with the page as it is stored now: what an on-demand backup copies a page's
     * state at its point in time from, before it is gone (see {@code backup.PageCapture}).
     */
    @FunctionalInterface
    public interface PageHook {
        /**
         * @param stored         the page's stored bytes and version, which the write will replace
         * @param storedSequence the stored page's sequence number
         * @param newSequence    the sequence number the write gives it
         * @return false to have the write start over (the stored page was found to be stale)
         */
        boolean beforeReplace(TableDefinition table, ChangeLog.Location location, Entries.Versioned stored,
                              long storedSequence, long newSequence);

        /**
         * Whether writes of this table may have pages to keep now (a backup of it in progress); said
         * without waiting, true when that cannot be told at once. Writes of such a table read pages
         * from the owners only, so that the hook is only ever shown a page as stored.
         */
        default boolean mayCapture(TableDefinition table) {
            return true;
        }
    }

    private volatile PageHook pageHook;

    public void pageHook(PageHook hook) {
        this.pageHook = hook;
    }

    /** Whether a write of this table may meet the page hook (see {@link PageHook#mayCapture}). */
    private boolean mayCapture(TableDefinition table) {
        PageHook hook = pageHook;
        return hook != null && table != null && hook.mayCapture(table);
    }

    /** Lock changes leave a page's sequence as it was: only a new item state passes the hook. */
    private boolean beforeReplace(TableDefinition table, ChangeLog.Location location, Entries.Versioned stored,
                                  long storedSequence, long newSequence) {
        PageHook hook = pageHook;
        return hook == null || table == null || newSequence == storedSequence
                || hook.beforeReplace(table, location, stored, storedSequence, newSequence);
    }

    Meters meters() {
        return meters;
    }

    int pageBytes(CollectionSpace space) {
        return space.isSingleCollection() ? SYSTEM_PAGE_BYTES : pageBytes;
    }

    /** Computes an item's next state from its current one (null when absent); null deletes. */
    @FunctionalInterface
    public interface ItemChange {
        Map<String, AttributeValue> apply(Map<String, AttributeValue> current);

        /**
         * Called again just before the change is stored, after whatever the write did since {@link #apply}
         * that may have waited (entering its record in the pending set); throws to refuse the change, which
         * is then not stored. A request's change refuses once the request's time is up.
         */
        default void onTime() {
        }
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

    // --- reads --------------------------------------------------------------------------------

    public Map<String, AttributeValue> get(TableDefinition table, PrimaryKey key, boolean consistent) {
        Stored stored = read(CollectionSpace.of(table), key, consistent, null);
        return stored == null ? null : stored.item();
    }

    /**
     * As {@link #get(TableDefinition, PrimaryKey, boolean)} for one of many reads in one partition
     * by one request (a local index Query checking its entries against the table): a paged root read
     * for the first is reused by the others, so each costs its leaf page alone. Safe for strong reads:
     * the root was read strongly after the request began, and a leaf that split or went since is
     * found by its right links or read again from a fresh root, as every reader does.
     */
    public Map<String, AttributeValue> get(TableDefinition table, PrimaryKey key, boolean consistent, RootMemo memo) {
        Stored stored = read(CollectionSpace.of(table), key, consistent, memo);
        return stored == null ? null : stored.item();
    }

    /** A paged root kept for the reads of one request (inline roots are never kept: they hold the items). */
    public static final class RootMemo {
        private byte[] partition;
        private byte[] root;

        byte[] root(byte[] forPartition) {
            return root != null && Arrays.equals(partition, forPartition) ? root : null;
        }

        void keep(byte[] forPartition, byte[] pagedRoot) {
            partition = forPartition;
            root = pagedRoot;
        }

        void forget() {
            partition = null;
            root = null;
        }
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
        return readWithSequence(CollectionSpace.of(table), key);
    }

    public Stored readWithSequence(CollectionSpace space, PrimaryKey key) {
        Stored stored = read(space, key, true, null);
        return stored != null ? stored : new Stored(null, 0, null, null);
    }

    /** Said by a read that met a page removed after its root was read: read again from the root. */
    private static final Stored RESTART = new Stored(null, -1, null, null);

    private Stored read(CollectionSpace space, PrimaryKey key, boolean consistent, RootMemo memo) {
        for (int attempt = 0; attempt < 4; attempt++) {
            // A restart reads strongly: a near-cached root may keep naming the page that is gone.
            Stored s = readOnce(space, key, consistent && attempt == 0 || attempt > 0, attempt == 0 ? memo : null);
            if (s != RESTART) {
                return s;
            }
            if (memo != null) {
                memo.forget();
            }
        }
        throw Errors.internal("A page of a collection in " + space.name() + " keeps disappearing");
    }

    private Stored readOnce(CollectionSpace space, PrimaryKey key, boolean consistent, RootMemo memo) {
        Entries cache = cache(space, consistent);
        boolean sorted = space.sorted();
        byte[] partition = space.partition(key.hash());
        byte[] root = memo == null ? null : memo.root(partition);
        if (root == null) {
            root = cache.get(partition);
            if (root == null) {
                return null;
            }
            if (memo != null && PageIndex.isIndex(root)) {
                memo.keep(partition, root);
            }
        }
        if (!PageIndex.isIndex(root)) {
            ItemPage page = ItemPage.decode(root, sorted);
            return page.isRemoving() ? null : stored(page, key);
        }
        PageIndex index = indexes.parse(root);
        if (index.isRemoving()) {
            return null;
        }
        long pageId = index.pageFor(key.range());
        boolean cameFromLeft = false;
        for (int hops = 0; hops < MAX_ATTEMPTS; hops++) {
            byte[] bytes = cache.get(StorageKeys.page(partition, pageId));
            if (bytes == null) {
                return RESTART; // merged away since the root was read
            }
            ItemPage page = ItemPage.decode(bytes, sorted);
            if (page.isRightOf(key.range())) {
                pageId = page.rightLink();
                continue;
            }
            if (page.isDead()) {
                // An emptied page whose range went, or is going, to its left neighbour: the key is
                // there if anywhere. Met again from the left, the neighbour has not taken the range
                // yet, so the key is nowhere (the page was empty when it died).
                if (cameFromLeft || page.lowFence() == null) {
                    return null;
                }
                cameFromLeft = true;
                pageId = index.pageBelow(page.lowFence());
                continue;
            }
            return stored(page, key);
        }
        throw Errors.internal("Page chain of a collection in " + space.name() + " does not end");
    }

    // --- reads without waiting ----------------------------------------------------------------

    /** Where the rare reads that must wait (a locked item's transaction looked up) and cache openings go. */
    private volatile java.util.concurrent.Executor blocking = java.util.concurrent.ForkJoinPool.commonPool();

    public void blocking(java.util.concurrent.Executor blocking) {
        this.blocking = blocking;
    }

    /** Said by a read that met a page removed after its root was read: read again from the root. */
    private static final StoredItem RESTART_READ = StoredItem.of(Map.of());

    /**
     * {@link #get} without waiting: complete at once when the near cache holds the pages the read
     * needs (an eventually consistent read), otherwise when the servers answer, the next steps then
     * running on {@code continuations}. Null when there is no such item.
     */
    public java.util.concurrent.CompletableFuture<StoredItem> getAsync(TableDefinition table, PrimaryKey key,
                                                                       boolean consistent,
                                                                       java.util.concurrent.Executor continuations) {
        return readAsync(CollectionSpace.of(table), key, consistent, 0, continuations);
    }

    private java.util.concurrent.CompletableFuture<StoredItem> readAsync(CollectionSpace space, PrimaryKey key,
                                                                         boolean consistent, int attempt,
                                                                         java.util.concurrent.Executor continuations) {
        if (attempt >= 4) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    Errors.internal("A page of a collection in " + space.name() + " keeps disappearing"));
        }
        // A restart reads strongly: a near-cached root may keep naming the page that is gone.
        boolean strongly = consistent || attempt > 0;
        return Async.then(entriesAsync(space, strongly), cache -> Async.then(readOnceAsync(space, cache, key, continuations),
                found -> found == RESTART_READ ? readAsync(space, key, consistent, attempt + 1, continuations)
                        : java.util.concurrent.CompletableFuture.completedFuture(found), continuations), continuations);
    }

    /** A cache's entries; opening a cache this process has not opened yet asks the servers, off this thread. */
    private java.util.concurrent.CompletableFuture<Entries> entriesAsync(CollectionSpace space, boolean consistent) {
        Entries opened = storage.opened(space.cacheName(), consistent);
        if (opened != null) {
            return java.util.concurrent.CompletableFuture.completedFuture(opened);
        }
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> cache(space, consistent), blocking);
    }

    private java.util.concurrent.CompletableFuture<StoredItem> readOnceAsync(CollectionSpace space, Entries cache,
                                                                             PrimaryKey key,
                                                                             java.util.concurrent.Executor continuations) {
        boolean sorted = space.sorted();
        byte[] partition = space.partition(key.hash());
        return Async.then(cache.getStoredAsync(partition), root -> {
            if (root == null) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            Object seen = rootView(cache, partition, root, sorted);
            if (seen instanceof PageView view) {
                return view.page.isRemoving() ? java.util.concurrent.CompletableFuture.completedFuture(null)
                        : found(view, root, key);
            }
            PageIndex index = (PageIndex) seen;
            if (index.isRemoving()) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            return walkAsync(space, cache, partition, index, index.pageFor(key.range()), key, false, 0, continuations);
        }, continuations);
    }

    /**
     * What a collection's root value is, decoded once and kept with the value for as long as the near
     * cache holds it: a one-page collection's {@link PageView}, or a {@link PageIndex}.
     */
    private static Object rootView(Entries cache, byte[] partition, dev.eddy.core.storage.near.StoredBytes root,
                                   boolean sorted) {
        PageView view = PageView.attached(root, sorted);
        if (view != null) {
            return view;
        }
        if (root.view() instanceof PageIndex index) {
            return index;
        }
        byte[] bytes = cache.plain(partition, root);
        if (!PageIndex.isIndex(bytes)) {
            return PageView.of(root, bytes, sorted);
        }
        PageIndex index = PageIndex.decode(bytes);
        root.attach(index, bytes.length);
        return index;
    }

    /** The page walk of {@link #readOnce}, one page at a time. */
    private java.util.concurrent.CompletableFuture<StoredItem> walkAsync(CollectionSpace space, Entries cache,
                                                                         byte[] partition, PageIndex index, long pageId,
                                                                         PrimaryKey key, boolean cameFromLeft, int hops,
                                                                         java.util.concurrent.Executor continuations) {
        if (hops >= MAX_ATTEMPTS) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    Errors.internal("Page chain of a collection in " + space.name() + " does not end"));
        }
        return Async.then(cache.getStoredAsync(StorageKeys.page(partition, pageId)), stored -> {
            if (stored == null) {
                return java.util.concurrent.CompletableFuture.completedFuture(RESTART_READ); // merged away since the root was read
            }
            byte[] pageKey = StorageKeys.page(partition, pageId);
            PageView view = PageView.attached(stored, space.sorted());
            if (view == null) {
                view = PageView.of(stored, cache.plain(pageKey, stored), space.sorted());
            }
            ItemPage page = view.page;
            if (page.isRightOf(key.range())) {
                return walkAsync(space, cache, partition, index, page.rightLink(), key, cameFromLeft, hops + 1,
                        continuations);
            }
            if (page.isDead()) {
                // See readOnce: the key is on the left neighbour if anywhere, unless met from the left.
                if (cameFromLeft || page.lowFence() == null) {
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }
                return walkAsync(space, cache, partition, index, index.pageBelow(page.lowFence()), key, true, hops + 1,
                        continuations);
            }
            return found(view, stored, key);
        }, continuations);
    }

    /** The item in a page view; a locked one is decided by its transaction's state, looked up where waiting is allowed. */
    private java.util.concurrent.CompletableFuture<StoredItem> found(PageView view, dev.eddy.core.storage.near.StoredBytes stored,
                                                                     PrimaryKey key) {
        ItemPage page = view.page;
        if (page.hasLocks() && page.lockOf(key.range()) != null) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> StoredItem.of(stored(page, key).item()), blocking);
        }
        int at = page.indexOf(key.range());
        return java.util.concurrent.CompletableFuture.completedFuture(at < 0 ? null : StoredItem.inView(view, stored, at));
    }

    // --- writes -------------------------------------------------------------------------------

    /**
     * Writes an item of a table. With secondary indexes, the new item's index keys are checked
     * inside the write (a refused item changes nothing).
     */
    public WriteResult write(TableDefinition table, PrimaryKey key, ItemChange change) {
        return write(table, key, change, false);
    }

    /**
     * {@link #write(TableDefinition, PrimaryKey, ItemChange)} without waiting: the stage completes
     * when the write is stored (and what must be before its acknowledgement is), its next steps then
     * running on {@code continuations}.
     */
    public java.util.concurrent.CompletableFuture<WriteResult> writeAsync(TableDefinition table, PrimaryKey key,
                                                                         ItemChange change,
                                                                         java.util.concurrent.Executor continuations) {
        CollectionSpace space = CollectionSpace.of(table);
        byte[] partition = space.partition(key.hash());
        Entries near = storage.opened(space.cacheName(), false);
        if (near == null || mayCapture(table) || (space.sorted() && pagedPartitions.contains(
                new PartitionRef(space.cacheName(), new AttributeValue.ByteString(partition))))) {
            return waited(table, key, change, continuations);
        }
        return Async.then(near.getVersionedAsync(partition),
                root -> inlineWithoutWaiting(space, table, near, partition, root, key, change, continuations), continuations);
    }

    /**
     * The common write, on an existing one-page collection of a table whose changes nobody consumes,
     * without waiting: the page as the near cache holds it (with its version), the change applied,
     * one compare-and-set. Anything else (a new partition, a page that must split, a record to
     * store, a transaction's lock, a lost race) is done by {@link #write} where waiting is allowed,
     * and so is any outcome but a stored compare-and-set when the near cache gave the page: a
     * refused condition or a change that changes nothing, decided on a page the servers may have
     * moved past, is decided again on the page as the owners hold it.
     */
    private java.util.concurrent.CompletableFuture<WriteResult> inlineWithoutWaiting(
            CollectionSpace space, TableDefinition table, Entries near, byte[] partition, Entries.Versioned root,
            PrimaryKey key, ItemChange change, java.util.concurrent.Executor continuations) {
        boolean sorted = space.sorted();
        if (root == null || PageIndex.isIndex(root.value())) {
            return waited(table, key, change, continuations);
        }
        ItemPage page = decodePage(partition, root.value(), sorted);
        if (page.isRemoving() || page.lockOf(key.range()) != null || page.outboxBytes() > outboxLimitBytes) {
            return waited(table, key, change, continuations);
        }
        if (root.cached()) {
            Applied applied;
            try {
                applied = apply(page, key, indexChecked(table, change), recorder(table, key, changeLog, false),
                        new ChangeLog.Location(space, partition, null));
            } catch (RuntimeException refused) {
                return waited(table, key, change, continuations); // refused on a page that may be stale
            }
            return storeWithoutWaiting(space, table, near, partition, root, page, applied, key, change, continuations);
        }
        // The servers answered the read (a near-cache miss): refusals and no-ops are decided on it.
        Applied applied = apply(page, key, indexChecked(table, change), recorder(table, key, changeLog, false),
                new ChangeLog.Location(space, partition, null)); // a refused change fails the stage
        if (applied.unchanged()) {
            return java.util.concurrent.CompletableFuture.completedFuture(applied.result());
        }
        return storeWithoutWaiting(space, table, near, partition, root, page, applied, key, change, continuations);
    }

    /** The compare-and-set of {@link #inlineWithoutWaiting}; any other outcome is left to {@link #waited}. */
    private java.util.concurrent.CompletableFuture<WriteResult> storeWithoutWaiting(
            CollectionSpace space, TableDefinition table, Entries near, byte[] partition, Entries.Versioned root,
            ItemPage page, Applied applied, PrimaryKey key, ItemChange change, java.util.concurrent.Executor continuations) {
        if (applied.unchanged() || applied.recorded() || page.isVacant()
                || (space.sorted() && page.size() >= 2 && page.contentBytes() > pageBytes(space))) {
            return waited(table, key, change, continuations);
        }
        try {
            change.onTime();
        } catch (RuntimeException refused) {
            return java.util.concurrent.CompletableFuture.failedFuture(refused);
        }
        return Async.then(near.replaceAsync(partition, page.encode(), root), stored -> stored
                ? java.util.concurrent.CompletableFuture.completedFuture(applied.result())
                : waited(table, key, change, continuations), continuations);
    }

    /** A table's change with its indexes' key checks inside (a refused item changes nothing). */
    private static ItemChange indexChecked(TableDefinition table, ItemChange change) {
        boolean indexed = !table.localSecondaryIndexes().isEmpty() || !table.globalSecondaryIndexes().isEmpty();
        return !indexed ? change : new ItemChange() {
            @Override
            public Map<String, AttributeValue> apply(Map<String, AttributeValue> current) {
                Map<String, AttributeValue> next = change.apply(current);
                if (next != null) {
                    ItemKeys.checkIndexKeys(table, next);
                }
                return next;
            }

            @Override
            public void onTime() {
                change.onTime();
            }
        };
    }

    /** A write done where waiting is allowed, its result handed back to {@code continuations}. */
    private java.util.concurrent.CompletableFuture<WriteResult> waited(TableDefinition table, PrimaryKey key,
                                                                      ItemChange change,
                                                                      java.util.concurrent.Executor continuations) {
        // From the owners at once: the near cache's page was tried already, or is not to be tried.
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> write(table, key, change, false, false), blocking)
                .thenApplyAsync(r -> r, continuations);
    }

    /** A write; {@code byTimeToLive} marks a deletion of an expired item, as its stream record says. */
    public WriteResult write(TableDefinition table, PrimaryKey key, ItemChange change, boolean byTimeToLive) {
        return write(table, key, change, byTimeToLive, true);
    }

    /** @param nearFirst whether the first attempt may take the page from the near cache (see {@link #edit}) */
    private WriteResult write(TableDefinition table, PrimaryKey key, ItemChange change, boolean byTimeToLive,
                              boolean nearFirst) {
        ItemChange checked = indexChecked(table, change);
        ChangeLog log = changeLog;
        Recorder recorder = recorder(table, key, log, byTimeToLive);
        Outcome outcome = edit(CollectionSpace.of(table), table, key, recorder, new PageEdit() {
            @Override
            public Applied apply(ItemPage page, ChangeLog.Location location) {
                return ItemStore.this.apply(page, key, checked, recorder, location);
            }

            @Override
            public void onTime() {
                checked.onTime();
            }
        }, nearFirst);
        finish(table, log, outcome);
        return outcome.result();
    }

    /** Writes an item of any collection space (an index's, a directory's, a queue's), recording nothing. */
    public WriteResult write(CollectionSpace space, PrimaryKey key, ItemChange change) {
        return edit(space, null, key, null, (page, location) -> apply(page, key, change, null, location), true).result();
    }

    /** Makes the record of one applied change (null: none), and knows which records are finished. */
    private interface Recorder {
        byte[] record(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence);

        Set<Long> finished(ChangeLog.Location location);

        /** Enters the location in the durable pending set before a compare-and-set that stores a record there. */
        Object beforeStore(ChangeLog.Location location);

        void attempted(Object token, boolean stored);
    }

    /** A committed write, and where the records it stored wait (null when it stored none). */
    private record Outcome(WriteResult result, ChangeLog.Location location, List<byte[]> outbox, boolean overflow) {
        static Outcome of(Applied applied, ChangeLog.Location location, ItemPage page) {
            return applied.recorded
                    ? new Outcome(applied.result, location, List.copyOf(page.outbox()), page.hasOverflow())
                    : new Outcome(applied.result, null, List.of(), false);
        }
    }

    /** One attempt's change to the page holding the key: what it did to the item, and whether to store the page. */
    @FunctionalInterface
    private interface PageEdit {
        Applied apply(ItemPage page, ChangeLog.Location location);

        /** The change's last word before its page is stored (see {@link ItemChange#onTime}). */
        default void onTime() {
        }
    }

    private Outcome edit(CollectionSpace space, TableDefinition table, PrimaryKey key, Recorder recorder, PageEdit edit) {
        return edit(space, table, key, recorder, edit, true);
    }

    /**
     * Said by an attempt on a page the near cache gave that could not end in a compare-and-set (its
     * change was refused, changed nothing, or needs more than one compare-and-set): the next attempt
     * reads the page from the owners.
     */
    private static final Outcome FROM_OWNERS = new Outcome(null, null, List.of(), false);

    /**
     * Applies an edit to the page holding the key, by compare-and-set, until one attempt stores it.
     *
     * <p>With {@code nearFirst}, the first attempt reads the page with the version the near cache
     * holds it at: when that is still the stored version, the compare-and-set succeeds and the write
     * cost one round trip. A near-cached page may be behind the servers' (its invalidation not yet
     * arrived, or lost, as while a partition cuts the near cache's listener off), so nothing but a
     * compare-and-set against its exact version may conclude from it: a stale version fails the
     * compare-and-set (the servers give every stored state of an entry a version of its own), and a
     * refusal, a change that changes nothing or a structural step (a spill, a removal, a split) seen
     * on it is decided again on the owners' page. The compare-and-set goes through the near-cached
     * client, so its success drops the page this instance held from its near cache at once (the
     * servers' invalidation comes later).
     *
     * @param table the table whose own collections these are (its writes go past the page hook), or null
     */
    private Outcome edit(CollectionSpace space, TableDefinition table, PrimaryKey key, Recorder recorder, PageEdit edit,
                         boolean nearFirst) {
        Entries cache = cache(space, true);
        Entries near = cache(space, false);
        // A table a backup is being taken of shows the page hook only pages as stored.
        boolean nearAttempt = nearFirst && !mayCapture(table);
        boolean sorted = space.sorted();
        byte[] partition = space.partition(key.hash());
        PartitionRef ref = sorted ? new PartitionRef(space.cacheName(), new AttributeValue.ByteString(partition)) : null;
        SplitIds splits = new SplitIds();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries versioned = attempt == 0 && nearAttempt ? near : cache;
            // A root once paged stays paged, so the near-cached root is a safe place to start.
            byte[] nearRoot = sorted && pagedPartitions.contains(ref) ? near.get(partition) : null;
            Outcome result;
            if (nearRoot != null && PageIndex.isIndex(nearRoot) && !indexes.parse(nearRoot).isRemoving()) {
                long pageId = indexes.parse(nearRoot).pageFor(key.range());
                result = writePaged(space, table, cache, versioned, near, partition, pageId, key, recorder, edit, splits);
            } else {
                Entries.Versioned root = versioned.getVersioned(partition);
                if (root != null && PageIndex.isIndex(root.value())) {
                    PageIndex index = PageIndex.decode(root.value());
                    if (index.isRemoving()) {
                        result = root.cached() ? FROM_OWNERS : finishRemoval(space, partition, root);
                    } else {
                        rememberPaged(ref);
                        result = writePaged(space, table, cache, versioned, near, partition, index.pageFor(key.range()),
                                key, recorder, edit, splits);
                    }
                } else if (root != null && ItemPage.decode(root.value(), sorted).isRemoving()) {
                    result = root.cached() ? FROM_OWNERS : finishRemoval(space, partition, root);
                } else {
                    result = writeInline(space, table, cache, near, partition, root, key, recorder, edit);
                }
            }
            if (result == FROM_OWNERS) {
                nearRetries.increment();
                continue; // at once: nothing was lost to another writer
            }
            if (result != null) {
                return result;
            }
            casRetries.increment();
            Storage.pause(attempt);
        }
        throw Errors.internal("Write to " + space.name() + " did not settle after " + MAX_ATTEMPTS + " attempts");
    }

    /** Finishes the removal of a partition whose root says so; the attempt then starts over. */
    private Outcome finishRemoval(CollectionSpace space, byte[] partition, Entries.Versioned root) {
        shrink.finishRemoval(space, partition, root);
        return null;
    }

    private void rememberPaged(PartitionRef ref) {
        if (ref == null) {
            return;
        }
        if (pagedPartitions.size() >= MAX_REMEMBERED_PARTITIONS) {
            pagedPartitions.clear();
        }
        pagedPartitions.add(ref);
    }

    /** Decodes a page, giving one stored before uids existed a uid derived from its key. */
    static ItemPage decodePage(byte[] key, byte[] value, boolean sorted) {
        ItemPage page = ItemPage.decode(value, sorted);
        if (page.uid() == 0) {
            page.adoptLegacyUid(legacyUid(key));
        }
        return page;
    }

    /** A partition's generation, from its root (inline page uid or page index generation). */
    static long generation(byte[] partition, byte[] root, boolean sorted) {
        if (PageIndex.isIndex(root)) {
            long g = PageIndex.decode(root).generation();
            return g != 0 ? g : legacyUid(partition);
        }
        return decodePage(partition, root, sorted).uid();
    }

    /** The uid a page stored before uids existed takes: derived from its key, the same for every reader. */
    static long legacyUid(byte[] key) {
        return java.util.Arrays.hashCode(key) * 0x9E3779B97F4A7C15L + key.length;
    }

    /** One attempt on a collection held in its root entry; null when another writer came first. */
    /**
     * @param cache the strongly consistent client: puts and puts-if-absent
     * @param cas   the client compare-and-sets go through (see {@link #edit})
     */
    private Outcome writeInline(CollectionSpace space, TableDefinition table, Entries cache, Entries cas, byte[] partition,
                                Entries.Versioned root, PrimaryKey key, Recorder recorder, PageEdit edit) {
        boolean sorted = space.sorted();
        ItemPage page = root == null ? ItemPage.emptyInline(sorted) : decodePage(partition, root.value(), sorted);
        ChangeLog.Location location = new ChangeLog.Location(space, partition, null);
        long storedSequence = page.sequence();
        boolean cached = root != null && root.cached();
        Applied applied = applied(edit, page, location, cached);
        if (applied == null) {
            return FROM_OWNERS;
        }
        if (applied.unchanged()) {
            return cached ? FROM_OWNERS : Outcome.of(applied, null, page);
        }
        if (cached && (page.outboxBytes() > outboxLimitBytes
                || (sorted && page.size() >= 2 && page.contentBytes() > pageBytes(space)))) {
            return FROM_OWNERS; // a spill or a split puts entries of their own: only from the owners' page
        }
        if (root != null && !beforeReplace(table, location, root, storedSequence, page.sequence())) {
            return null;
        }
        spillIfNeeded(cache, page);
        Object pending = applied.recorded ? recorder.beforeStore(location) : null;
        boolean stored = false;
        Long recordsAt = null;
        try {
            edit.onTime();
            if (sorted && page.size() >= 2 && page.contentBytes() > pageBytes(space)) {
                recordsAt = convertToPaged(space, cache, partition, root, page);
                stored = recordsAt != null;
            } else if (root == null) {
                if (page.isVacant()) {
                    return Outcome.of(applied, null, page); // e.g. a delete of an absent item that settled nothing
                }
                if (space.listed()) {
                    directory.ensure(space, partition, page.uid());
                }
                stored = cache.putIfAbsent(partition, page.encode());
            } else if (page.isVacant()) {
                if (space.listed()) {
                    page.markRemoving();
                    stored = cas.replace(partition, page.encode(), root);
                    if (stored) {
                        shrink.removeLater(space, partition);
                    }
                } else if (space.keepsEmptyRoot()) {
                    // Kept, empty: a near cache can hold an empty root but not an absent one.
                    stored = cache.replace(partition, page.encode(), root);
                } else {
                    stored = cas.remove(partition, root.version());
                }
            } else {
                stored = cas.replace(partition, page.encode(), root);
            }
        } finally {
            if (pending != null) {
                recorder.attempted(pending, stored);
            }
        }
        return stored ? Outcome.of(applied, new ChangeLog.Location(space, partition, recordsAt), page) : null;
    }

    /**
     * The edit applied to a page; null when it refused the change on a page the near cache gave (the
     * refusal is decided again on the owners' page, which then throws it if it still holds).
     */
    private static Applied applied(PageEdit edit, ItemPage page, ChangeLog.Location location, boolean cached) {
        if (!cached) {
            return edit.apply(page, location);
        }
        try {
            return edit.apply(page, location);
        } catch (RuntimeException refused) {
            return null;
        }
    }

    /**
     * Moves an inline collection grown too large into leaf pages under a page index; returns the
     * first leaf's id (it took the outbox), or null when another writer came first.
     */
    private Long convertToPaged(CollectionSpace space, Entries cache, byte[] partition, Entries.Versioned root,
                                ItemPage page) {
        List<Long> ids = new ArrayList<>();
        long firstId = newPageId();
        List<ItemPage> leaves = page.splitInto(pageBytes(space) / 2, ItemStore::newPageId, ids);
        ids.add(0, firstId);
        shrink.expectPages(space, partition, ids);
        List<AttributeValue> lows = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            cache.put(StorageKeys.page(partition, ids.get(i)), leaves.get(i).encode());
            lows.add(i == 0 ? null : leaves.get(i).lowFence());
        }
        byte[] index = new PageIndex(page.uid(), lows, ids).encode();
        if (root == null && space.listed()) {
            directory.ensure(space, partition, page.uid());
        }
        boolean stored = root == null ? cache.putIfAbsent(partition, index)
                : cache.replace(partition, index, root);
        if (!stored) {
            for (long id : ids) {
                cache.remove(StorageKeys.page(partition, id));
            }
            return null;
        }
        return firstId;
    }

    /**
     * One attempt on a paged collection, starting at the page the index named.
     *
     * @param versioned the client pages are read with their versions from (see {@link #edit})
     * @param cas       the client compare-and-sets go through
     */
    private Outcome writePaged(CollectionSpace space, TableDefinition table, Entries cache, Entries versioned, Entries cas,
                               byte[] partition,
                               long pageId, PrimaryKey key, Recorder recorder, PageEdit edit, SplitIds splits) {
        boolean sorted = space.sorted();
        Entries.Versioned current = versioned.getVersioned(StorageKeys.page(partition, pageId));
        ItemPage page = current == null ? null : decodePage(StorageKeys.page(partition, pageId), current.value(), sorted);
        while (page != null && page.isRightOf(key.range())) {
            pageId = page.rightLink();
            current = versioned.getVersioned(StorageKeys.page(partition, pageId));
            page = current == null ? null : decodePage(StorageKeys.page(partition, pageId), current.value(), sorted);
        }
        if (page == null) {
            forgetPaged(space, partition);
            return null; // a page named by a stale root that a merge or failed conversion removed: start over
        }
        boolean cached = current.cached();
        if (cached && page.isDead()) {
            return FROM_OWNERS;
        }
        if (page.isDead()) {
            // Merged away: finish the merge (its range goes to the left neighbour), then start over.
            shrink.finishMerge(space, partition, pageId, page);
            forgetPaged(space, partition);
            return null;
        }
        ChangeLog.Location location = new ChangeLog.Location(space, partition, pageId);
        long storedSequence = page.sequence();
        Applied applied = applied(edit, page, location, cached);
        if (applied == null) {
            return FROM_OWNERS;
        }
        if (applied.unchanged()) {
            return cached ? FROM_OWNERS : Outcome.of(applied, null, page);
        }
        if (cached && (page.outboxBytes() > outboxLimitBytes
                || (page.size() >= 2 && page.contentBytes() > pageBytes(space)))) {
            return FROM_OWNERS; // a spill or a split puts entries of their own: only from the owners' page
        }
        if (!beforeReplace(table, location, current, storedSequence, page.sequence())) {
            return null;
        }
        spillIfNeeded(cache, page);
        byte[] pageKey = StorageKeys.page(partition, pageId);
        Outcome outcome = Outcome.of(applied, location, page);
        Object pending = applied.recorded ? recorder.beforeStore(location) : null;
        boolean stored = false;
        boolean oversized = page.size() >= 2 && page.contentBytes() > pageBytes(space);
        try {
            edit.onTime();
            if (!oversized || page.contentBytes() <= SPLIT_AFTER_FACTOR * pageBytes(space)) {
                stored = cas.replace(pageKey, page.encode(), current);
                if (stored && page.isVacant() && page.lowFence() != null) {
                    shrink.mergeLater(space, partition, pageId);
                } else if (stored && page.isVacant()) {
                    shrink.retireLater(space, partition);
                }
            } else {
                stored = storeSplit(space, cache, cas, partition, pageKey, page, current, splits);
            }
        } finally {
            if (pending != null) {
                recorder.attempted(pending, stored);
            }
        }
        if (!stored) {
            return null;
        }
        if (oversized && page.contentBytes() <= SPLIT_AFTER_FACTOR * pageBytes(space)) {
            splitStored(space, cache, cas, partition, pageId, splits);
        }
        return outcome;
    }

    /**
     * A page may be stored up to this many times the page size before it is split: up to it, a write that
     * takes a page over the size is made first, by one compare-and-set like any other, and the page is
     * split after it ({@link #splitStored}). A split stores new pages before its compare-and-set, so it
     * holds its page longer than a write does: under writers that keep changing the page (a hot counter
     * beside items being added) a write that split as part of its own change lost every compare-and-set
     * for more than 10 s (ConcurrentWritersIT, 8 writers on one page of 2 KB: 150 attempts of 50 ms in a
     * row, each a split). Past it, the write splits as part of its change, as a page must not grow without bound.
     */
    static final int SPLIT_AFTER_FACTOR = 2;

    /** How many times {@link #splitStored} tries before it leaves the split to the page's next write. */
    private static final int SPLIT_ATTEMPTS = 5;

    /**
     * Splits a page a write stored over the page size, after that write was made. Changes no item and
     * moves no record (the records stay with the page's first piece), so its sequence stays and no stream
     * record or backup capture is due: the pieces hold exactly what the stored page held, as when the
     * write had split it. Given up after {@link #SPLIT_ATTEMPTS} lost compare-and-sets: the next write
     * that stores the page over the size tries again, and one that would take it past
     * {@link #SPLIT_AFTER_FACTOR} times the size splits as part of its change.
     */
    private void splitStored(CollectionSpace space, Entries cache, Entries cas, byte[] partition, long pageId,
                             SplitIds splits) {
        byte[] pageKey = StorageKeys.page(partition, pageId);
        for (int attempt = 0; attempt < SPLIT_ATTEMPTS; attempt++) {
            Entries.Versioned current = cache.getVersioned(pageKey);
            if (current == null) {
                return;
            }
            ItemPage page = decodePage(pageKey, current.value(), space.sorted());
            if (page.isDead() || page.size() < 2 || page.contentBytes() <= pageBytes(space)) {
                return; // split or merged by another meanwhile
            }
            if (storeSplit(space, cache, cas, partition, pageKey, page, current, splits)) {
                splitsAfterWrite.increment();
                return;
            }
            Storage.pause(attempt);
        }
    }

    /**
     * Stores a page's pieces: the new ones first, then the first piece over the page by compare-and-set,
     * then the new pieces in the index. The new pages' ids come from {@code splits}, entered for a check
     * (a page a crash left unlinked is removed) once per write rather than on every attempt, so an attempt
     * that has to start over does not write the upkeep queue again. False when the compare-and-set failed
     * (the new pages are removed again).
     */
    private boolean storeSplit(CollectionSpace space, Entries cache, Entries cas, byte[] partition, byte[] pageKey,
                               ItemPage page, Entries.Versioned current, SplitIds splits) {
        List<Long> ids = new ArrayList<>();
        splits.restart();
        List<ItemPage> halves = page.splitInto(pageBytes(space) / 2, splits::next, ids);
        splits.expectNew(shrink, space, partition);
        for (int i = 1; i < halves.size(); i++) {
            cache.put(StorageKeys.page(partition, ids.get(i - 1)), halves.get(i).encode());
        }
        if (!cas.replace(pageKey, halves.get(0).encode(), current)) {
            for (long id : ids) {
                cache.remove(StorageKeys.page(partition, id));
            }
            return false;
        }
        for (int i = 1; i < halves.size(); i++) {
            addToIndex(cache, partition, halves.get(i).lowFence(), ids.get(i - 1));
        }
        return true;
    }

    /**
     * The ids one write gives the pages its splits make, kept across its attempts: an attempt whose
     * compare-and-set failed removed its new pages, and the next uses the same ids again, so the check of
     * each is entered in the upkeep queue once.
     */
    static final class SplitIds {
        private final List<Long> ids = new ArrayList<>();
        private int used;
        private int expected;

        void restart() {
            used = 0;
        }

        long next() {
            if (used == ids.size()) {
                ids.add(newPageId());
            }
            return ids.get(used++);
        }

        /** Enters a check of each id given out that has none yet. */
        void expectNew(CollectionShrink shrink, CollectionSpace space, byte[] partition) {
            if (expected < ids.size()) {
                shrink.expectPages(space, partition, List.copyOf(ids.subList(expected, ids.size())));
                expected = ids.size();
            }
        }
    }

    void forgetPaged(CollectionSpace space, byte[] partition) {
        pagedPartitions.remove(new PartitionRef(space.cacheName(), new AttributeValue.ByteString(partition)));
    }

    private void addToIndex(Entries cache, byte[] partition, AttributeValue low, long pageId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned root = cache.getVersioned(partition);
            if (root == null || !PageIndex.isIndex(root.value())) {
                return;
            }
            PageIndex index = PageIndex.decode(root.value());
            PageIndex next = index.with(low, pageId);
            if (next == index || cache.replace(partition, next.encode(), root)) {
                return;
            }
            Storage.pause(attempt);
        }
    }

    /**
     * Keeps the records a page holds in itself under {@link #outboxLimitBytes}: past it, the oldest
     * half move to the page's next overflow entry. The entry's key follows from the page (its
     * overflow uid and the run's tail), so writers racing to spill the same page agree on it: the
     * first stores it, the others adopt what it holds and drop exactly those records.
     */
    private void spillIfNeeded(Entries cache, ItemPage page) {
        if (page.outboxBytes() <= outboxLimitBytes || page.outbox().size() < 2) {
            return;
        }
        List<byte[]> outbox = page.outbox();
        int count = 0;
        int bytes = 0;
        while (count < outbox.size() - 1 && bytes < outboxLimitBytes / 2) {
            bytes += outbox.get(count).length;
            count++;
        }
        long uid = page.nextOverflowUid();
        byte[] key = StorageKeys.overflow(uid, page.overflowTail());
        List<byte[]> moving = new ArrayList<>(outbox.subList(0, count));
        if (!cache.putIfAbsent(key, encodeRecords(moving))) {
            byte[] existing = cache.get(key);
            moving = existing == null ? moving : decodeRecords(existing);
            Set<Long> sequences = new HashSet<>();
            moving.forEach(r -> sequences.add(ChangeLog.sequenceOf(r)));
            // Records the entry holds leave the page; the entry stays as it was stored.
            outbox.removeIf(r -> sequences.contains(ChangeLog.sequenceOf(r)));
            page.spilled(uid, 0);
            meters.counter("eddy.outbox.spills").increment();
            return;
        }
        page.spilled(uid, count);
        meters.counter("eddy.outbox.spills").increment();
    }

    static byte[] encodeRecords(List<byte[]> records) {
        ByteWriter w = new ByteWriter(64);
        w.varint(records.size());
        for (byte[] r : records) {
            w.bytes(r);
        }
        return w.toByteArray();
    }

    static List<byte[]> decodeRecords(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int n = (int) r.varint();
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.bytes());
        }
        return out;
    }

    // --- reading collections ------------------------------------------------------------------

    /**
     * Visits the items of one partition in sort-key order from {@code start} (null: from the
     * first, or the last when going backward), reading page by page.
     */
    public void query(TableDefinition table, AttributeValue hash, AttributeValue start, boolean inclusive,
                      boolean forward, boolean consistent, ItemVisitor visitor) {
        query(CollectionSpace.of(table), hash, start, inclusive, forward, consistent, visitor);
    }

    /**
     * Whether the collection's root is there, read from the near cache; when it is not, an empty
     * root is created (strongly) for a space that {@link CollectionSpace#keepsEmptyRoot() keeps one},
     * so that the next look is a near-cache hit. Returns false when the root was absent.
     */
    boolean rootPresent(CollectionSpace space, AttributeValue hash) {
        byte[] partition = space.partition(hash);
        if (cache(space, false).get(partition) != null) {
            return true;
        }
        if (space.keepsEmptyRoot()) {
            cache(space, true).putIfAbsent(partition, ItemPage.emptyInline(space.sorted()).encode());
        }
        return false;
    }

    public void query(CollectionSpace space, AttributeValue hash, AttributeValue start, boolean inclusive,
                      boolean forward, boolean consistent, ItemVisitor visitor) {
        CollectionReader reader = CollectionReader.open(cache(space, consistent), cache(space, true),
                space.partition(hash), space.sorted(), indexes::parse, transactions, null);
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
        if (exclusiveStart != null) {
            byte[] startPartition = space.partition(exclusiveStart.hash());
            if (sorted && walkPartition(space, reads, startPartition, null, exclusiveStart.range(), visitor)) {
                return;
            }
            after = startPartition;
        }
        // An eventually consistent Scan finds its partitions in this instance's copy of the roots, by
        // a seek; a consistent one walks the partition directory (a table from before directories
        // lists the keys of the table instead).
        PartitionMirror mirror = consistent ? null : strong.partitionMirror(storage.config().scanMirrorMaxBytes(), storage.mirrorBytes);
        while (true) {
            List<byte[]> batch = mirror == null ? null : mirror.next(space::ownsRoot, fromBucket, toBucket, after, SCAN_BATCH);
            if (batch == null) {
                mirror = null;
                batch = nextPartitions(space, strong, consistent, fromBucket, toBucket, after);
            }
            Map<AttributeValue.ByteString, byte[]> roots = consistent && batch.size() > 1 ? strong.getAll(batch) : null;
            for (byte[] partition : batch) {
                byte[] root = roots == null ? null : roots.get(new AttributeValue.ByteString(partition));
                if ((roots == null || root != null) && walkPartition(space, reads, partition, root, null, visitor)) {
                    return;
                }
                after = partition;
            }
            if (batch.size() < SCAN_BATCH) {
                return;
            }
        }
    }

    /** The next partitions of a scan from the directory, or (legacy layout) from a listing of the keys. */
    private List<byte[]> nextPartitions(CollectionSpace space, Entries strong, boolean consistent, long fromBucket,
                                        long toBucket, byte[] after) {
        if (!space.listed()) {
            keyListings.increment();
            return ScanSegments.next(strong, space::ownsRoot, fromBucket, toBucket, after, SCAN_BATCH);
        }
        List<byte[]> out = new ArrayList<>(SCAN_BATCH);
        directory.walk(space, fromBucket, toBucket, after, consistent, partition -> {
            out.add(partition);
            return out.size() < SCAN_BATCH;
        });
        return out;
    }

    private final LongAdder keyListings = new LongAdder();

    /** How many times a Scan listed every key of a table (rather than walk its directory or this instance's copy). */
    public long keyListings() {
        return keyListings.sum();
    }

    /** Partitions a Scan takes from one step of the directory. */
    private static final int SCAN_BATCH = 256;

    /** Walks one partition for a scan; true when the visitor stopped. */
    private boolean walkPartition(CollectionSpace space, Entries reads, byte[] partition, byte[] prefetchedRoot,
                                  AttributeValue after, ScanVisitor visitor) {
        CollectionReader reader = CollectionReader.open(reads, cache(space, true), partition, space.sorted(),
                indexes::parse, transactions, prefetchedRoot);
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

    /**
     * Visits a space's partitions (storage keys) in scan order from after {@code after}: the
     * directory's entries, or every root in a listing of the keys for a space without one.
     */
    public void forEachPartition(CollectionSpace space, byte[] after, java.util.function.Predicate<byte[]> visitor) {
        Entries strong = cache(space, true);
        while (true) {
            List<byte[]> batch = nextPartitions(space, strong, true, 0, ScanSegments.BUCKETS, after);
            for (byte[] partition : batch) {
                if (!visitor.test(partition)) {
                    return;
                }
                after = partition;
            }
            if (batch.size() < SCAN_BATCH) {
                return;
            }
        }
    }

    // --- whole collections, for backups and restores ------------------------------------------

    /** One page of a collection as stored: where it is, the version a compare-and-set names, its content. */
    public record PageImage(ChangeLog.Location location, long version, ItemPage page) {
    }

    /**
     * Visits the pages of one collection in key order, each read strongly when the walk reaches it:
     * the inline root, or the leaves from the first by right links. A page merged away under the
     * walk (merges take only empty pages) sends it on from the page now covering the next key, so
     * a page may be visited twice, never skipped while it holds items. False when the visitor
     * stopped the walk.
     */
    public boolean forEachPage(CollectionSpace space, byte[] partition, java.util.function.Predicate<PageImage> visitor) {
        Entries cache = cache(space, true);
        boolean sorted = space.sorted();
        Entries.Versioned root = cache.getVersioned(partition);
        if (root == null) {
            return true;
        }
        if (!PageIndex.isIndex(root.value())) {
            ItemPage page = decodePage(partition, root.value(), sorted);
            return page.isRemoving()
                    || visitor.test(new PageImage(new ChangeLog.Location(space, partition, null), root.version(), page));
        }
        PageIndex index = PageIndex.decode(root.value());
        Long pageId = index.isRemoving() ? null : index.firstPage();
        AttributeValue next = null; // where the pages not yet visited begin (null: at the first)
        for (int hops = 0; pageId != null; hops++) {
            if (hops > 10_000_000) {
                throw Errors.internal("Page chain of a collection in " + space.name() + " does not end");
            }
            byte[] key = StorageKeys.page(partition, pageId);
            Entries.Versioned v = cache.getVersioned(key);
            if (v == null) {
                Entries.Versioned fresh = cache.getVersioned(partition);
                if (fresh == null || !PageIndex.isIndex(fresh.value()) || PageIndex.decode(fresh.value()).isRemoving()) {
                    return true; // the partition went away under the walk
                }
                index = PageIndex.decode(fresh.value());
                pageId = next == null ? index.firstPage() : index.pageFor(next);
                continue;
            }
            ItemPage page = decodePage(key, v.value(), sorted);
            if (next != null && page.isRightOf(next)) {
                pageId = page.rightLink();
                continue;
            }
            if (!visitor.test(new PageImage(new ChangeLog.Location(space, partition, pageId), v.version(), page))) {
                return false;
            }
            next = page.highFence();
            pageId = next == null ? null : page.rightLink();
        }
        return true;
    }

    /** A page as stored now, read strongly; null when it is gone (or the root is no longer an inline page). */
    public PageImage readPage(ChangeLog.Location location) {
        CollectionSpace space = location.space();
        byte[] key = location.pageId() == null ? location.partition()
                : StorageKeys.page(location.partition(), location.pageId());
        Entries.Versioned v = cache(space, true).getVersioned(key);
        if (v == null || PageIndex.isIndex(v.value())) {
            return null;
        }
        return new PageImage(location, v.version(), decodePage(key, v.value(), space.sorted()));
    }

    /**
     * Stores a whole collection at once, for a table being restored that nobody else writes yet:
     * one inline page, or leaf pages under a page index when the items outgrow a page, all with
     * this sequence number. The directory entry comes first, as for any new partition. Storing it
     * again (a restore carried on after a crash) puts the same pages under the same ids.
     *
     * @param sortKeys the items' sort keys in ascending order (nulls for a table without one)
     */
    public void load(CollectionSpace space, AttributeValue hash, List<AttributeValue> sortKeys, List<byte[]> items,
                     long sequence) {
        load(space, hash, sortKeys, items, sequence, ItemPage.newUid(), true);
    }

    /**
     * As {@link #load(CollectionSpace, AttributeValue, List, List, long)}, for a partition already
     * entered in the directory under this generation ({@link #enterPartitions}).
     */
    public void load(CollectionSpace space, AttributeValue hash, List<AttributeValue> sortKeys, List<byte[]> items,
                     long sequence, long generation) {
        load(space, hash, sortKeys, items, sequence, generation, false);
    }

    private void load(CollectionSpace space, AttributeValue hash, List<AttributeValue> sortKeys, List<byte[]> items,
                      long sequence, long generation, boolean enter) {
        Entries cache = cache(space, true);
        byte[] partition = space.partition(hash);
        ItemPage page = ItemPage.emptyInline(space.sorted(), generation);
        for (int i = 0; i < items.size(); i++) {
            page.set(sortKeys.get(i), items.get(i));
        }
        page.nextSequence(sequence);
        if (!space.sorted() || page.size() < 2 || page.contentBytes() <= pageBytes(space)) {
            if (enter && space.listed()) {
                directory.ensure(space, partition, page.uid());
            }
            cache.put(partition, page.encode());
            return;
        }
        java.util.Random ids = new java.util.Random(java.util.Arrays.hashCode(partition) * 31L + items.size());
        List<Long> pageIds = new ArrayList<>();
        pageIds.add(ids.nextLong());
        List<Long> rest = new ArrayList<>();
        List<ItemPage> leaves = page.splitInto(pageBytes(space) / 2, ids::nextLong, rest);
        pageIds.addAll(rest);
        shrink.expectPages(space, partition, pageIds);
        List<AttributeValue> lows = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            cache.put(StorageKeys.page(partition, pageIds.get(i)), leaves.get(i).encode());
            lows.add(i == 0 ? null : leaves.get(i).lowFence());
        }
        if (enter && space.listed()) {
            directory.ensure(space, partition, page.uid());
        }
        cache.put(partition, new PageIndex(page.uid(), lows, pageIds).encode());
    }

    /**
     * Enters partitions a restore is about to load in their space's directory, all at once (a page
     * of entries a compare-and-set), and returns the generation each root is to have.
     */
    public long[] enterPartitions(CollectionSpace space, List<AttributeValue> hashes) {
        long[] generations = new long[hashes.size()];
        List<byte[]> partitions = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            generations[i] = ItemPage.newUid();
            partitions.add(space.partition(hashes.get(i)));
        }
        if (space.listed()) {
            directory.ensureAll(space, partitions, generations);
        }
        return generations;
    }

    /**
     * Puts many items into one collection, replacing any with the same keys, a page at a time: each
     * compare-and-set stores every item the page covers (and splits it as a write would). For
     * collections nobody else writes meanwhile (a restore's), as nothing is recorded or checked.
     *
     * @param sortKeys the items' sort keys, ascending
     */
    public void putAll(CollectionSpace space, AttributeValue hash, List<AttributeValue> sortKeys, List<byte[]> items) {
        int from = 0;
        while (from < items.size()) {
            int start = from;
            int[] stored = {0};
            edit(space, null, new PrimaryKey(hash, sortKeys.get(start)), null, (page, location) -> {
                int n = 0;
                for (int i = start; i < items.size() && (n == 0 || page.covers(sortKeys.get(i))); i++) {
                    page.set(sortKeys.get(i), items.get(i));
                    n++;
                }
                stored[0] = n;
                long sequence = page.nextSequence(System.currentTimeMillis() * 1000);
                return new Applied(new WriteResult(null, null, sequence), false, false);
            });
            from += stored[0];
        }
    }

    // --- applying changes ---------------------------------------------------------------------

    private record Applied(WriteResult result, boolean unchanged, boolean recorded) {
    }

    private Applied apply(ItemPage page, PrimaryKey key, ItemChange change, Recorder recorder,
                          ChangeLog.Location location) {
        Decided decided = decideLock(page, key, recorder, location, null);
        Map<String, AttributeValue> oldItem = decided.item();
        Map<String, AttributeValue> newItem = change.apply(oldItem);
        if (newItem == oldItem || (newItem != null && newItem.equals(oldItem))) {
            // Nothing changes (and no record: DynamoDB streams only changes): the read above is this write's linearization point.
            return decided.applied();
        }
        return set(page, key, decided.before(), oldItem, newItem, recorder, location, decided.recorded());
    }

    /** Stores the item's new state with the next sequence number and, for a table with consumers, its record. */
    private static Applied set(ItemPage page, PrimaryKey key, Map<String, AttributeValue> before,
                               Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem,
                               Recorder recorder, ChangeLog.Location location, boolean recordedBefore) {
        page.set(key.range(), newItem == null ? null : ItemCodec.encode(newItem));
        long sequence = page.nextSequence(System.currentTimeMillis() * 1000);
        boolean recorded = record(page, recorder, location, oldItem, newItem, sequence);
        return new Applied(new WriteResult(before, newItem, sequence), false, recorded || recordedBefore);
    }

    private static boolean record(ItemPage page, Recorder recorder, ChangeLog.Location location,
                                  Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence) {
        byte[] record = recorder == null ? null : recorder.record(oldItem, newItem, sequence);
        if (record == null) {
            return false;
        }
        Set<Long> finished = recorder.finished(location);
        if (!finished.isEmpty()) {
            page.outbox().removeIf(entry -> finished.contains(ChangeLog.sequenceOf(entry)));
        }
        page.outbox().add(record);
        return true;
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
     * one's image is rolled forward (with its own record), an aborted one's lock dropped. A
     * lock of a transaction in flight refuses the write (TransactionConflictException).
     *
     * @param before the item before any rolled-forward transaction (what index maintenance needs)
     */
    private record Decided(Map<String, AttributeValue> before, Map<String, AttributeValue> item, long sequence,
                           boolean pageChanged, boolean recorded) {
        /** The result when the write itself changes nothing: the page is still stored if a lock was settled. */
        Applied applied() {
            if (!pageChanged) {
                return new Applied(new WriteResult(item, item, 0), true, false);
            }
            return new Applied(new WriteResult(before, item, sequence), false, recorded);
        }
    }

    private Decided decideLock(ItemPage page, PrimaryKey key, Recorder recorder, ChangeLog.Location location,
                               String ownTransaction) {
        int at = page.indexOf(key.range());
        Map<String, AttributeValue> item = at >= 0 ? ItemCodec.decode(page.itemBytesAt(at)) : null;
        ItemPage.Lock lock = page.lockOf(key.range());
        if (lock == null || lock.transactionId().equals(ownTransaction)) {
            return new Decided(item, item, 0, false, false);
        }
        TransactionState state = transactions.state(lock.transactionId());
        if (state == TransactionState.PENDING) {
            throw Errors.transactionConflict();
        }
        page.removeLock(key.range());
        if (state == TransactionState.ABORTED) {
            return new Decided(item, item, 0, true, false);
        }
        Map<String, AttributeValue> image = lock.image() == null ? null : ItemCodec.decode(lock.image());
        if (java.util.Objects.equals(image, item)) {
            return new Decided(item, item, 0, true, false);
        }
        Applied rolled = set(page, key, item, item, image, recorder, location, false);
        return new Decided(item, image, rolled.result().sequence(), true, rolled.recorded());
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
        Outcome outcome = edit(CollectionSpace.of(table), table, key, recorder, (page, location) -> {
            Decided decided = decideLock(page, key, recorder, location, transactionId);
            found[0] = decided.item();
            Map<String, AttributeValue> next = change.apply(decided.item());
            page.setLock(new ItemPage.Lock(key.range(), transactionId, next == null ? null : ItemCodec.encode(next)));
            return new Applied(new WriteResult(decided.before(), decided.item(), decided.sequence()), false,
                    decided.recorded());
        });
        finish(table, log, outcome);
        return new Locked(found[0]);
    }

    /** Ends a transaction's hold on an item: applies its image when it committed, just drops the lock when not. */
    public void release(TableDefinition table, PrimaryKey key, String transactionId, boolean commit) {
        ChangeLog log = changeLog;
        Recorder recorder = recorder(table, key, log, false);
        Outcome outcome = edit(CollectionSpace.of(table), table, key, recorder, (page, location) -> {
            ItemPage.Lock lock = page.lockOf(key.range());
            if (lock == null || !lock.transactionId().equals(transactionId)) {
                return new Applied(new WriteResult(null, null, 0), true, false); // settled by someone else
            }
            page.removeLock(key.range());
            int at = page.indexOf(key.range());
            Map<String, AttributeValue> item = at >= 0 ? ItemCodec.decode(page.itemBytesAt(at)) : null;
            Map<String, AttributeValue> image = lock.image() == null ? null : ItemCodec.decode(lock.image());
            if (!commit || java.util.Objects.equals(item, image)) {
                return new Applied(new WriteResult(item, item, 0), false, false);
            }
            return set(page, key, item, item, image, recorder, location, false);
        });
        finish(table, log, outcome);
    }

    /** After a write to a table commits: its records to the change log (local indexes before the write returns). */
    private void finish(TableDefinition table, ChangeLog log, Outcome outcome) {
        if (outcome.location() != null && log != null) {
            WriteResult r = outcome.result();
            log.committed(table, outcome.location(), outcome.outbox(), outcome.overflow(), r.oldItem(), r.newItem(),
                    r.sequence());
        }
    }

    private static Recorder recorder(TableDefinition table, PrimaryKey key, ChangeLog log, boolean byTimeToLive) {
        if (log == null) {
            return null;
        }
        return new Recorder() {
            @Override
            public byte[] record(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence) {
                return log.record(table, key, oldItem, newItem, sequence, byTimeToLive);
            }

            @Override
            public Set<Long> finished(ChangeLog.Location location) {
                return log.finished(location);
            }

            @Override
            public Object beforeStore(ChangeLog.Location location) {
                return log.beforeStore(table, location);
            }

            @Override
            public void attempted(Object token, boolean stored) {
                log.attempted(token, stored);
            }
        };
    }

    // --- outboxes -----------------------------------------------------------------------------

    /**
     * The records waiting at a location, oldest first: the overflow entries' then the page's own.
     * A root that became paged sends its reader to its first leaf. Null when the page is gone.
     */
    public record PendingRecords(ChangeLog.Location location, List<byte[]> records) {
    }

    public PendingRecords pendingRecords(ChangeLog.Location location) {
        CollectionSpace space = location.space();
        Entries cache = cache(space, true);
        Long pageId = location.pageId();
        for (int hops = 0; hops < 3; hops++) {
            byte[] key = pageId == null ? location.partition() : StorageKeys.page(location.partition(), pageId);
            byte[] value = cache.get(key);
            if (value == null) {
                return null;
            }
            if (PageIndex.isIndex(value)) {
                pageId = PageIndex.decode(value).firstPage();
                continue;
            }
            ItemPage page = decodePage(key, value, space.sorted());
            List<byte[]> records = new ArrayList<>();
            for (long i = page.overflowHead(); i < page.overflowTail(); i++) {
                byte[] entry = cache.get(StorageKeys.overflow(page.overflowUid(), i));
                if (entry != null) {
                    records.addAll(decodeRecords(entry));
                }
            }
            records.addAll(page.outbox());
            return new PendingRecords(new ChangeLog.Location(space, location.partition(), pageId), records);
        }
        return null;
    }

    /** How a settle changes one record: the same bytes to keep it, new bytes to replace it, null to drop it. */
    @FunctionalInterface
    public interface RecordUpdate {
        byte[] update(byte[] record);
    }

    /**
     * Applies {@code update} to every record waiting at the location, in its overflow entries and
     * the page, by compare-and-set on the page (overflow entries are rewritten first, and the
     * oldest removed once empty). With {@code touch} the page is rewritten even when nothing
     * changed, so a write prepared before this settle (under a writer identity since claimed) fails
     * its compare-and-set and starts over. An inline root left vacant goes the way of an emptied
     * partition.
     */
    public void settle(ChangeLog.Location location, RecordUpdate update, boolean touch) {
        CollectionSpace space = location.space();
        Entries cache = cache(space, true);
        Long pageId = location.pageId();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            byte[] key = pageId == null ? location.partition() : StorageKeys.page(location.partition(), pageId);
            Entries.Versioned current = cache.getVersioned(key);
            if (current == null) {
                return;
            }
            if (PageIndex.isIndex(current.value())) {
                pageId = PageIndex.decode(current.value()).firstPage();
                continue;
            }
            ItemPage page = decodePage(key, current.value(), space.sorted());
            boolean changed = false;
            while (page.hasOverflow()) {
                byte[] ovKey = StorageKeys.overflow(page.overflowUid(), page.overflowHead());
                byte[] entry = cache.get(ovKey);
                List<byte[]> kept = entry == null ? List.of() : updated(decodeRecords(entry), update);
                if (!kept.isEmpty()) {
                    if (entry != null && !java.util.Arrays.equals(encodeRecords(kept), entry)) {
                        cache.put(ovKey, encodeRecords(kept));
                    }
                    break;
                }
                if (entry != null) {
                    cache.remove(ovKey);
                }
                page.overflowConsumed();
                changed = true;
            }
            List<byte[]> outbox = page.outbox();
            List<byte[]> next = updated(outbox, update);
            if (!sameRecords(outbox, next)) {
                outbox.clear();
                outbox.addAll(next);
                changed = true;
            }
            if (!changed && !touch) {
                return;
            }
            boolean stored;
            if (pageId == null && page.isVacant() && space.listed() && !page.isRemoving()) {
                page.markRemoving();
                stored = cache.replace(key, page.encode(), current);
                if (stored) {
                    shrink.removeLater(space, location.partition());
                }
            } else if (pageId == null && page.isVacant() && !space.listed()) {
                stored = cache.remove(key, current.version());
            } else {
                stored = cache.replace(key, page.encode(), current);
                if (stored && pageId != null && page.isVacant()) {
                    if (page.lowFence() != null) {
                        shrink.mergeLater(space, location.partition(), pageId);
                    } else {
                        shrink.retireLater(space, location.partition());
                    }
                }
            }
            if (stored) {
                return;
            }
            casRetries.increment();
            Storage.pause(attempt);
        }
    }

    private static List<byte[]> updated(List<byte[]> records, RecordUpdate update) {
        List<byte[]> out = new ArrayList<>(records.size());
        for (byte[] r : records) {
            byte[] u = update.update(r);
            if (u != null) {
                out.add(u);
            }
        }
        return out;
    }

    private static boolean sameRecords(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Visits every page of a space holding records, by a pass over all its entries: only for
     * tables from before the durable pending set (their leftovers are found once, by the layout
     * migration).
     */
    public void forEachOutbox(CollectionSpace space, java.util.function.Consumer<ChangeLog.Location> visitor) {
        cache(space, true).forEachEntry((key, value) -> {
            if (!space.ownsEntry(key) || PageIndex.isIndex(value) || !ItemPage.isItemPage(value)) {
                return;
            }
            ItemPage page = ItemPage.decode(value, space.sorted());
            if (page.outbox().isEmpty() && !page.hasOverflow()) {
                return;
            }
            visitor.accept(StorageKeys.isPage(key)
                    ? new ChangeLog.Location(space, StorageKeys.partitionOfPage(key), StorageKeys.pageIdOf(key))
                    : new ChangeLog.Location(space, key, null));
        });
    }

    static long newPageId() {
        return ThreadLocalRandom.current().nextLong();
    }

    /**
     * Removes every entry of a space (an index being dropped), partition by partition from its
     * directory, resuming after {@code after}; {@code progress} hears each partition removed and
     * may stop the walk. Concurrent writers to the space must have stopped.
     */
    public boolean drop(CollectionSpace space, byte[] after, java.util.function.Predicate<byte[]> progress) {
        Entries cache = cache(space, true);
        boolean[] stopped = {false};
        forEachPartition(space, after, partition -> {
            byte[] root = cache.get(partition);
            if (root != null && PageIndex.isIndex(root)) {
                for (long id : PageIndex.decode(root).pageIds()) {
                    dropPageChain(cache, partition, id);
                }
            } else if (root != null) {
                ItemPage page = decodePage(partition, root, space.sorted());
                for (long i = page.overflowHead(); i < page.overflowTail(); i++) {
                    cache.remove(StorageKeys.overflow(page.overflowUid(), i));
                }
            }
            cache.remove(partition);
            if (!progress.test(partition)) {
                stopped[0] = true;
                return false;
            }
            return true;
        });
        if (stopped[0]) {
            return false;
        }
        if (space.listed()) {
            dropDirectory(space);
        }
        return true;
    }

    private void dropPageChain(Entries cache, byte[] partition, long pageId) {
        byte[] bytes = cache.get(StorageKeys.page(partition, pageId));
        if (bytes != null) {
            ItemPage page = ItemPage.decode(bytes, true);
            for (long i = page.overflowHead(); i < page.overflowTail(); i++) {
                cache.remove(StorageKeys.overflow(page.overflowUid(), i));
            }
            cache.remove(StorageKeys.page(partition, pageId));
        }
    }

    /** Removes a directory (or queue) collection, the single collection of its space. */
    void dropDirectory(CollectionSpace space) {
        CollectionSpace dir = space.isSingleCollection() ? space : space.directory();
        Entries cache = cache(dir, true);
        byte[] partition = dir.partition(CollectionSpace.SINGLE);
        byte[] root = cache.get(partition);
        if (root != null && PageIndex.isIndex(root)) {
            for (long id : PageIndex.decode(root).pageIds()) {
                cache.remove(StorageKeys.page(partition, id));
            }
        }
        cache.remove(partition);
    }

    Entries cache(CollectionSpace space, boolean consistent) {
        try {
            return consistent ? storage.strong(space.cacheName()) : storage.eventual(space.cacheName());
        } catch (Storage.MissingCacheException e) {
            throw Errors.resourceNotFound();
        }
    }

    PageIndex parseIndex(byte[] bytes) {
        return indexes.parse(bytes);
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

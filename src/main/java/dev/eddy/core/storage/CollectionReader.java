package dev.eddy.core.storage;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks one item collection in sort-key order, forward or backward, from a starting key, reading
 * one page at a time, so a read costs the pages it touches whatever the collection's size.
 * Forward it follows right links; backward it asks the page index for the page before the current
 * page's low fence and walks right until it meets that fence (the index may lag splits). Keys are
 * handed out strictly increasing (or decreasing) from the last one, so a split or a merge racing
 * the walk can neither repeat nor skip a key that existed throughout; a page removed under the
 * walk (merged away) sends it back to the root, as stored now, from the last key handed out.
 *
 * <p>Items held by transactions show as every reader shows them: the image of a committed
 * transaction not yet applied, the item as it was for one still in flight or aborted (one state
 * lookup per transaction per walk).
 */
final class CollectionReader {
    private static final int MAX_HOPS = 100_000;
    private static final int MAX_RESTARTS = 8;

    private final Entries cache;
    private final Entries strong;
    private final byte[] partition;
    private final boolean sorted;
    private final java.util.function.Function<byte[], PageIndex> parse;
    private final ItemStore.TransactionStates transactions;
    private PageIndex index;
    private final byte[] inlineRoot;
    private Map<String, ItemStore.TransactionState> states;

    private CollectionReader(Entries cache, Entries strong, byte[] partition, boolean sorted,
                             java.util.function.Function<byte[], PageIndex> parse,
                             ItemStore.TransactionStates transactions, PageIndex index, byte[] inlineRoot) {
        this.cache = cache;
        this.strong = strong;
        this.partition = partition;
        this.sorted = sorted;
        this.parse = parse;
        this.transactions = transactions;
        this.index = index;
        this.inlineRoot = inlineRoot;
    }

    /** A reader for the collection, or null when it does not exist (or is on its way out). */
    static CollectionReader open(Entries cache, Entries strong, byte[] partition, boolean sorted,
                                 java.util.function.Function<byte[], PageIndex> parse,
                                 ItemStore.TransactionStates transactions, byte[] prefetchedRoot) {
        byte[] root = prefetchedRoot != null ? prefetchedRoot : cache.get(partition);
        if (root == null) {
            return null;
        }
        if (PageIndex.isIndex(root)) {
            PageIndex index = parse.apply(root);
            return index.isRemoving() ? null
                    : new CollectionReader(cache, strong, partition, sorted, parse, transactions, index, null);
        }
        if (ItemPage.decode(root, sorted).isRemoving()) {
            return null;
        }
        return new CollectionReader(cache, strong, partition, sorted, parse, transactions, null, root);
    }

    /** Said when a page named by the root or a link is gone: the walk restarts from the root. */
    private static final class PageGone extends RuntimeException {
        PageGone() {
            super(null, null, false, false);
        }
    }

    /**
     * Visits items from {@code start} (null: from the first, or last when backward), including it
     * when {@code inclusive}.
     */
    void walk(AttributeValue start, boolean inclusive, boolean forward, ItemVisitor visitor) {
        if (inlineRoot != null) {
            visitPage(ItemPage.decode(inlineRoot, sorted), start, inclusive, forward, visitor);
            return;
        }
        AttributeValue cursor = start;
        boolean cursorInclusive = inclusive;
        for (int restart = 0; restart <= MAX_RESTARTS; restart++) {
            try {
                walkPages(cursor, cursorInclusive, forward, visitor, restart);
                return;
            } catch (PageGone gone) {
                if (lastVisited != null) {
                    cursor = lastVisited;
                    cursorInclusive = false;
                }
                byte[] fresh = strong.get(partition);
                if (fresh == null || !PageIndex.isIndex(fresh) || PageIndex.decode(fresh).isRemoving()) {
                    return; // the collection went away under the walk
                }
                index = PageIndex.decode(fresh);
            }
        }
        throw Errors.internal("Pages of a collection keep disappearing under a read");
    }

    private AttributeValue lastVisited;

    private void walkPages(AttributeValue start, boolean inclusive, boolean forward, ItemVisitor visitor, int restart) {
        ItemPage page = forward || start != null ? pageCovering(start) : lastPage();
        AttributeValue cursor = start;
        boolean cursorInclusive = inclusive;
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            Visit v = visitPage(page, cursor, cursorInclusive, forward, visitor);
            if (v.stopped) {
                return;
            }
            if (v.last != null) {
                cursor = v.last;
                cursorInclusive = false;
            }
            if (forward) {
                if (page.rightLink() == null) {
                    return;
                }
                page = read(page.rightLink());
            } else {
                if (page.lowFence() == null) {
                    return;
                }
                page = pageBefore(page.lowFence());
            }
        }
        throw Errors.internal("Page chain of a collection does not end");
    }

    private record Visit(boolean stopped, AttributeValue last) {
    }

    private Visit visitPage(ItemPage page, AttributeValue from, boolean inclusive, boolean forward,
                            ItemVisitor visitor) {
        List<AttributeValue> keys;
        List<byte[]> items;
        if (page.hasLocks()) {
            keys = new ArrayList<>();
            items = new ArrayList<>();
            merged(page, keys, items);
        } else {
            keys = null;
            items = null;
        }
        int n = keys == null ? page.size() : keys.size();
        AttributeValue last = null;
        if (forward) {
            int i = from == null ? 0 : firstAtOrAfter(page, keys, from, inclusive);
            for (; i < n; i++) {
                last = keys == null ? page.sortKeyAt(i) : keys.get(i);
                lastVisited = last;
                if (!visitor.visit(last, items == null ? page.itemBytesAt(i) : items.get(i))) {
                    return new Visit(true, last);
                }
            }
        } else {
            int i = from == null ? n - 1 : lastAtOrBefore(page, keys, from, inclusive);
            for (; i >= 0; i--) {
                last = keys == null ? page.sortKeyAt(i) : keys.get(i);
                lastVisited = last;
                if (!visitor.visit(last, items == null ? page.itemBytesAt(i) : items.get(i))) {
                    return new Visit(true, last);
                }
            }
        }
        return new Visit(false, last);
    }

    /** The page's items as a reader sees them: committed transactions' images in place of their items. */
    private void merged(ItemPage page, List<AttributeValue> keys, List<byte[]> items) {
        Map<AttributeValue, byte[]> committed = new java.util.TreeMap<>(sorted ? KeyOrder.INSTANCE : (a, b) -> 0);
        List<AttributeValue> removed = new ArrayList<>();
        for (ItemPage.Lock lock : page.locks()) {
            if (state(lock.transactionId()) != ItemStore.TransactionState.COMMITTED) {
                continue;
            }
            if (lock.image() == null) {
                removed.add(lock.sortKey());
            } else {
                committed.put(lock.sortKey(), lock.image());
            }
        }
        java.util.TreeMap<AttributeValue, byte[]> view = new java.util.TreeMap<>(sorted ? KeyOrder.INSTANCE : (a, b) -> 0);
        for (int i = 0; i < page.size(); i++) {
            view.put(sorted ? page.sortKeyAt(i) : NO_KEY, page.itemBytesAt(i));
        }
        for (AttributeValue k : removed) {
            view.remove(sorted ? k : NO_KEY);
        }
        committed.forEach((k, v) -> view.put(sorted ? k : NO_KEY, v));
        view.forEach((k, v) -> {
            keys.add(sorted ? k : null);
            items.add(v);
        });
    }

    /** Stands for the one key of a hash-only collection in the ordered view above. */
    private static final AttributeValue NO_KEY = AttributeValue.s("");

    private ItemStore.TransactionState state(String transactionId) {
        if (states == null) {
            states = new HashMap<>();
        }
        return states.computeIfAbsent(transactionId, transactions::state);
    }

    private static int firstAtOrAfter(ItemPage page, List<AttributeValue> keys, AttributeValue key, boolean inclusive) {
        int i = keys == null ? page.indexOf(key) : search(keys, key);
        if (i >= 0) {
            return inclusive ? i : i + 1;
        }
        return -i - 1;
    }

    private static int lastAtOrBefore(ItemPage page, List<AttributeValue> keys, AttributeValue key, boolean inclusive) {
        int i = keys == null ? page.indexOf(key) : search(keys, key);
        if (i >= 0) {
            return inclusive ? i : i - 1;
        }
        return -i - 2;
    }

    private static int search(List<AttributeValue> keys, AttributeValue key) {
        if (keys.isEmpty() || keys.get(0) == null) {
            return keys.isEmpty() ? -1 : 0;
        }
        return java.util.Collections.binarySearch(keys, key, KeyOrder.INSTANCE);
    }

    private ItemPage read(long pageId) {
        byte[] bytes = cache.get(StorageKeys.page(partition, pageId));
        if (bytes == null) {
            throw new PageGone();
        }
        return ItemPage.decode(bytes, sorted);
    }

    /**
     * The page holding the key. A dead page the index still names gave its range to its left
     * neighbour: the walk starts there (keys below the start are skipped).
     */
    private ItemPage pageCovering(AttributeValue key) {
        ItemPage page = read(key == null ? index.firstPage() : index.pageFor(key));
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            if (key != null && page.isRightOf(key)) {
                page = read(page.rightLink());
            } else if (page.isDead() && page.lowFence() != null && hops == 0) {
                page = read(index.pageBelow(page.lowFence()));
            } else {
                return page;
            }
        }
        throw Errors.internal("Page chain of a collection does not end");
    }

    private ItemPage lastPage() {
        ItemPage page = read(index.lastPage());
        for (int hops = 0; page.rightLink() != null && hops < MAX_HOPS; hops++) {
            page = read(page.rightLink());
        }
        return page;
    }

    /** The page whose high fence is {@code low}: the one the index puts below it, then rightwards. */
    private ItemPage pageBefore(AttributeValue low) {
        ItemPage page = read(index.pageBelow(low));
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            if (page.highFence() == null || KeyOrder.INSTANCE.compare(page.highFence(), low) >= 0) {
                return page;
            }
            page = read(page.rightLink());
        }
        throw Errors.internal("Page chain of a collection does not end");
    }
}

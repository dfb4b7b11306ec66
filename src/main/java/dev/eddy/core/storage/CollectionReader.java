package dev.eddy.core.storage;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;

/**
 * Walks one item collection in sort-key order, forward or backward, from a starting key, reading
 * one page at a time, so a read costs the pages it touches whatever the collection's size.
 * Forward it follows right links; backward it asks the page index for the page before the current
 * page's low fence and walks right until it meets that fence (the index may lag splits). Keys are
 * handed out strictly increasing (or decreasing) from the last one, so a split racing the walk
 * can neither repeat nor skip a key that existed throughout.
 */
final class CollectionReader {
    private static final int MAX_HOPS = 100_000;

    private final Entries cache;
    private final byte[] partition;
    private final boolean sorted;
    private final PageIndex index;
    private final byte[] inlineRoot;

    private CollectionReader(Entries cache, byte[] partition, boolean sorted, PageIndex index,
                             byte[] inlineRoot) {
        this.cache = cache;
        this.partition = partition;
        this.sorted = sorted;
        this.index = index;
        this.inlineRoot = inlineRoot;
    }

    /** A reader for the collection, or null when it does not exist. */
    static CollectionReader open(Entries cache, byte[] partition, boolean sorted,
                                 java.util.function.Function<byte[], PageIndex> parse) {
        byte[] root = cache.get(partition);
        if (root == null) {
            return null;
        }
        if (ItemPage.formatOf(root) == PageIndex.FORMAT) {
            return new CollectionReader(cache, partition, sorted, parse.apply(root), null);
        }
        return new CollectionReader(cache, partition, sorted, null, root);
    }

    /**
     * Visits items from {@code start} (null: from the first, or last when backward), including it
     * when {@code inclusive}.
     */
    void walk(AttributeValue start, boolean inclusive, boolean forward, ItemVisitor visitor) {
        if (inlineRoot != null) {
            ItemPage page = ItemPage.decode(inlineRoot, sorted);
            visitPage(page, start, inclusive, forward, visitor);
            return;
        }
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
        int n = page.size();
        AttributeValue last = null;
        if (forward) {
            int i = from == null ? 0 : firstAtOrAfter(page, from, inclusive);
            for (; i < n; i++) {
                last = page.sortKeyAt(i);
                if (!visitor.visit(last, page.itemBytesAt(i))) {
                    return new Visit(true, last);
                }
            }
        } else {
            int i = from == null ? n - 1 : lastAtOrBefore(page, from, inclusive);
            for (; i >= 0; i--) {
                last = page.sortKeyAt(i);
                if (!visitor.visit(last, page.itemBytesAt(i))) {
                    return new Visit(true, last);
                }
            }
        }
        return new Visit(false, last);
    }

    private static int firstAtOrAfter(ItemPage page, AttributeValue key, boolean inclusive) {
        int i = page.indexOf(key);
        if (i >= 0) {
            return inclusive ? i : i + 1;
        }
        return -i - 1;
    }

    private static int lastAtOrBefore(ItemPage page, AttributeValue key, boolean inclusive) {
        int i = page.indexOf(key);
        if (i >= 0) {
            return inclusive ? i : i - 1;
        }
        return -i - 2;
    }

    private ItemPage read(long pageId) {
        byte[] bytes = cache.get(StorageKeys.page(partition, pageId));
        if (bytes == null) {
            throw Errors.internal("A page of a collection is missing");
        }
        return ItemPage.decode(bytes, sorted);
    }

    private ItemPage pageCovering(AttributeValue key) {
        ItemPage page = read(key == null ? index.firstPage() : index.pageFor(key));
        for (int hops = 0; key != null && page.isRightOf(key) && hops < MAX_HOPS; hops++) {
            page = read(page.rightLink());
        }
        return page;
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

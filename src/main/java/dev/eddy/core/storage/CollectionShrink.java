package dev.eddy.core.storage;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.Meters;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps item collections from only ever growing (DESIGN.md, "Every structure is bounded"): a
 * leaf page that empties is merged into its left neighbour, a partition that empties is removed
 * with its directory entry, and a page that a crashed split left unlinked is removed when its
 * check comes due. Each is a short protocol of compare-and-sets that whoever meets it half-done
 * finishes:
 * <ul>
 * <li>merge: the empty page turns DEAD (no write can land in it any more), its left neighbour takes
 * its range (high fence and right link), the root stops naming it, the entry goes;</li>
 * <li>removal: the root turns REMOVING (an inline root; a paged one after its only leaf turned
 * DEAD), the directory entry of its generation goes, then the root and its leaf.</li>
 * </ul>
 * The work after the write that emptied a page runs here in the background, best effort: if it is
 * lost, the next writer or reader that meets the page finishes it.
 */
final class CollectionShrink {
    private static final Logger LOG = Logger.getLogger(CollectionShrink.class);
    private static final int MAX_ATTEMPTS = 1_000;
    /** How long after a split its new pages are checked for being linked. */
    static final long CHECK_AFTER_MILLIS = 60_000;

    private final ItemStore items;
    private final Meters meters;
    private final ThreadPoolExecutor background = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(10_000), BackgroundThreads.named("eddy-collection-shrink"),
            new ThreadPoolExecutor.DiscardPolicy());
    private volatile UpkeepQueue queue;

    CollectionShrink(ItemStore items, Meters meters) {
        this.items = items;
        this.meters = meters;
    }

    void queue(UpkeepQueue queue) {
        this.queue = queue;
    }

    private void later(String what, Runnable work) {
        background.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                meters.failures().report("collection-shrink", "Shrinking a collection (" + what + ")", e,
                        "the next writer or reader that meets it finishes it");
            }
        });
    }

    void removeLater(CollectionSpace space, byte[] partition) {
        later("remove", () -> {
            Entries.Versioned root = items.cache(space, true).getVersioned(partition);
            if (root != null && isRemoving(root.value(), space)) {
                finishRemoval(space, partition, root);
            }
        });
    }

    void mergeLater(CollectionSpace space, byte[] partition, long pageId) {
        later("merge", () -> merge(space, partition, pageId));
    }

    void retireLater(CollectionSpace space, byte[] partition) {
        later("retire", () -> retire(space, partition));
    }

    private static boolean isRemoving(byte[] root, CollectionSpace space) {
        return PageIndex.isIndex(root) ? PageIndex.decode(root).isRemoving()
                : ItemPage.decode(root, space.sorted()).isRemoving();
    }

    /** Removes a REMOVING root's directory entry, its pages, then the root itself (as read). */
    void finishRemoval(CollectionSpace space, byte[] partition, Entries.Versioned root) {
        Entries cache = items.cache(space, true);
        long generation = ItemStore.generation(partition, root.value(), space.sorted());
        List<Long> pages = PageIndex.isIndex(root.value()) ? PageIndex.decode(root.value()).pageIds() : List.of();
        if (space.listed()) {
            items.directory().remove(space, partition, generation);
        }
        for (long id : pages) {
            cache.remove(StorageKeys.page(partition, id));
        }
        cache.remove(partition, root.version());
        items.forgetPaged(space, partition);
        meters.counter("eddy.storage.partitions.removed").increment();
    }

    /** Merges an empty leaf (not the first) into its left neighbour. */
    void merge(CollectionSpace space, byte[] partition, long pageId) {
        Entries cache = items.cache(space, true);
        byte[] key = StorageKeys.page(partition, pageId);
        Entries.Versioned current = cache.getVersioned(key);
        if (current == null) {
            return;
        }
        ItemPage page = ItemStore.decodePage(key, current.value(), space.sorted());
        if (page.isDead()) {
            finishMerge(space, partition, pageId, page);
            return;
        }
        if (!page.isVacant() || page.lowFence() == null) {
            return;
        }
        page.markDead();
        if (cache.replace(key, page.encode(), current)) {
            finishMerge(space, partition, pageId, page);
        }
    }

    /** Steps after a page turned DEAD: the left neighbour takes its range, the root forgets it, it goes. */
    void finishMerge(CollectionSpace space, byte[] partition, long pageId, ItemPage dead) {
        finishMerge(space, partition, pageId, dead, 0);
    }

    private void finishMerge(CollectionSpace space, byte[] partition, long pageId, ItemPage dead, int depth) {
        if (dead.lowFence() == null) {
            retireDead(space, partition);
            return;
        }
        if (depth > 16) {
            return;
        }
        Entries cache = items.cache(space, true);
        boolean sorted = space.sorted();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned root = cache.getVersioned(partition);
            if (root == null || !PageIndex.isIndex(root.value())) {
                return;
            }
            PageIndex index = PageIndex.decode(root.value());
            long id = index.pageBelow(dead.lowFence());
            Entries.Versioned left = null;
            ItemPage leftPage = null;
            boolean absorbed = false;
            for (int hops = 0; hops < 100_000; hops++) {
                byte[] k = StorageKeys.page(partition, id);
                left = cache.getVersioned(k);
                if (left == null) {
                    break;
                }
                leftPage = ItemStore.decodePage(k, left.value(), sorted);
                if (leftPage.rightLink() != null && leftPage.rightLink() == pageId) {
                    break;
                }
                if (leftPage.rightLink() == null || id == pageId) {
                    absorbed = true; // nobody links to the dead page any more
                    break;
                }
                id = leftPage.rightLink();
            }
            if (left == null) {
                continue; // a page on the way was merged meanwhile: look again
            }
            if (!absorbed) {
                if (leftPage.isDead()) {
                    finishMerge(space, partition, id, leftPage, depth + 1);
                    continue;
                }
                leftPage.absorbRange(dead.highFence(), dead.rightLink());
                if (!cache.replace(StorageKeys.page(partition, id), leftPage.encode(), left)) {
                    Storage.pause(attempt);
                    continue;
                }
            }
            PageIndex without = index.without(pageId);
            if (without != index && !cache.replace(partition, without.encode(), root)) {
                Storage.pause(attempt);
                continue;
            }
            cache.remove(StorageKeys.page(partition, pageId));
            meters.counter("eddy.storage.pages.merged").increment();
            if (!absorbed && leftPage.isVacant()) {
                // The page that took the range is empty too: it goes the same way (the first page
                // of a partition left with nothing takes the partition with it).
                if (leftPage.lowFence() != null) {
                    merge(space, partition, id);
                } else {
                    retire(space, partition);
                }
            }
            return;
        }
    }

    /** Removes a paged partition whose only leaf is empty. */
    void retire(CollectionSpace space, byte[] partition) {
        if (!space.listed()) {
            return; // legacy layout: an empty paged partition stays until the migration
        }
        Entries cache = items.cache(space, true);
        Entries.Versioned root = cache.getVersioned(partition);
        if (root == null || !PageIndex.isIndex(root.value())) {
            return;
        }
        PageIndex index = PageIndex.decode(root.value());
        if (index.pageCount() != 1) {
            return;
        }
        byte[] key = StorageKeys.page(partition, index.firstPage());
        Entries.Versioned first = cache.getVersioned(key);
        if (first == null) {
            return;
        }
        ItemPage page = ItemStore.decodePage(key, first.value(), space.sorted());
        if (!page.isVacant() || page.rightLink() != null || page.isDead()) {
            if (page.isDead()) {
                retireDead(space, partition);
            }
            return;
        }
        page.markDead();
        if (cache.replace(key, page.encode(), first)) {
            retireDead(space, partition);
        }
    }

    /** The partition's first leaf is DEAD: the root turns REMOVING, then goes with the rest. */
    private void retireDead(CollectionSpace space, byte[] partition) {
        Entries cache = items.cache(space, true);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned root = cache.getVersioned(partition);
            if (root == null || !PageIndex.isIndex(root.value())) {
                return;
            }
            PageIndex index = PageIndex.decode(root.value());
            if (!index.isRemoving()) {
                if (!cache.replace(partition, index.removing().encode(), root)) {
                    Storage.pause(attempt);
                    continue;
                }
                root = cache.getVersioned(partition);
                if (root == null) {
                    return;
                }
            }
            finishRemoval(space, partition, root);
            return;
        }
    }

    /**
     * Before a split or conversion stores new pages: a check of each comes due later, so a page a
     * crash left unlinked (stored, never linked) is found and removed without a pass over the table.
     */
    void expectPages(CollectionSpace space, byte[] partition, List<Long> pageIds) {
        UpkeepQueue q = queue;
        if (q == null || space.isSingleCollection()) {
            return;
        }
        long due = System.currentTimeMillis() + CHECK_AFTER_MILLIS;
        for (long id : pageIds) {
            q.add(space.cacheName(), new UpkeepQueue.Timer(due, UpkeepQueue.CHECK_PAGE, checkPayload(space, partition, id)));
        }
    }

    /** A page check's payload: whether the space is sorted, the partition's storage key, the page id. */
    static byte[] checkPayload(CollectionSpace space, byte[] partition, long pageId) {
        byte[] out = new byte[1 + partition.length + 8];
        out[0] = (byte) (space.sorted() ? 1 : 0);
        System.arraycopy(partition, 0, out, 1, partition.length);
        StorageKeys.putLong(out, 1 + partition.length, pageId);
        return out;
    }

    /**
     * Handles a due page check: the page is linked when walking its collection from the root to
     * its low fence arrives at it; otherwise it is an orphan of a crashed split and goes.
     */
    boolean checkPage(String cacheName, byte[] payload) {
        boolean sorted = payload[0] == 1;
        byte[] partition = java.util.Arrays.copyOfRange(payload, 1, payload.length - 8);
        long pageId = StorageKeys.getLong(payload, payload.length - 8);
        CollectionSpace space = new CollectionSpace(cacheName, new byte[0], sorted, cacheName, false);
        Entries cache = items.cache(space, true);
        byte[] key = StorageKeys.page(partition, pageId);
        Entries.Versioned page = cache.getVersioned(key);
        if (page == null) {
            return true;
        }
        Boolean linked = linked(cache, partition, pageId, ItemPage.decode(page.value(), sorted), sorted);
        if (linked == null) {
            return false; // the chain changed under the check: check again later
        }
        if (!linked) {
            cache.remove(key, page.version());
            meters.counter("eddy.storage.pages.orphans-removed").increment();
            LOG.infof("Removed a page of %s left unlinked by an interrupted split", cacheName);
        }
        return true;
    }

    /** Whether the page is reachable from its collection's root; null when that cannot be told now. */
    private static Boolean linked(Entries cache, byte[] partition, long pageId, ItemPage page, boolean sorted) {
        byte[] root = cache.get(partition);
        if (root == null || !PageIndex.isIndex(root)) {
            return false;
        }
        PageIndex index = PageIndex.decode(root);
        if (index.contains(pageId)) {
            return true;
        }
        long id = page.lowFence() == null ? index.firstPage() : index.pageBelow(page.lowFence());
        for (int hops = 0; hops < 100_000; hops++) {
            if (id == pageId) {
                return true;
            }
            byte[] bytes = cache.get(StorageKeys.page(partition, id));
            if (bytes == null) {
                return null;
            }
            ItemPage p = ItemPage.decode(bytes, sorted);
            if (p.rightLink() == null || page.lowFence() != null && p.lowFence() != null
                    && dev.eddy.core.model.KeyOrder.INSTANCE.compare(p.lowFence(), page.lowFence()) > 0) {
                return false;
            }
            id = p.rightLink();
        }
        return null;
    }
}

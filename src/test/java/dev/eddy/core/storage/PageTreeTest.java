package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page tree of an item collection against a real Infinispan node, with pages small enough
 * that a few thousand items make dozens of leaves: splits keep every item in order and linked
 * right, emptied leaves merge into their neighbours and emptied partitions go (with their
 * directory entries), readers racing merges see every item that existed throughout exactly once,
 * a page a crashed split left unlinked is collected, and a dead page met half-merged is finished by
 * whoever meets it.
 */
class PageTreeTest {
    private static final int PAGE_BYTES = 1024;
    private static TestNode node;
    private static ItemStore items;

    @BeforeAll
    static void start() {
        node = new TestNode(0, PAGE_BYTES);
        items = node.items(PAGE_BYTES);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static final AttributeValue PK = AttributeValue.s("p");

    private static Map<String, AttributeValue> item(int k) {
        return Map.of("pk", PK, "sk", AttributeValue.n(Integer.toString(k)), "pad", AttributeValue.s("x".repeat(60)));
    }

    private static PrimaryKey key(int k) {
        return new PrimaryKey(PK, AttributeValue.n(Integer.toString(k)));
    }

    private static void put(TableDefinition t, int k) {
        items.write(t, key(k), current -> item(k));
    }

    private static void delete(TableDefinition t, int k) {
        items.write(t, key(k), current -> null);
    }

    /** The sort keys of the partition in the order a walk gives them. */
    private static List<Integer> walk(TableDefinition t, boolean forward, boolean consistent) {
        List<Integer> out = new ArrayList<>();
        items.query(t, PK, null, true, forward, consistent, (sk, bytes) -> {
            out.add(Integer.parseInt(sk.n()));
            return true;
        });
        return out;
    }

    private static List<Integer> sorted(java.util.Collection<Integer> keys, boolean forward) {
        List<Integer> out = new ArrayList<>(new TreeSet<>(keys));
        if (!forward) {
            Collections.reverse(out);
        }
        return out;
    }

    /**
     * Walks the leaves by their right links from the first: each covers from its low fence to its
     * high fence, the next starts where it ends, and its keys lie within its fences, in order.
     * Returns the number of live leaves.
     */
    private static int checkChain(TableDefinition t) {
        CollectionSpace space = CollectionSpace.of(t);
        byte[] partition = space.partition(PK);
        Entries cache = items.cache(space, true);
        byte[] root = cache.get(partition);
        assertNotNull(root, "the partition exists");
        if (!PageIndex.isIndex(root)) {
            return 0;
        }
        PageIndex index = PageIndex.decode(root);
        Long id = index.firstPage();
        AttributeValue expectedLow = null;
        int leaves = 0;
        while (id != null) {
            byte[] bytes = cache.get(StorageKeys.page(partition, id));
            assertNotNull(bytes, "page " + id + " is linked and present");
            ItemPage page = ItemPage.decode(bytes, true);
            assertEquals(0, compare(expectedLow, page.lowFence()), "fences are contiguous");
            for (int i = 0; i < page.size(); i++) {
                assertTrue(page.covers(page.sortKeyAt(i)), "keys lie within their page's fences");
                if (i > 0) {
                    assertTrue(KeyOrder.INSTANCE.compare(page.sortKeyAt(i - 1), page.sortKeyAt(i)) < 0, "keys in order");
                }
            }
            if (!page.isDead()) {
                leaves++;
                expectedLow = page.highFence();
            } else {
                expectedLow = page.highFence();
            }
            id = page.rightLink();
        }
        assertNull(expectedLow, "the last page covers everything above it");
        return leaves;
    }

    private static int compare(AttributeValue a, AttributeValue b) {
        if (a == null || b == null) {
            return a == b ? 0 : (a == null ? -1 : 1);
        }
        return KeyOrder.INSTANCE.compare(a, b);
    }

    /** Page entries the cache holds for the partition. */
    private static int pageEntries(TableDefinition t) {
        byte[] partition = CollectionSpace.of(t).partition(PK);
        int n = 0;
        for (byte[] k : node.keys(t.cacheName())) {
            if (StorageKeys.isPage(k) && java.util.Arrays.equals(StorageKeys.partitionOfPage(k), partition)) {
                n++;
            }
        }
        return n;
    }

    private static boolean inDirectory(TableDefinition t) {
        CollectionSpace space = CollectionSpace.of(t);
        byte[] partition = space.partition(PK);
        boolean[] found = {false};
        items.directory().walk(space, 0, ScanSegments.BUCKETS, null, true, p -> {
            found[0] |= java.util.Arrays.equals(p, partition);
            return true;
        });
        return found[0];
    }

    private static void eventually(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void splitsKeepEveryItemInOrderAndLinkedRight() {
        TableDefinition t = Fixtures.table(node, true);
        List<Integer> keys = new ArrayList<>();
        for (int k = 0; k < 2000; k++) {
            keys.add(k);
        }
        Collections.shuffle(keys, new Random(7));
        keys.forEach(k -> put(t, k));
        assertEquals(sorted(keys, true), walk(t, true, true));
        assertEquals(sorted(keys, false), walk(t, false, true));
        assertEquals(sorted(keys, true), walk(t, true, false), "a near-cached walk too");
        int leaves = checkChain(t);
        assertTrue(leaves > 50, "2000 items of ~100 bytes in 1 KB pages make many leaves, not " + leaves);
        // A range from the middle, both ways.
        List<Integer> from = new ArrayList<>();
        items.query(t, PK, AttributeValue.n("1500"), false, true, true, (sk, b) -> from.add(Integer.parseInt(sk.n())));
        assertEquals(499, from.size());
        assertEquals(1501, from.get(0));
        assertTrue(inDirectory(t), "the partition is in its space's directory");
    }

    @Test
    void emptiedLeavesMergeAndAnEmptiedPartitionGoesWithItsDirectoryEntry() throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        for (int k = 0; k < 2000; k++) {
            put(t, k);
        }
        int before = pageEntries(t);
        List<Integer> doomed = new ArrayList<>();
        for (int k = 0; k < 2000; k++) {
            if (k % 200 != 0) {
                doomed.add(k);
            }
        }
        Collections.shuffle(doomed, new Random(11));
        doomed.forEach(k -> delete(t, k));
        List<Integer> kept = List.of(0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800);
        assertEquals(kept, walk(t, true, true));
        eventually("emptied leaves merged away (from " + before + " pages)", () -> pageEntries(t) <= kept.size());
        assertEquals(kept, walk(t, true, true));
        assertEquals(sorted(kept, false), walk(t, false, true));
        assertTrue(checkChain(t) <= kept.size());

        kept.forEach(k -> delete(t, k));
        eventually("the emptied partition is removed", () -> items.cache(CollectionSpace.of(t), true)
                .get(CollectionSpace.of(t).partition(PK)) == null && pageEntries(t) == 0);
        assertFalse(inDirectory(t), "and its directory entry with it");
        assertEquals(List.of(), walk(t, true, true));
        put(t, 5);
        assertEquals(List.of(5), walk(t, true, true), "the partition can be created again");
        assertTrue(inDirectory(t));
    }

    @Test
    void concurrentWritersAndDeletersAgreeWithTheirModel() throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<TreeSet<Integer>> models = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            TreeSet<Integer> model = new TreeSet<>();
            models.add(model);
            int owner = w;
            done.add(pool.submit(() -> {
                Random random = new Random(owner);
                for (int op = 0; op < 600; op++) {
                    int k = random.nextInt(300) * threads + owner; // each thread owns its own keys
                    if (random.nextInt(3) == 0) {
                        delete(t, k);
                        model.remove(k);
                    } else {
                        put(t, k);
                        model.add(k);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        TreeSet<Integer> expected = new TreeSet<>();
        models.forEach(expected::addAll);
        assertEquals(new ArrayList<>(expected), walk(t, true, true));
        assertEquals(sorted(expected, false), walk(t, false, true));
        checkChain(t);
    }

    @Test
    void readersRacingSplitsAndMergesSeeEveryItemThatExistedThroughoutExactlyOnce() throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        List<Integer> stable = new ArrayList<>();
        for (int k = 0; k < 3000; k += 10) {
            put(t, k);
            stable.add(k);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentSkipListSet<String> problems = new ConcurrentSkipListSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Future<?> churn = pool.submit(() -> {
            Random random = new Random(3);
            while (!stop.get()) {
                int k = random.nextInt(3000);
                if (k % 10 == 0) {
                    continue;
                }
                // Bursts of inserts then deletes: pages split and empty again.
                for (int i = 0; i < 40; i++) {
                    put(t, k + i < 3000 && (k + i) % 10 != 0 ? k + i : k);
                }
                for (int i = 0; i < 40; i++) {
                    if ((k + i) % 10 != 0 && k + i < 3000) {
                        delete(t, k + i);
                    }
                }
            }
        });
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            boolean forward = r == 0;
            readers.add(pool.submit(() -> {
                for (int pass = 0; pass < 30; pass++) {
                    List<Integer> seen = walk(t, forward, true);
                    List<Integer> seenStable = new ArrayList<>();
                    for (int k : seen) {
                        if (k % 10 == 0) {
                            seenStable.add(k);
                        }
                    }
                    if (!seenStable.equals(sorted(stable, forward))) {
                        problems.add("pass " + pass + (forward ? " forward" : " backward") + " saw " + seenStable.size()
                                + " of " + stable.size() + " stable items");
                    }
                    for (int i = 1; i < seen.size(); i++) {
                        if (forward ? seen.get(i - 1) >= seen.get(i) : seen.get(i - 1) <= seen.get(i)) {
                            problems.add("out of order or repeated: " + seen.get(i - 1) + ", " + seen.get(i));
                            break;
                        }
                    }
                }
            }));
        }
        for (Future<?> f : readers) {
            f.get(5, TimeUnit.MINUTES);
        }
        stop.set(true);
        churn.get(1, TimeUnit.MINUTES);
        pool.shutdown();
        assertEquals(new TreeSet<String>(), new TreeSet<>(problems));
    }

    @Test
    void aPageACrashedSplitLeftUnlinkedIsCollectedAndALinkedOneKept() throws Exception {
        TableDefinition t = Fixtures.table(node, true);
        for (int k = 0; k < 500; k++) {
            put(t, k);
        }
        CollectionSpace space = CollectionSpace.of(t);
        byte[] partition = space.partition(PK);
        Entries cache = items.cache(space, true);
        PageIndex index = PageIndex.decode(cache.get(partition));
        long linked = index.pageIds().get(index.pageCount() / 2);
        // What a split leaves when it dies after storing its new right page, before linking it.
        ItemPage orphan = ItemPage.leaf(true, AttributeValue.n("250"), null, null);
        orphan.set(AttributeValue.n("250"), dev.eddy.core.model.ItemCodec.encode(item(250)));
        long orphanId = 4242;
        cache.put(StorageKeys.page(partition, orphanId), orphan.encode());

        assertTrue(items.checkPage(t.cacheName(), CollectionShrink.checkPayload(space, partition, orphanId)));
        assertNull(cache.get(StorageKeys.page(partition, orphanId)), "the unlinked page is removed");
        assertTrue(items.checkPage(t.cacheName(), CollectionShrink.checkPayload(space, partition, linked)));
        assertNotNull(cache.get(StorageKeys.page(partition, linked)), "a linked page stays");
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            all.add(k);
        }
        assertEquals(all, walk(t, true, true));
    }

    @Test
    void aDeadPageMetHalfMergedReadsAsEmptyAndAWriterFinishesTheMerge() {
        TableDefinition t = Fixtures.table(node, true);
        CollectionSpace space = CollectionSpace.of(t);
        byte[] partition = space.partition(PK);
        Entries cache = items.cache(space, true);
        // Three leaves [-inf,100) [100,200) [200,+inf); the middle one emptied and turned DEAD,
        // its left neighbour not yet told: the state a merge leaves when it dies after its first step.
        long left = 1;
        long middle = 2;
        long right = 3;
        ItemPage l = ItemPage.leaf(true, null, AttributeValue.n("100"), middle);
        ItemPage m = ItemPage.leaf(true, AttributeValue.n("100"), AttributeValue.n("200"), right);
        ItemPage r = ItemPage.leaf(true, AttributeValue.n("200"), null, null);
        l.set(AttributeValue.n("50"), dev.eddy.core.model.ItemCodec.encode(item(50)));
        r.set(AttributeValue.n("250"), dev.eddy.core.model.ItemCodec.encode(item(250)));
        m.markDead();
        cache.put(StorageKeys.page(partition, left), l.encode());
        cache.put(StorageKeys.page(partition, middle), m.encode());
        cache.put(StorageKeys.page(partition, right), r.encode());
        items.directory().ensure(space, partition, 77);
        cache.putIfAbsent(partition, new PageIndex(77, new ArrayList<>(java.util.Arrays.asList(null,
                AttributeValue.n("100"), AttributeValue.n("200"))), new ArrayList<>(List.of(left, middle, right))).encode());

        assertEquals(List.of(50, 250), walk(t, true, true));
        assertEquals(List.of(250, 50), walk(t, false, true));
        assertNull(items.get(t, key(150), true), "a key in the dead page's range is nowhere yet");
        assertNotNull(items.get(t, key(250), true));

        put(t, 150); // a writer for the dead page's range finishes the merge, then writes to the left neighbour
        assertEquals(List.of(50, 150, 250), walk(t, true, true));
        assertNull(cache.get(StorageKeys.page(partition, middle)), "the dead page is gone");
        assertFalse(PageIndex.decode(cache.get(partition)).contains(middle), "and the root no longer names it");
        ItemPage absorbed = ItemPage.decode(cache.get(StorageKeys.page(partition, left)), true);
        assertEquals(AttributeValue.n("200"), absorbed.highFence(), "its left neighbour took its range");
        assertEquals(2, checkChain(t));
    }
}

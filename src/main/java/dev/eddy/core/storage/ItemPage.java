package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.KeyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run of items of one partition in sort-key order, stored as one cache entry and replaced as a
 * whole by versioned compare-and-set. A small item collection is a single inline page under the
 * partition's root key; a large one is split into leaf pages, each covering the sort keys from its
 * low fence (inclusive) to its high fence (exclusive) and linking to the page on its right, so a
 * reader or writer that arrives with a stale root index still finds every key.
 *
 * <p>Every page carries a uid (random, fixed at creation: for an inline root it is the partition's
 * generation, which the partition directory records), the sequence number of its last write
 * (strictly increasing, inherited by the pages it splits into), an outbox of change records not yet
 * finished (newest last) with, when the outbox outgrew its bound, a run of overflow entries holding
 * its older records, and the locks of transactions in flight.
 *
 * <p>Two states end a page's life. A DEAD leaf was emptied and merged into its left neighbour: it
 * holds nothing, and readers pass through it by its right link. A REMOVING inline root is an empty
 * partition on its way out: its directory entry is removed next, then the root (whoever meets it
 * finishes the job before writing the partition again).
 *
 * <p>Layout (format 4 inline, 5 leaf): format; state flags; uid; for leaves low and high fence
 * (flag byte + key value) and right link (flag + page id); sequence; outbox count and records;
 * overflow uid, head and tail; item count, then per item its sort key (composite-key tables only)
 * and encoded bytes; lock count and locks. Formats 1 and 3 are the layout before uids and states,
 * still read.
 */
public final class ItemPage {
    static final int LEGACY_INLINE = 1;
    static final int LEGACY_LEAF = 3;
    static final int INLINE = 4;
    static final int LEAF = 5;
    static final int DEAD = 1;
    static final int REMOVING = 2;

    private final boolean sorted;
    private final boolean leaf;
    private int flags;
    private long uid;
    private AttributeValue low;
    private AttributeValue high;
    private Long rightLink;
    private long sequence;
    private final List<byte[]> outbox;
    private long overflowUid;
    private long overflowHead;
    private long overflowTail;
    private final List<AttributeValue> sortKeys;
    private final List<byte[]> items;
    /** Items held by transactions in flight, with the image each will have if its transaction commits. */
    private final List<Lock> locks = new ArrayList<>(0);

    /**
     * A transaction's hold on one item: no other write may change it until the transaction is
     * decided; {@code image} is the item's encoding after the transaction (null: absent).
     */
    public record Lock(AttributeValue sortKey, String transactionId, byte[] image) {
    }

    private ItemPage(boolean sorted, boolean leaf, long uid, AttributeValue low, AttributeValue high, Long rightLink,
                     long sequence, List<byte[]> outbox, List<AttributeValue> sortKeys, List<byte[]> items) {
        this.sorted = sorted;
        this.leaf = leaf;
        this.uid = uid;
        this.low = low;
        this.high = high;
        this.rightLink = rightLink;
        this.sequence = sequence;
        this.outbox = outbox;
        this.sortKeys = sortKeys;
        this.items = items;
    }

    static long newUid() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /** A new, empty inline root: a new partition generation. */
    public static ItemPage emptyInline(boolean sorted) {
        return emptyInline(sorted, newUid());
    }

    /** A new, empty inline root of a generation chosen beforehand (a restore enters it in the directory first). */
    static ItemPage emptyInline(boolean sorted, long uid) {
        return new ItemPage(sorted, false, uid, null, null, null, 0, new ArrayList<>(0), new ArrayList<>(1),
                new ArrayList<>(1));
    }

    /** An empty leaf with these fences and right link (a page built by hand, e.g. in the engine's tests). */
    static ItemPage leaf(boolean sorted, AttributeValue low, AttributeValue high, Long rightLink) {
        return new ItemPage(sorted, true, newUid(), low, high, rightLink, 0, new ArrayList<>(0), new ArrayList<>(),
                new ArrayList<>());
    }

    /** The format byte of a stored entry: inline page, leaf page or page index. */
    static int formatOf(byte[] bytes) {
        return bytes[0];
    }

    static boolean isItemPage(byte[] bytes) {
        int f = bytes[0];
        return f == INLINE || f == LEAF || f == LEGACY_INLINE || f == LEGACY_LEAF;
    }

    public static ItemPage decode(byte[] bytes, boolean sorted) {
        ByteReader r = new ByteReader(bytes);
        int format = r.read();
        boolean legacy = format == LEGACY_INLINE || format == LEGACY_LEAF;
        if (!legacy && format != INLINE && format != LEAF) {
            throw new IllegalStateException("not an item page: format " + format);
        }
        boolean leaf = format == LEAF || format == LEGACY_LEAF;
        int flags = legacy ? 0 : r.read();
        long uid = legacy ? 0 : r.int64();
        AttributeValue low = null;
        AttributeValue high = null;
        Long link = null;
        if (leaf) {
            low = r.read() == 1 ? ItemCodec.readValue(r) : null;
            high = r.read() == 1 ? ItemCodec.readValue(r) : null;
            link = r.read() == 1 ? r.int64() : null;
        }
        long sequence = r.int64();
        int outboxCount = (int) r.varint();
        List<byte[]> outbox = new ArrayList<>(outboxCount + 1);
        for (int i = 0; i < outboxCount; i++) {
            outbox.add(r.bytes());
        }
        long ovUid = 0;
        long ovHead = 0;
        long ovTail = 0;
        if (!legacy) {
            ovUid = r.int64();
            ovHead = r.varint();
            ovTail = r.varint();
        }
        int n = (int) r.varint();
        List<AttributeValue> sortKeys = new ArrayList<>(n + 1);
        List<byte[]> items = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            sortKeys.add(sorted ? ItemCodec.readValue(r) : null);
            items.add(r.bytes());
        }
        ItemPage page = new ItemPage(sorted, leaf, uid, low, high, link, sequence, outbox, sortKeys, items);
        page.flags = flags;
        page.overflowUid = ovUid;
        page.overflowHead = ovHead;
        page.overflowTail = ovTail;
        if (r.hasMore()) {
            int lockCount = (int) r.varint();
            for (int i = 0; i < lockCount; i++) {
                AttributeValue sortKey = sorted ? ItemCodec.readValue(r) : null;
                String tx = r.string();
                byte[] image = r.read() == 1 ? r.bytes() : null;
                page.locks.add(new Lock(sortKey, tx, image));
            }
        }
        return page;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(encodedSizeEstimate());
        w.write(leaf ? LEAF : INLINE).write(flags).int64(uid);
        if (leaf) {
            writeOptional(w, low);
            writeOptional(w, high);
            if (rightLink == null) {
                w.write(0);
            } else {
                w.write(1).int64(rightLink);
            }
        }
        w.int64(sequence).varint(outbox.size());
        for (byte[] record : outbox) {
            w.bytes(record);
        }
        w.int64(overflowUid).varint(overflowHead).varint(overflowTail);
        w.varint(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (sorted) {
                ItemCodec.writeValue(w, sortKeys.get(i));
            }
            w.bytes(items.get(i));
        }
        w.varint(locks.size());
        for (Lock lock : locks) {
            if (sorted) {
                ItemCodec.writeValue(w, lock.sortKey());
            }
            w.string(lock.transactionId());
            if (lock.image() == null) {
                w.write(0);
            } else {
                w.write(1).bytes(lock.image());
            }
        }
        return w.toByteArray();
    }

    private static void writeOptional(ByteWriter w, AttributeValue v) {
        if (v == null) {
            w.write(0);
        } else {
            w.write(1);
            ItemCodec.writeValue(w, v);
        }
    }

    /** Bytes this page takes when encoded, near enough to decide when to split. */
    public int encodedSizeEstimate() {
        return 48 + itemBytes() + outboxBytes() + lockBytes();
    }

    private int itemBytes() {
        int size = 0;
        for (int i = 0; i < items.size(); i++) {
            size += items.get(i).length + 4 + (sorted ? 8 + keyLength(sortKeys.get(i)) : 0);
        }
        return size;
    }

    private int lockBytes() {
        int size = 0;
        for (Lock lock : locks) {
            size += 64 + (lock.image() == null ? 0 : lock.image().length);
        }
        return size;
    }

    /** Bytes the outbox records take inside the page. */
    public int outboxBytes() {
        int size = 0;
        for (byte[] record : outbox) {
            size += record.length + 4;
        }
        return size;
    }

    /** Bytes of the items (and locks) alone: what decides a split, whatever the outbox holds. */
    public int contentBytes() {
        return itemBytes() + lockBytes();
    }

    private static int keyLength(AttributeValue v) {
        return switch (v.type()) {
            case S -> v.s().length() * 3;
            case N -> v.n().length();
            default -> v.b().length;
        };
    }

    public boolean isLeaf() {
        return leaf;
    }

    public long uid() {
        return uid;
    }

    /** Pages stored before uids existed get one derived from their key, the same for every reader. */
    void adoptLegacyUid(long derived) {
        if (uid == 0) {
            uid = derived == 0 ? 1 : derived;
        }
    }

    public boolean isDead() {
        return (flags & DEAD) != 0;
    }

    public boolean isRemoving() {
        return (flags & REMOVING) != 0;
    }

    void markDead() {
        flags |= DEAD;
    }

    void markRemoving() {
        flags |= REMOVING;
    }

    public long sequence() {
        return sequence;
    }

    /** Assigns the next sequence number: after the previous one and not behind the clock. */
    public long nextSequence(long clockMicros) {
        sequence = Math.max(sequence + 1, clockMicros);
        return sequence;
    }

    public int size() {
        return items.size();
    }

    public boolean hasLocks() {
        return !locks.isEmpty();
    }

    public List<Lock> locks() {
        return locks;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Nothing lives here any more: no items, no records waiting, no locks. */
    public boolean isVacant() {
        return items.isEmpty() && outbox.isEmpty() && !hasOverflow() && locks.isEmpty();
    }

    /** Whether this leaf's fences hold the sort key (an inline page holds every key). */
    public boolean covers(AttributeValue sortKey) {
        if (!leaf || sortKey == null) {
            return true;
        }
        return (low == null || KeyOrder.INSTANCE.compare(sortKey, low) >= 0)
                && (high == null || KeyOrder.INSTANCE.compare(sortKey, high) < 0);
    }

    /** True when the key lies beyond this leaf's high fence, so it is to be found to the right. */
    public boolean isRightOf(AttributeValue sortKey) {
        return leaf && high != null && sortKey != null && KeyOrder.INSTANCE.compare(sortKey, high) >= 0;
    }

    public Long rightLink() {
        return rightLink;
    }

    public AttributeValue lowFence() {
        return low;
    }

    public AttributeValue highFence() {
        return high;
    }

    /** Takes over a dead right neighbour's range: its high fence and right link. */
    void absorbRange(AttributeValue newHigh, Long newRightLink) {
        this.high = newHigh;
        this.rightLink = newRightLink;
    }

    /** Position of the item with this sort key, or (-(insertion point) - 1), as binary search gives it. */
    public int indexOf(AttributeValue sortKey) {
        if (!sorted) {
            return items.isEmpty() ? -1 : 0;
        }
        return Collections.binarySearch(sortKeys, sortKey, KeyOrder.INSTANCE);
    }

    public Map<String, AttributeValue> get(AttributeValue sortKey) {
        int i = indexOf(sortKey);
        return i >= 0 ? ItemCodec.decode(items.get(i)) : null;
    }

    public AttributeValue sortKeyAt(int i) {
        return sortKeys.get(i);
    }

    public byte[] itemBytesAt(int i) {
        return items.get(i);
    }

    /** Puts (item non-null) or removes (item null) the item with this sort key. */
    public void set(AttributeValue sortKey, byte[] item) {
        int i = indexOf(sortKey);
        if (item == null) {
            if (i >= 0) {
                sortKeys.remove(i);
                items.remove(i);
            }
        } else if (i >= 0) {
            items.set(i, item);
        } else {
            int at = -i - 1;
            sortKeys.add(at, sortKey);
            items.add(at, item);
        }
    }

    /** The change records waiting in the page itself (oldest first); older ones may be in overflow entries. */
    public List<byte[]> outbox() {
        return outbox;
    }

    public boolean hasOverflow() {
        return overflowTail > overflowHead;
    }

    public long overflowUid() {
        return overflowUid;
    }

    public long overflowHead() {
        return overflowHead;
    }

    public long overflowTail() {
        return overflowTail;
    }

    /** The key the next overflow entry takes: this page's own overflow run, started under its uid. */
    long nextOverflowUid() {
        return hasOverflow() || overflowUid != 0 ? overflowUid : uid;
    }

    /** Records the oldest {@code count} records as moved to overflow entry {@code overflowTail}. */
    void spilled(long ovUid, int count) {
        overflowUid = ovUid;
        outbox.subList(0, count).clear();
        overflowTail++;
    }

    /** The oldest overflow entry was finished and removed. */
    void overflowConsumed() {
        overflowHead++;
        if (overflowHead >= overflowTail) {
            overflowHead = 0;
            overflowTail = 0;
            overflowUid = 0;
        }
    }

    /** The transaction lock on the item with this sort key, or null. */
    public Lock lockOf(AttributeValue sortKey) {
        for (Lock lock : locks) {
            if (java.util.Objects.equals(lock.sortKey(), sortKey)) {
                return lock;
            }
        }
        return null;
    }

    public void setLock(Lock lock) {
        removeLock(lock.sortKey());
        locks.add(lock);
    }

    public void removeLock(AttributeValue sortKey) {
        locks.removeIf(l -> java.util.Objects.equals(l.sortKey(), sortKey));
    }

    /**
     * Splits this page's items into leaves of about {@code targetBytes} each, covering this page's
     * fences (an inline page covers all keys). The first leaf keeps this page's place, uid, outbox
     * and overflow; the others get the ids given, in order, fresh uids, and each links to the next.
     */
    List<ItemPage> splitInto(int targetBytes, java.util.function.LongSupplier newIds, List<Long> idsOut) {
        List<ItemPage> pages = new ArrayList<>();
        int start = 0;
        int n = items.size();
        while (start < n) {
            int end = start;
            int bytes = 0;
            while (end < n && (end == start || bytes + items.get(end).length <= targetBytes)) {
                bytes += items.get(end).length;
                end++;
            }
            if (end == n && pages.isEmpty() && n >= 2) {
                end = n / 2; // everything fit in one piece: still split in two
            }
            boolean first = start == 0;
            ItemPage p = new ItemPage(sorted, true, first && leaf ? uid : newUid(), first ? low : sortKeys.get(start),
                    null, null, sequence, new ArrayList<>(first ? outbox : List.of()),
                    new ArrayList<>(sortKeys.subList(start, end)), new ArrayList<>(items.subList(start, end)));
            if (first) {
                p.overflowUid = overflowUid;
                p.overflowHead = overflowHead;
                p.overflowTail = overflowTail;
            }
            pages.add(p);
            start = end;
        }
        for (int i = 0; i < pages.size(); i++) {
            ItemPage p = pages.get(i);
            boolean last = i == pages.size() - 1;
            p.high = last ? high : pages.get(i + 1).low;
            if (i > 0) {
                idsOut.add(newIds.getAsLong());
            }
        }
        for (int i = 0; i < pages.size(); i++) {
            pages.get(i).rightLink = i < pages.size() - 1 ? idsOut.get(i) : rightLink;
        }
        // Each lock goes with its item's key to the page that covers it.
        for (Lock lock : locks) {
            for (ItemPage p : pages) {
                if (p.covers(lock.sortKey())) {
                    p.locks.add(lock);
                    break;
                }
            }
        }
        return pages;
    }
}

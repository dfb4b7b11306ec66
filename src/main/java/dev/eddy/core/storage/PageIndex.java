package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.KeyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The root of a large item collection: its leaf pages in sort-key order, each with the lowest sort
 * key it covers (the first page covers everything below the second). It may lag behind splits that
 * have happened (leaves link to their right neighbours), never ahead of them, and a root once paged
 * stays paged until the partition is removed, so a near-cached copy is good enough to start from.
 * It carries the partition's generation (the uid of the inline root it replaced), which the
 * partition directory records, and the REMOVING state of a partition on its way out.
 *
 * <p>Layout (format 6): format, state flags, generation, page count, then per page its low key
 * (absent for the first) and id. Format 2 is the layout before generations, still read.
 */
public final class PageIndex {
    static final int LEGACY_FORMAT = 2;
    static final int FORMAT = 6;

    private final int flags;
    private final long generation;
    private final List<AttributeValue> lows;
    private final List<Long> pageIds;

    PageIndex(long generation, List<AttributeValue> lows, List<Long> pageIds) {
        this(0, generation, lows, pageIds);
    }

    private PageIndex(int flags, long generation, List<AttributeValue> lows, List<Long> pageIds) {
        this.flags = flags;
        this.generation = generation;
        this.lows = lows;
        this.pageIds = pageIds;
    }

    static boolean isIndex(byte[] bytes) {
        return bytes[0] == FORMAT || bytes[0] == LEGACY_FORMAT;
    }

    static PageIndex decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int format = r.read();
        if (format != FORMAT && format != LEGACY_FORMAT) {
            throw new IllegalStateException("not a page index");
        }
        int flags = format == FORMAT ? r.read() : 0;
        long generation = format == FORMAT ? r.int64() : 0;
        int n = (int) r.varint();
        List<AttributeValue> lows = new ArrayList<>(n + 1);
        List<Long> ids = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            lows.add(i == 0 ? null : ItemCodec.readValue(r));
            ids.add(r.int64());
        }
        return new PageIndex(flags, generation, lows, ids);
    }

    byte[] encode() {
        ByteWriter w = new ByteWriter(32 + pageIds.size() * 24);
        w.write(FORMAT).write(flags).int64(generation).varint(pageIds.size());
        for (int i = 0; i < pageIds.size(); i++) {
            if (i > 0) {
                ItemCodec.writeValue(w, lows.get(i));
            }
            w.int64(pageIds.get(i));
        }
        return w.toByteArray();
    }

    long generation() {
        return generation;
    }

    boolean isRemoving() {
        return (flags & ItemPage.REMOVING) != 0;
    }

    PageIndex removing() {
        return new PageIndex(flags | ItemPage.REMOVING, generation, lows, pageIds);
    }

    /** Indexes stored before generations existed get one derived from their key. */
    PageIndex withLegacyGeneration(long derived) {
        return generation != 0 ? this : new PageIndex(flags, derived == 0 ? 1 : derived, lows, pageIds);
    }

    /** The page that, as far as this index knows, covers the sort key. */
    long pageFor(AttributeValue sortKey) {
        int lo = 1;
        int hi = lows.size() - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (KeyOrder.INSTANCE.compare(lows.get(mid), sortKey) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return pageIds.get(found);
    }

    long firstPage() {
        return pageIds.get(0);
    }

    long lastPage() {
        return pageIds.get(pageIds.size() - 1);
    }

    List<Long> pageIds() {
        return pageIds;
    }

    /** The last page whose low key is below {@code key} (the first page when none is). */
    long pageBelow(AttributeValue key) {
        int found = 0;
        for (int lo = 1, hi = lows.size() - 1; lo <= hi; ) {
            int mid = (lo + hi) >>> 1;
            if (KeyOrder.INSTANCE.compare(lows.get(mid), key) < 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return pageIds.get(found);
    }

    int pageCount() {
        return pageIds.size();
    }

    boolean contains(long pageId) {
        return pageIds.contains(pageId);
    }

    /** This index with a page added at its low key, or itself when the page is there already. */
    PageIndex with(AttributeValue low, long pageId) {
        if (pageIds.contains(pageId)) {
            return this;
        }
        List<AttributeValue> l = new ArrayList<>(lows);
        List<Long> ids = new ArrayList<>(pageIds);
        int at = l.size();
        for (int i = 1; i < l.size(); i++) {
            if (KeyOrder.INSTANCE.compare(l.get(i), low) > 0) {
                at = i;
                break;
            }
        }
        l.add(at, low);
        ids.add(at, pageId);
        return new PageIndex(flags, generation, l, ids);
    }

    /** This index without a page (merged away), or itself when it is not listed; the first page stays. */
    PageIndex without(long pageId) {
        int at = pageIds.indexOf(pageId);
        if (at <= 0) {
            return this;
        }
        List<AttributeValue> l = new ArrayList<>(lows);
        List<Long> ids = new ArrayList<>(pageIds);
        l.remove(at);
        ids.remove(at);
        return new PageIndex(flags, generation, l, ids);
    }
}

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
 * stays paged, so a near-cached copy is good enough to start from.
 *
 * <p>Layout: format byte 2, page count, then per page its low key (absent for the first) and id.
 */
public final class PageIndex {
    static final int FORMAT = 2;

    private final List<AttributeValue> lows;
    private final List<Long> pageIds;

    PageIndex(List<AttributeValue> lows, List<Long> pageIds) {
        this.lows = lows;
        this.pageIds = pageIds;
    }

    static PageIndex decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        if (r.read() != FORMAT) {
            throw new IllegalStateException("not a page index");
        }
        int n = (int) r.varint();
        List<AttributeValue> lows = new ArrayList<>(n + 1);
        List<Long> ids = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            lows.add(i == 0 ? null : ItemCodec.readValue(r));
            ids.add(r.int64());
        }
        return new PageIndex(lows, ids);
    }

    byte[] encode() {
        ByteWriter w = new ByteWriter(16 + pageIds.size() * 24);
        w.write(FORMAT).varint(pageIds.size());
        for (int i = 0; i < pageIds.size(); i++) {
            if (i > 0) {
                ItemCodec.writeValue(w, lows.get(i));
            }
            w.int64(pageIds.get(i));
        }
        return w.toByteArray();
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
        return new PageIndex(l, ids);
    }
}

package dev.eddy.core.backup;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import dev.eddy.core.storage.ItemPage;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.transaction.TransactionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A page's items as of a backup's point, from a page state whose last write is at or before the
 * point. Items held by a transaction show as the transaction left them if it committed at or before
 * the point, else as they were: so a transaction is in a backup whole or not at all, whatever its
 * locks' state in the pages copied (a lock does not change a page's sequence number).
 */
final class PointInTime {
    private PointInTime() {
    }

    /**
     * The page's items at the point, or null when a lock's transaction record is gone and the page
     * is no longer as read (the transaction was settled after the read: read the page again).
     *
     * @param unchanged whether the page is still as read (asked only when a record is gone: a
     *                  record goes only after every lock of it is settled, so a lock still in the
     *                  page as stored belongs to a transaction that was aborted)
     */
    static List<PointItem> items(ItemPage page, long pointMicros, TransactionLog transactions, BooleanSupplier unchanged) {
        TreeMap<AttributeValue, byte[]> view = new TreeMap<>(KeyOrder.INSTANCE);
        AttributeValue none = AttributeValue.s("");
        for (int i = 0; i < page.size(); i++) {
            view.put(key(page.sortKeyAt(i), none), page.itemBytesAt(i));
        }
        for (ItemPage.Lock lock : page.locks()) {
            TransactionLog.Entry t = transactions.find(lock.transactionId());
            if (t == null) {
                if (!unchanged.getAsBoolean()) {
                    return null;
                }
                continue;
            }
            // A transaction still PENDING is decided after now, which is after the point.
            boolean inBackup = t.state() == TransactionState.COMMITTED && t.decidedMicros() <= pointMicros;
            if (inBackup) {
                AttributeValue k = key(lock.sortKey(), none);
                if (lock.image() == null) {
                    view.remove(k);
                } else {
                    view.put(k, lock.image());
                }
            }
        }
        List<PointItem> out = new ArrayList<>(view.size());
        view.forEach((k, v) -> out.add(new PointItem(k == none ? null : k, page.sequence(), v)));
        return out;
    }

    /** A table without a sort key holds one item per page: it stands under a placeholder key. */
    private static AttributeValue key(AttributeValue sortKey, AttributeValue none) {
        return sortKey == null ? none : sortKey;
    }

    /** Waits until this process's clock is past the point, so what is read now is read after it. */
    static void waitPast(long pointMicros) {
        while (System.currentTimeMillis() * 1000 <= pointMicros) {
            try {
                Thread.sleep(Math.max(1, (pointMicros / 1000) - System.currentTimeMillis() + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a backup's point", e);
            }
        }
    }
}

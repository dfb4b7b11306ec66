package dev.eddy.core.backup;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ChangeLog;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a backup's data lies in its own cache ({@code eddy.backup.<id>}), in two parts that together
 * hold every page of the table as it was at the backup's point:
 * <ul>
 * <li>runs: what the copy duty read, partition after partition in Scan order, in numbered chunk
 * entries ({@link #run}), each a sequence of groups (a partition's storage key and items); a large
 * partition spans several groups;</li>
 * <li>captures: the page states writers kept for the backup just before replacing them, in an item
 * collection per partition (same storage keys as the table's, with a partition directory, so they
 * too are walked in Scan order), one item per page, keyed by the page, holding the page's items
 * and its sequence number.</li>
 * </ul>
 * Both go by partition in the same order, so a reader merges them partition by partition
 * ({@link BackupReader}) and never lists the cache.
 */
final class BackupData {
    /** First byte of a run chunk's key: not a key type tag (0-2) and none of the engine's (0x7A-0x7F). */
    private static final byte RUN_TAG = 0x60;
    private static final String SEQUENCE = "q";
    private static final String ITEMS = "c";
    /** The point a capture was taken for (absent in captures kept before it was recorded: 0). */
    private static final String POINT = "p";

    private BackupData() {
    }

    /** The captures: a table-like space of the backup's cache (sorted by page key, with a directory). */
    static CollectionSpace captures(String cacheName) {
        return new CollectionSpace(cacheName, new byte[0], true, cacheName + " captures", true);
    }

    static byte[] runKey(long chunk) {
        ByteWriter w = new ByteWriter(9).write(RUN_TAG).int64(chunk);
        return w.toByteArray();
    }

    /** A page's key within its partition's captures: the inline root sorts first, leaves by id. */
    static AttributeValue pageKey(ChangeLog.Location location) {
        if (location.pageId() == null) {
            return AttributeValue.b(new byte[] {0});
        }
        return AttributeValue.b(new ByteWriter(9).write(1).int64(location.pageId()).toByteArray());
    }

    /**
     * Keeps a page state for the backup: the state with the highest sequence number at or before the
     * point is the one the page had at the point, so a state kept already is replaced only by a later
     * one. Of two captures of the same state, the one for the later point stays: a backup announced
     * too late is announced again with a later point (BackupCopy), and a state's items are read as of
     * the point (a transaction settled between the two points is in the later one's).
     */
    static void capture(ItemStore items, String cacheName, ChangeLog.Location location, long sequence,
                        long pointMicros, List<PointItem> state) {
        CollectionSpace space = captures(cacheName);
        AttributeValue hash = location.space().hashOf(location.partition());
        Map<String, AttributeValue> entry = Map.of(SEQUENCE, AttributeValue.n(Long.toString(sequence)),
                POINT, AttributeValue.n(Long.toString(pointMicros)), ITEMS, AttributeValue.b(PointItem.encode(state)));
        items.write(space, new PrimaryKey(hash, pageKey(location)),
                existing -> existing != null && keeps(existing, sequence, pointMicros) ? existing : entry);
    }

    /** Whether a kept capture is of a later state than (sequence, point), or of the same one for a point not earlier. */
    static boolean keeps(Map<String, AttributeValue> existing, long sequence, long pointMicros) {
        long kept = Long.parseLong(existing.get(SEQUENCE).n());
        if (kept != sequence) {
            return kept > sequence;
        }
        AttributeValue point = existing.get(POINT);
        return (point == null ? 0 : Long.parseLong(point.n())) >= pointMicros;
    }

    /** The items of one stored capture. */
    static List<PointItem> capturedItems(byte[] captureItem) {
        Map<String, AttributeValue> c = dev.eddy.core.model.ItemCodec.decode(captureItem);
        return PointItem.decode(c.get(ITEMS).b());
    }

    /** A partition's items from one run chunk (or one capture). */
    record Group(byte[] partition, List<PointItem> items) {
    }

    static byte[] encodeRun(List<Group> groups) {
        ByteWriter w = new ByteWriter(4096).varint(groups.size());
        for (Group g : groups) {
            w.bytes(g.partition());
            PointItem.write(w, g.items());
        }
        return w.toByteArray();
    }

    static List<Group> decodeRun(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int n = (int) r.varint();
        List<Group> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Group(r.bytes(), PointItem.read(r)));
        }
        return out;
    }

    static void putRun(Entries cache, long chunk, List<Group> groups) {
        cache.put(runKey(chunk), encodeRun(groups));
    }

    static List<Group> readRun(Entries cache, long chunk) {
        byte[] bytes = cache.get(runKey(chunk));
        return bytes == null ? List.of() : decodeRun(bytes);
    }
}

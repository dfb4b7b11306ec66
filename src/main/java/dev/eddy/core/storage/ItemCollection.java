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

/**
 * All items sharing one partition key, kept in sort-key order in one cache entry and replaced as a
 * whole by versioned compare-and-set. Alongside the items the entry carries the sequence number of
 * its last write (strictly increasing per collection) and room for change records not yet
 * published (the outbox, filled once streams are on).
 *
 * <p>Layout, version 1: format byte, sequence (8 bytes), outbox count and records, item count,
 * then per item its sort key value (composite-key tables only) and its encoded bytes.
 */
public final class ItemCollection {
    private static final int FORMAT = 1;

    private final boolean sorted;
    private long sequence;
    private final List<byte[]> outbox;
    private final List<AttributeValue> sortKeys;
    private final List<byte[]> items;

    private ItemCollection(boolean sorted, long sequence, List<byte[]> outbox, List<AttributeValue> sortKeys,
                           List<byte[]> items) {
        this.sorted = sorted;
        this.sequence = sequence;
        this.outbox = outbox;
        this.sortKeys = sortKeys;
        this.items = items;
    }

    public static ItemCollection empty(boolean sorted) {
        return new ItemCollection(sorted, 0, new ArrayList<>(0), new ArrayList<>(1), new ArrayList<>(1));
    }

    public static ItemCollection decode(byte[] bytes, boolean sorted) {
        ByteReader r = new ByteReader(bytes);
        int format = r.read();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown item collection format " + format);
        }
        long sequence = r.int64();
        int outboxCount = (int) r.varint();
        List<byte[]> outbox = new ArrayList<>(outboxCount);
        for (int i = 0; i < outboxCount; i++) {
            outbox.add(r.bytes());
        }
        int n = (int) r.varint();
        List<AttributeValue> sortKeys = new ArrayList<>(n + 1);
        List<byte[]> items = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            sortKeys.add(sorted ? ItemCodec.readValue(r) : null);
            items.add(r.bytes());
        }
        return new ItemCollection(sorted, sequence, outbox, sortKeys, items);
    }

    public byte[] encode() {
        int estimate = 16;
        for (byte[] item : items) {
            estimate += item.length + 16;
        }
        ByteWriter w = new ByteWriter(estimate);
        w.write(FORMAT).int64(sequence).varint(outbox.size());
        for (byte[] record : outbox) {
            w.bytes(record);
        }
        w.varint(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (sorted) {
                ItemCodec.writeValue(w, sortKeys.get(i));
            }
            w.bytes(items.get(i));
        }
        return w.toByteArray();
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

    public boolean isEmpty() {
        return items.isEmpty();
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

    public List<byte[]> outbox() {
        return outbox;
    }
}

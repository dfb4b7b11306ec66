package dev.eddy.core.outbox;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.stream.StreamRecords;
import java.util.ArrayList;
import java.util.List;

/**
 * One change as it waits in a page's outbox: what its consumers still have to do with it. A
 * record carries its sequence number (unique in its page), the item's key, and for each consumer
 * still to run its part: the stream message to publish ({@link #STREAM}), and the index and
 * expiry work ({@link #UPKEEP}): the item's entry keys in each secondary index before the change
 * (where the item leaves them) and its expiry time before and after. A consumer that is done
 * clears its flag; a record with no consumer's flag left is dropped from the outbox.
 * {@link #ITEM_AFTER} says the change left an item (a put or an update, not a delete).
 *
 * <p>Layout: sequence (8 bytes), 0 (this layout; a record from before it starts its second field
 * with a topic's non-zero length), flags, the key (hash value, then a flag and the range value),
 * the stream message when there is one, then the upkeep part: count of (index id, entry key),
 * expiry before and after (-1 when none).
 */
public record ChangeRecord(long sequence, int flags, PrimaryKey key, StreamRecords.Message message,
                           List<IndexKey> oldIndexKeys, long oldExpiry, long newExpiry) {
    public static final int STREAM = 1;
    public static final int UPKEEP = 2;
    /**
     * Not a consumer: the item exists after the change, so a strong read that finds no item (and no
     * page) while this record waits has met a replica that missed the change (a node cut off, or
     * merging back), not a later delete. Absent from records stored before it (read as unknown).
     */
    public static final int ITEM_AFTER = 4;
    public static final long NO_EXPIRY = -1;

    /** An item's entry key in one secondary index (by the index's storage id). */
    public record IndexKey(String indexId, PrimaryKey entryKey) {
    }

    public boolean wants(int flag) {
        return (flags & flag) != 0;
    }

    public ChangeRecord without(int flag) {
        return new ChangeRecord(sequence, flags & ~flag, key, message, oldIndexKeys, oldExpiry, newExpiry);
    }

    public boolean done() {
        return (flags & (STREAM | UPKEEP)) == 0;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + (message == null ? 0 : message.key().length + message.value().length));
        w.int64(sequence).write(0).write(flags);
        writeKey(w, key);
        if (message == null) {
            w.write(0);
        } else {
            w.write(1).string(message.topic()).bytes(message.key()).bytes(message.value());
        }
        w.varint(oldIndexKeys.size());
        for (IndexKey k : oldIndexKeys) {
            w.string(k.indexId());
            writeKey(w, k.entryKey());
        }
        w.int64(oldExpiry).int64(newExpiry);
        return w.toByteArray();
    }

    public static ChangeRecord decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        long sequence = r.int64();
        ByteReader peek = new ByteReader(bytes);
        peek.int64();
        if (peek.read() != 0) {
            // A record from before this layout: a stream message alone (topic, key, value).
            String topic = r.string();
            return new ChangeRecord(sequence, STREAM, null, new StreamRecords.Message(topic, r.bytes(), r.bytes()),
                    List.of(), NO_EXPIRY, NO_EXPIRY);
        }
        r.read();
        int flags = r.read();
        PrimaryKey key = readKey(r);
        StreamRecords.Message message = r.read() == 1 ? new StreamRecords.Message(r.string(), r.bytes(), r.bytes()) : null;
        int n = (int) r.varint();
        List<IndexKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(new IndexKey(r.string(), readKey(r)));
        }
        return new ChangeRecord(sequence, flags, key, message, keys, r.int64(), r.int64());
    }

    private static void writeKey(ByteWriter w, PrimaryKey key) {
        ItemCodec.writeValue(w, key.hash());
        if (key.range() == null) {
            w.write(0);
        } else {
            w.write(1);
            ItemCodec.writeValue(w, key.range());
        }
    }

    private static PrimaryKey readKey(ByteReader r) {
        AttributeValue hash = ItemCodec.readValue(r);
        AttributeValue range = r.read() == 1 ? ItemCodec.readValue(r) : null;
        return new PrimaryKey(hash, range);
    }
}

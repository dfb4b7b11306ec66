package dev.eddy.core.backup;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * One item as a backup holds it: its sort key (null in a table without one), its encoded bytes,
 * and the sequence number of the page state it was read from. Two copies of one item in a backup
 * (a page copied twice) hold the same state, unless a write was still landing at the point; then
 * the higher sequence is the later state.
 */
public record PointItem(AttributeValue sortKey, long sequence, byte[] item) {

    static void write(ByteWriter w, List<PointItem> items) {
        w.varint(items.size());
        for (PointItem i : items) {
            if (i.sortKey == null) {
                w.write(0);
            } else {
                w.write(1);
                ItemCodec.writeValue(w, i.sortKey);
            }
            w.int64(i.sequence).bytes(i.item);
        }
    }

    static List<PointItem> read(ByteReader r) {
        int n = (int) r.varint();
        List<PointItem> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AttributeValue sk = r.read() == 1 ? ItemCodec.readValue(r) : null;
            out.add(new PointItem(sk, r.int64(), r.bytes()));
        }
        return out;
    }

    static byte[] encode(List<PointItem> items) {
        ByteWriter w = new ByteWriter(64);
        write(w, items);
        return w.toByteArray();
    }

    static List<PointItem> decode(byte[] bytes) {
        return read(new ByteReader(bytes));
    }
}

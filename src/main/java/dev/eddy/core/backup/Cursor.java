package dev.eddy.core.backup;

import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;

/**
 * Where a backup's copy or a restore stands, saved with its duty's lease: the last partition done
 * (null: none yet) and the run chunk to go on at (the next to write, or to read).
 */
record Cursor(byte[] after, long chunk) {
    byte[] encode() {
        ByteWriter w = new ByteWriter(32).int64(chunk);
        if (after != null) {
            w.write(1).bytes(after);
        } else {
            w.write(0);
        }
        return w.toByteArray();
    }

    static Cursor decode(byte[] state) {
        if (state.length == 0) {
            return new Cursor(null, 0);
        }
        ByteReader r = new ByteReader(state);
        long chunk = r.int64();
        return new Cursor(r.read() == 1 ? r.bytes() : null, chunk);
    }
}

package dev.eddy.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int read() {
        if (pos >= end) {
            throw new IllegalStateException("truncated record");
        }
        return buf[pos++] & 0xFF;
    }

    public long varint() {
        long v = 0;
        int shift = 0;
        while (true) {
            int b = read();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }

    public byte[] bytes() {
        int n = (int) varint();
        if (pos + n > end) {
            throw new IllegalStateException("truncated record");
        }
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public String string() {
        int n = (int) varint();
        if (pos + n > end) {
            throw new IllegalStateException("truncated record");
        }
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public long int64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | read();
        }
        return v;
    }

    public boolean hasMore() {
        return pos < end;
    }

    public int position() {
        return pos;
    }

    public void skip(int n) {
        pos += n;
    }
}

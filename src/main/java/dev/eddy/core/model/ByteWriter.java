package dev.eddy.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the few primitives Eddy's storage formats need. */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public ByteWriter write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    public ByteWriter write(byte[] b) {
        return write(b, 0, b.length);
    }

    public ByteWriter write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public ByteWriter varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter bytes(byte[] b) {
        varint(b.length);
        return write(b);
    }

    public ByteWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public ByteWriter int64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (i * 8));
        }
        return this;
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}

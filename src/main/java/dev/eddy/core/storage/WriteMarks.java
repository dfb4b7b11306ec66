package dev.eddy.core.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who wrote a stored value, so that a compare-and-set whose reply was lost can tell afterwards whether
 * it applied. The Hot Rod client retries an operation whose connection broke (or timed out) on
 * another server; when the first attempt had applied, the retry finds the version moved by that very
 * write and answers "not replaced". Every value {@link Entries} stores ends with a trailer naming the
 * last few writes: a random mark per write attempt and the version that write replaced ({@link #ABSENT}
 * for a create). A given version is replaced by exactly one write (versions never come back), so the
 * trailer entry that names the version we expected says whether we or another writer replaced it.
 *
 * <p>Layout after the sealed value: {@code n} entries of 16 bytes (mark, replaced version; newest
 * first), {@code n} as one byte, then the 4 bytes of {@link #MAGIC}. A value without the magic is one
 * stored before marks existed and has no trailer.
 */
final class WriteMarks {
    /** Writes remembered per value: a writer concurrent with the retry may add some before we look. */
    static final int DEPTH = 4;
    /** The version a create names: no stored version is this. */
    static final long ABSENT = Long.MIN_VALUE;
    private static final int ENTRY = 16;
    private static final int MAGIC = 0xEDD1_3A9C;
    private static final int FOOTER = 5;

    /** What a trailer says of one write attempt. */
    enum Outcome { APPLIED, NOT_APPLIED, UNKNOWN }

    private WriteMarks() {
    }

    /** A fresh mark for one write attempt (never 0, so a zeroed trailer never matches). */
    static long newMark() {
        long m;
        do {
            m = ThreadLocalRandom.current().nextLong();
        } while (m == 0);
        return m;
    }

    /**
     * The bytes to store: {@code sealed}, then this write's mark and the version it replaces, then
     * the newest marks of {@code previousTrailer} (a trailer {@link #trailer} took from the value
     * being replaced; empty when unknown). {@code mark} 0 stores no entry (an unconditional put).
     */
    static byte[] marked(byte[] sealed, long mark, long replaces, byte[] previousTrailer) {
        int kept = mark == 0 ? 0 : Math.min(DEPTH - 1, count(previousTrailer));
        int n = mark == 0 ? 0 : 1 + kept;
        ByteBuffer b = ByteBuffer.allocate(sealed.length + n * ENTRY + FOOTER);
        b.put(sealed);
        if (mark != 0) {
            b.putLong(mark).putLong(replaces);
            b.put(previousTrailer, 0, kept * ENTRY);
        }
        b.put((byte) n).putInt(MAGIC);
        return b.array();
    }

    /** The sealed value without its trailer (a value stored before marks existed is returned as it is). */
    static byte[] value(byte[] stored) {
        int t = trailerLength(stored);
        return t == 0 ? stored : java.util.Arrays.copyOf(stored, stored.length - t);
    }

    /** The entries of a stored value's trailer (16 bytes each, newest first); empty when it has none. */
    static byte[] trailer(byte[] stored) {
        if (stored == null) {
            return new byte[0];
        }
        int t = trailerLength(stored);
        return t <= FOOTER ? new byte[0] : java.util.Arrays.copyOfRange(stored, stored.length - t, stored.length - FOOTER);
    }

    /**
     * Whether the write marked {@code mark}, made against {@code expected} (a version, or
     * {@link #ABSENT}), is the one that replaced it, as far as the value {@code stored} remembers.
     */
    static Outcome outcome(byte[] stored, long mark, long expected) {
        if (stored == null) {
            return Outcome.UNKNOWN;
        }
        int t = trailerLength(stored);
        int n = t <= FOOTER ? 0 : (t - FOOTER) / ENTRY;
        ByteBuffer b = ByteBuffer.wrap(stored, stored.length - t, Math.max(0, t - FOOTER));
        for (int i = 0; i < n; i++) {
            long m = b.getLong();
            long replaced = b.getLong();
            if (m == mark) {
                return Outcome.APPLIED;
            }
            if (replaced == expected) {
                // The one write that replaced our version (or created this value) was another's.
                return Outcome.NOT_APPLIED;
            }
        }
        return Outcome.UNKNOWN;
    }

    private static int count(byte[] trailer) {
        return trailer == null ? 0 : trailer.length / ENTRY;
    }

    /** The trailer's length (entries and footer), or 0 when the value has none. */
    private static int trailerLength(byte[] stored) {
        if (stored.length < FOOTER) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(stored);
        if (b.getInt(stored.length - 4) != MAGIC) {
            return 0;
        }
        int n = stored[stored.length - FOOTER] & 0xFF;
        int length = n * ENTRY + FOOTER;
        return n <= DEPTH && length <= stored.length ? length : 0;
    }
}

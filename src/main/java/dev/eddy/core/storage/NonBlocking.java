package dev.eddy.core.storage;

import java.util.function.Supplier;

/**
 * Runs work on a thread that must not wait on the network (an HTTP event loop): inside
 * {@link #attempt}, a storage read that the near cache answers is served at once, and anything that
 * would need a server (a near-cache miss, a consistent read, any write) throws {@link WouldBlock}
 * before it does anything. The caller then runs the same request again where waiting is allowed.
 * Only read-only work may be attempted this way: a write would need the network before it changes
 * anything, so an attempt never leaves a partial effect, but nothing else checks that.
 */
public final class NonBlocking {
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();
    private static final WouldBlock WOULD_BLOCK = new WouldBlock();

    private NonBlocking() {
    }

    /** The work's result, or null when it would have had to wait on a server. */
    public static <T> T attempt(Supplier<T> work) {
        if (ACTIVE.get() != null) {
            return work.get();
        }
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.get();
        } catch (WouldBlock e) {
            return null;
        } finally {
            ACTIVE.remove();
        }
    }

    static boolean active() {
        return ACTIVE.get() != null;
    }

    /** Throws when the current thread may not wait. */
    static void mayBlock() {
        if (ACTIVE.get() != null) {
            throw WOULD_BLOCK;
        }
    }

    static WouldBlock wouldBlock() {
        return WOULD_BLOCK;
    }

    /** Thrown inside {@link #attempt} where a server would be needed; carries no stack. */
    public static final class WouldBlock extends RuntimeException {
        private WouldBlock() {
            super("would block", null, false, false);
        }
    }
}

package dev.eddy.core.storage;

import java.util.concurrent.CompletableFuture;
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
    private static final ThreadLocal<CompletableFuture<?>> PENDING = new ThreadLocal<>();
    private static final WouldBlock WOULD_BLOCK = new WouldBlock();

    private NonBlocking() {
    }

    /**
     * What an attempt came to.
     *
     * @param value   the work's result; null when it would have had to wait
     * @param pending when it stopped at a near-cache miss, the read it started, which fills the near
     *                cache when it completes: an attempt after that will likely find what it needs
     */
    public record Attempt<T>(T value, CompletableFuture<?> pending) {
    }

    /** Runs the work where it may not wait (see the class comment). */
    public static <T> Attempt<T> attempt(Supplier<T> work) {
        if (ACTIVE.get() != null) {
            return new Attempt<>(work.get(), null);
        }
        ACTIVE.set(Boolean.TRUE);
        try {
            return new Attempt<>(work.get(), null);
        } catch (WouldBlock e) {
            return new Attempt<>(null, PENDING.get());
        } finally {
            ACTIVE.remove();
            PENDING.remove();
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

    /** Stops the attempt at a read that is now on its way from a server. */
    static WouldBlock wouldBlock(CompletableFuture<?> pending) {
        PENDING.set(pending);
        return WOULD_BLOCK;
    }

    /** Thrown inside {@link #attempt} where a server would be needed; carries no stack. */
    public static final class WouldBlock extends RuntimeException {
        private WouldBlock() {
            super("would block", null, false, false);
        }
    }
}

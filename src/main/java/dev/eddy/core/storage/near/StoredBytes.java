package dev.eddy.core.storage.near;

import java.util.concurrent.atomic.AtomicLong;
import org.infinispan.commons.marshall.WrappedByteArray;

/**
 * A value as the Hot Rod client hands it back, with room for what a reader made of it (a decoded
 * page and the items' JSON, see {@code storage.PageView}). The near cache keeps this very object until the
 * servers invalidate it, so a read that hits it finds the work of the first read done; the bytes a
 * view holds count against the near cache's budget for as long as the value is in it.
 */
public final class StoredBytes extends WrappedByteArray {
    /** Bytes of the attached view; {@link #RELEASED} once the near cache let the value go. */
    private final AtomicLong viewBytes = new AtomicLong();
    private static final long RELEASED = -1;
    /** The near cache's budget for a value it may keep; null for a value read past it. */
    private final ByteBudget budget;
    private volatile Object view;

    public StoredBytes(byte[] bytes, ByteBudget budget) {
        super(bytes);
        this.budget = budget;
    }

    public Object view() {
        return view;
    }

    /** Keeps a view with the value; its bytes are charged to the budget while the near cache holds the value. */
    public void attach(Object view, long bytes) {
        this.view = view;
        charge(bytes);
    }

    /** The attached view grew by this many bytes (an item rendered as JSON). */
    public void charge(long bytes) {
        if (budget == null) {
            return;
        }
        long before = viewBytes.get();
        if (before == RELEASED || !viewBytes.compareAndSet(before, before + bytes)) {
            return; // gone from the near cache (or charged by another reader): nothing to hold
        }
        budget.charge(bytes);
    }

    /** The near cache let the value go: what its view was charged is released. */
    void released() {
        long charged = viewBytes.getAndSet(RELEASED);
        if (charged > 0 && budget != null) {
            budget.charge(-charged);
        }
    }
}

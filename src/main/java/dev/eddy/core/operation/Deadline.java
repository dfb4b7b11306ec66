package dev.eddy.core.operation;

import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.storage.ItemStore;
import java.util.Map;

/**
 * The time after which a request starts no change to an item: its arrival plus the configured
 * request timeout (EddyConfig.requestTimeoutMillis). Checked where a change is about to be made (in
 * an item write's change, as it is applied and again just before it is stored; before a transaction's
 * decision), so
 * a request held up anywhere (a slow owner, a client whose event loop stalled, a worker queue) cannot
 * change an item long after its client has given up on it and read the item again. A change already
 * under way when the time is up is not undone.
 */
final class Deadline {
    private static final Deadline NONE = new Deadline(0, 0);

    private final long atNanos;
    private final long timeoutMillis;

    private Deadline(long atNanos, long timeoutMillis) {
        this.atNanos = atNanos;
        this.timeoutMillis = timeoutMillis;
    }

    static Deadline of(OperationContext context, Request r) {
        long millis = context.config().requestTimeoutMillis();
        return millis <= 0 ? NONE : new Deadline(r.received() + millis * 1_000_000, millis);
    }

    boolean passed() {
        return timeoutMillis > 0 && System.nanoTime() - atNanos >= 0;
    }

    /** Refuses the change about to be made (ServiceUnavailable) when the time is up. */
    void check() {
        if (passed()) {
            throw Errors.requestTimedOut(timeoutMillis);
        }
    }

    /** {@code change}, refused once the time is up: when it is applied, and again just before it is stored. */
    ItemStore.ItemChange guard(ItemStore.ItemChange change) {
        if (timeoutMillis <= 0) {
            return change;
        }
        return new ItemStore.ItemChange() {
            @Override
            public Map<String, AttributeValue> apply(Map<String, AttributeValue> current) {
                check();
                return change.apply(current);
            }

            @Override
            public void onTime() {
                check();
            }
        };
    }
}

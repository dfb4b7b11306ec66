package dev.eddy.functions.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one writer knows of its writes to one thing (an item it alone writes, or its mark on a
 * shared counter): every write names the one before it in its condition, so at most one of the
 * writes sent after the last known one can apply, and a later answer tells which. A write whose
 * answer was lost (a timeout, a 5xx, a dropped connection) is pending until then:
 * <ul>
 * <li>a later write acknowledged: none of the pending ones applied (each needed the old state);</li>
 * <li>a later write refused by its condition: the item now names the one pending write that applied.</li>
 * </ul>
 * So {@link #applied} is exactly what the item went through, in order, and {@link #acknowledged}
 * is what clients were told was written. Used by one writer thread at a time.
 */
final class WriteChain {
    /** The write the item is known to carry now, or null when it was never written. */
    private String lastKnown;
    private final List<String> pending = new ArrayList<>();
    final List<String> applied = new ArrayList<>();
    final Set<String> acknowledged = new HashSet<>();
    /** Things that cannot happen if no acknowledged write was lost or reordered. */
    final List<String> violations = new ArrayList<>();

    String lastKnown() {
        return lastKnown;
    }

    void acknowledged(String write) {
        pending.clear();
        applied.add(write);
        acknowledged.add(write);
        lastKnown = write;
    }

    void unanswered(String write) {
        pending.add(write);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * The item was read and carries {@code current} (null: no write of ours): settles the pending
     * writes. False (with a violation noted) when {@code current} is neither the known write nor a
     * pending one.
     */
    boolean settle(String current, String what) {
        if (current != null && pending.contains(current)) {
            applied.add(current);
            lastKnown = current;
            pending.clear();
            return true;
        }
        if (java.util.Objects.equals(current, lastKnown)) {
            pending.clear();
            return true;
        }
        // when: set against the processes' logs, it tells a read during the fault from one after the merge
        violations.add(what + " carries " + current + ", but its last known write is " + lastKnown
                + " and none of " + pending + " is it (read at " + java.time.LocalTime.now() + ")");
        lastKnown = current;
        pending.clear();
        return false;
    }

    /** Whether a read that saw {@code current} is one this writer could see (no lost or stale state). */
    boolean couldRead(String current) {
        return java.util.Objects.equals(current, lastKnown) || (current != null && pending.contains(current));
    }

    Set<String> pendingSet() {
        return new HashSet<>(pending);
    }
}

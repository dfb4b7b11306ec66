package dev.eddy.triggers.dispatcher;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running counts for one trigger, for logs, metrics, tests and the benchmark. One object may outlive
 * the dispatchers that count into it (a trigger restarted with new settings keeps its meters).
 */
public final class TriggerStats {
    final AtomicLong received = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong filtered = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong discarded = new AtomicLong();
    final AtomicLong forged = new AtomicLong();
    final AtomicLong invocations = new AtomicLong();
    final AtomicLong failedInvocations = new AtomicLong();
    final AtomicLong lag = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong readBack = new AtomicLong();
    final AtomicLong iteratorAgeMillis = new AtomicLong();
    final AtomicLong invokedAtMillis = new AtomicLong();
    private volatile boolean lastInvocationOk = true;

    /** An invocation ended: whether the function took the batch, and its records (for the iterator age). */
    void invoked(boolean ok, java.util.List<ChangeRecord> records) {
        lastInvocationOk = ok;
        long now = System.currentTimeMillis();
        invokedAtMillis.set(now);
        if (!records.isEmpty()) {
            iteratorAgeMillis.set(Math.max(0, now - records.get(records.size() - 1).createdAtMillis));
        }
    }

    /** Invocations of a batch again after a function error or a partial failure. */
    public long retries() {
        return retries.get();
    }

    /**
     * Lambda's IteratorAge: how old the last record of the latest invoked batch was when it was sent
     * (from its ApproximateCreationDateTime), in milliseconds; 0 once the trigger has caught up.
     */
    public long iteratorAgeMillis() {
        return lag.get() == 0 && System.currentTimeMillis() - invokedAtMillis.get() > 1_000 ? 0 : iteratorAgeMillis.get();
    }

    /** When the function was last invoked (epoch millis), 0 if never. */
    public long lastInvocationMillis() {
        return invokedAtMillis.get();
    }

    /** Whether the last invocation went through (Lambda's LastProcessingResult OK) or failed. */
    public boolean lastInvocationOk() {
        return lastInvocationOk;
    }

    /** Records read from the topic. */
    public long received() {
        return received.get();
    }

    /** Records the function processed (in successful invocations, or before a reported failure). */
    public long delivered() {
        return delivered.get();
    }

    /** Records dropped as copies of one already taken in (same item, SequenceNumber not newer). */
    public long duplicates() {
        return duplicates.get();
    }

    /** Records no filter pattern matched. */
    public long filtered() {
        return filtered.get();
    }

    /** Records given up on and written to the on-failure topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Records given up on with no on-failure topic configured. */
    public long discarded() {
        return discarded.get();
    }

    /** Records that Eddy did not write (see {@link RecordCheck}): skipped, never delivered. */
    public long forged() {
        return forged.get();
    }

    /**
     * Records read back (not delivered) into a partition's duplicate memory for records written before
     * it reached back: the cost of recognising copies sent long after their first.
     */
    public long readBack() {
        return readBack.get();
    }

    public long invocations() {
        return invocations.get();
    }

    /** Invocations that ended in a function error, a timeout or an unreachable function. */
    public long failedInvocations() {
        return failedInvocations.get();
    }

    /**
     * Records of the topic the function has not yet taken: the consumer's lag behind the end of its
     * partitions plus the records read and waiting in batches. As of the last poll.
     */
    public long lag() {
        return lag.get();
    }

    @Override
    public String toString() {
        return "received " + received + ", delivered " + delivered + ", duplicates " + duplicates + ", filtered "
                + filtered + ", dead-lettered " + deadLettered + ", discarded " + discarded + ", forged " + forged
                + ", read back " + readBack + ", invocations "
                + invocations + " (" + failedInvocations + " failed, " + retries + " retries)";
    }
}

package dev.eddy.triggers.dispatcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition, in the role a shard has for Lambda: records wait here in partition
 * order, at most one batch is in flight, and the next batch starts only when it is settled.
 *
 * <p>The dispatcher thread takes records in and opens batches whose batching window has passed; a
 * delivery thread, when its batch is settled, goes straight on with the next batch if one is
 * already due. Both go through this object's lock.
 */
final class Shard {

    /** Lambda's limit on a synchronous invocation's payload. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    final TopicPartition partition;
    /** Only the dispatcher thread uses it (at intake). */
    final DeliveredSequences sequences;
    private final int batchSize;
    private final long windowNanos;
    private final ArrayDeque<ChangeRecord> pending = new ArrayDeque<>();
    private long pendingBytes;
    /** The offset after the last record taken in: everything before it is pending, in flight or settled. */
    private long nextIntakeOffset;
    private BatchDelivery inFlight;
    private boolean revoked;

    Shard(TopicPartition partition, long position, TriggerConfig config) {
        this.partition = partition;
        this.sequences = new DeliveredSequences(config.trackedItemsPerPartition());
        this.batchSize = config.batchSize();
        this.windowNanos = config.maximumBatchingWindow().toNanos();
        this.nextIntakeOffset = position;
    }

    /** A record settled at intake (duplicate, filtered out, invalid): only the position moves. */
    synchronized void skip(ChangeRecord r) {
        nextIntakeOffset = r.offset + 1;
    }

    synchronized void add(ChangeRecord r) {
        pending.addLast(r);
        pendingBytes += r.payloadBytes();
        nextIntakeOffset = r.offset + 1;
    }

    synchronized int pendingRecords() {
        return pending.size();
    }

    /** Opens the next batch if none is in flight and one is due; null otherwise. */
    synchronized BatchDelivery openBatch(long nowNanos, Function<List<ChangeRecord>, BatchDelivery> deliveryOf) {
        if (revoked || inFlight != null || !due(nowNanos)) {
            return null;
        }
        List<ChangeRecord> batch = new ArrayList<>(Math.min(pending.size(), batchSize));
        int bytes = 0;
        while (!pending.isEmpty() && batch.size() < batchSize
                && (batch.isEmpty() || bytes + pending.peekFirst().payloadBytes() <= MAX_PAYLOAD_BYTES)) {
            ChangeRecord r = pending.pollFirst();
            bytes += r.payloadBytes();
            batch.add(r);
        }
        pendingBytes -= bytes;
        inFlight = deliveryOf.apply(batch);
        return inFlight;
    }

    /** A batch is due when it is full or the oldest waiting record has waited the batching window. */
    private boolean due(long nowNanos) {
        if (pending.isEmpty()) {
            return false;
        }
        return pending.size() >= batchSize || pendingBytes >= MAX_PAYLOAD_BYTES
                || nowNanos - pending.peekFirst().intakeNanos >= windowNanos;
    }

    /** How long until the waiting records' window closes; Long.MAX_VALUE when nothing waits for it. */
    synchronized long nanosUntilDue(long nowNanos) {
        if (pending.isEmpty() || inFlight != null || revoked) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, pending.peekFirst().intakeNanos + windowNanos - nowNanos);
    }

    /**
     * The delivery thread is done with this batch. Records the delivery did not settle (it failed
     * unexpectedly) go back to the head of the queue, unless the partition is going away.
     */
    synchronized void finished(BatchDelivery done) {
        if (inFlight == done) {
            inFlight = null;
        }
        if (!revoked) {
            List<ChangeRecord> unsettled = done.unsettled();
            for (int i = unsettled.size() - 1; i >= 0; i--) {
                pending.addFirst(unsettled.get(i));
                pendingBytes += unsettled.get(i).payloadBytes();
            }
        }
        notifyAll();
    }

    /** The first offset not yet settled: committing it never skips an undelivered record. */
    /** Whether a batch of this partition is being delivered now. */
    synchronized boolean delivering() {
        return inFlight != null;
    }

    synchronized long committableOffset() {
        if (inFlight != null) {
            return inFlight.resumeOffset();
        }
        return pending.isEmpty() ? nextIntakeOffset : pending.peekFirst().offset;
    }

    /**
     * The partition is going away: no new batch starts, the one in flight stops after its current
     * call, and this waits up to {@code grace} for it so its progress can be committed.
     */
    synchronized void revoke(Duration grace) throws InterruptedException {
        revoked = true;
        if (inFlight != null) {
            inFlight.stop();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}

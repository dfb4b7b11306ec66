package dev.eddy.triggers.dispatcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition, in the role a shard has for Lambda. Its records are spread over
 * ParallelizationFactor lanes by item key (one lane when the factor is 1): in each lane records wait
 * in partition order, at most one batch is in flight, and the lane's next batch starts only when
 * that one is settled. So one item's changes reach the function in order, while up to that many
 * batches of the partition are in flight at once.
 *
 * <p>The dispatcher thread takes records in and opens batches whose batching window has passed; a
 * delivery thread, when its batch is settled, goes straight on with its lane's next batch if one is
 * already due. Both go through this object's lock.
 */
final class Shard {

    /** Lambda's limit on a synchronous invocation's payload. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /**
     * How long after a tumbling window's end its final invocation waits for late records: change
     * times are whole seconds (ApproximateCreationDateTime), so a record of the window's last second
     * may arrive up to a second after the end.
     */
    private static final long WINDOW_GRACE_MILLIS = 1_000;

    /** Makes the delivery of a lane's batch; {@code finalForWindow} for a tumbling window's last call (no records). */
    interface Deliveries {
        BatchDelivery of(Lane lane, List<ChangeRecord> batch, boolean finalForWindow);
    }

    /** One lane: its waiting records, its batch in flight, its tumbling window. */
    final class Lane {
        final int index;
        final ArrayDeque<ChangeRecord> pending = new ArrayDeque<>();
        long pendingBytes;
        BatchDelivery inFlight;
        /** Null without tumbling windows. */
        final TumblingWindow window;

        Lane(int index, TumblingWindow window) {
            this.index = index;
            this.window = window;
        }

        /**
         * Whether a previous holder of the partition may have handed these records (in partition order)
         * to the function already: it died or was fenced with them taken in but not committed.
         */
        boolean possiblyDelivered(List<ChangeRecord> records) {
            return !records.isEmpty() && records.get(0).offset <= possiblyDeliveredThrough;
        }

        /** The shard id a tumbling window's event names: the partition, and the lane when there are several. */
        String shardId() {
            return partition.topic() + "-" + partition.partition() + (lanes.length > 1 ? "-" + index : "");
        }
    }

    final TopicPartition partition;
    /** Only the dispatcher thread uses it (at intake). */
    final DeliveredSequences sequences;
    private final int batchSize;
    private final long windowNanos;
    private final Lane[] lanes;
    /** The offset after the last record taken in: everything before it is pending, in flight or settled. */
    private long nextIntakeOffset;
    private boolean revoked;
    /**
     * The highest offset the partition's previous holder had taken in without committing past it (read
     * from the committed offset's metadata at assignment), -1 when none: a record up to it may reach
     * the function a second time, and goes out marked so.
     */
    volatile long possiblyDeliveredThrough = -1;
    /**
     * The duplicate memory holds what the partition has from this offset on (the look-back's start, or the
     * start position): a copy whose first is earlier is not recognised. Only the dispatcher thread uses it.
     */
    long rememberedFrom;
    /**
     * Every record the partition has that Kafka stamped at or after this time is at or after
     * {@link #rememberedFrom}; {@code Long.MAX_VALUE} until first looked up. Only the dispatcher thread uses it.
     */
    long rememberedSinceMillis = Long.MAX_VALUE;

    Shard(TopicPartition partition, long position, TriggerConfig config) {
        this.partition = partition;
        this.sequences = new DeliveredSequences(config.trackedItemsPerPartition());
        this.batchSize = config.batchSize();
        this.windowNanos = config.maximumBatchingWindow().toNanos();
        this.nextIntakeOffset = position;
        this.rememberedFrom = position;
        long tumbling = config.tumblingWindow() == null ? 0 : config.tumblingWindow().toMillis();
        this.lanes = new Lane[Math.max(1, config.parallelizationFactor())];
        for (int i = 0; i < lanes.length; i++) {
            String shardId = partition.topic() + "-" + partition.partition() + (lanes.length > 1 ? "-" + i : "");
            lanes[i] = new Lane(i, tumbling > 0 ? new TumblingWindow(tumbling, shardId) : null);
        }
    }

    /** A record settled at intake (duplicate, filtered out, invalid): only the position moves. */
    synchronized void skip(ChangeRecord r) {
        nextIntakeOffset = r.offset + 1;
    }

    synchronized void add(ChangeRecord r) {
        Lane lane = lanes[lanes.length == 1 ? 0 : Math.floorMod(r.item.hashCode(), lanes.length)];
        lane.pending.addLast(r);
        lane.pendingBytes += r.payloadBytes();
        nextIntakeOffset = r.offset + 1;
    }

    synchronized int pendingRecords() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.pending.size();
        }
        return n;
    }

    /** Opens the next batch of every lane that has none in flight and one due. */
    synchronized List<BatchDelivery> openBatches(long nowNanos, Deliveries deliveries) {
        List<BatchDelivery> opened = new ArrayList<>(1);
        for (Lane lane : lanes) {
            BatchDelivery d = openBatch(lane, nowNanos, deliveries);
            if (d != null) {
                opened.add(d);
            }
        }
        return opened;
    }

    /** Opens the lane's next batch if none is in flight and one is due; null otherwise. */
    synchronized BatchDelivery openBatch(Lane lane, long nowNanos, Deliveries deliveries) {
        if (revoked || lane.inFlight != null) {
            return null;
        }
        TumblingWindow window = lane.window;
        if (window != null && window.open() && windowOver(lane, System.currentTimeMillis())) {
            lane.inFlight = deliveries.of(lane, List.of(), true);
            return lane.inFlight;
        }
        if (!due(lane, nowNanos)) {
            return null;
        }
        if (window != null && !window.open()) {
            window.openFor(lane.pending.peekFirst());
        }
        List<ChangeRecord> batch = new ArrayList<>(Math.min(lane.pending.size(), batchSize));
        int bytes = 0;
        while (!lane.pending.isEmpty() && batch.size() < batchSize
                && (batch.isEmpty() || bytes + lane.pending.peekFirst().payloadBytes() <= MAX_PAYLOAD_BYTES)
                && (window == null || !window.after(lane.pending.peekFirst()))) {
            ChangeRecord r = lane.pending.pollFirst();
            bytes += r.payloadBytes();
            batch.add(r);
        }
        lane.pendingBytes -= bytes;
        lane.inFlight = deliveries.of(lane, batch, false);
        return lane.inFlight;
    }

    /** Whether the lane's open window is done: its state grew too big, a later record came, or its time is over. */
    private boolean windowOver(Lane lane, long nowMillis) {
        TumblingWindow w = lane.window;
        if (w.terminatedEarly) {
            return true;
        }
        if (!lane.pending.isEmpty()) {
            return w.after(lane.pending.peekFirst());
        }
        return nowMillis >= w.endMillis() + WINDOW_GRACE_MILLIS + windowNanos / 1_000_000;
    }

    /** A batch is due when it is full or the oldest waiting record has waited the batching window. */
    private boolean due(Lane lane, long nowNanos) {
        if (lane.pending.isEmpty()) {
            return false;
        }
        return lane.pending.size() >= batchSize || lane.pendingBytes >= MAX_PAYLOAD_BYTES
                || nowNanos - lane.pending.peekFirst().intakeNanos >= windowNanos
                || (lane.window != null && lane.pending.stream().anyMatch(lane.window::after));
    }

    /** How long until a lane's records or tumbling window fall due; Long.MAX_VALUE when nothing waits. */
    synchronized long nanosUntilDue(long nowNanos) {
        if (revoked) {
            return Long.MAX_VALUE;
        }
        long soonest = Long.MAX_VALUE;
        for (Lane lane : lanes) {
            if (lane.inFlight != null) {
                continue;
            }
            if (!lane.pending.isEmpty()) {
                soonest = Math.min(soonest, Math.max(0, lane.pending.peekFirst().intakeNanos + windowNanos - nowNanos));
            } else if (lane.window != null && lane.window.open()) {
                long end = lane.window.endMillis() + WINDOW_GRACE_MILLIS + windowNanos / 1_000_000;
                soonest = Math.min(soonest, Math.max(0, end - System.currentTimeMillis()) * 1_000_000);
            }
        }
        return soonest;
    }

    /**
     * The delivery thread is done with this batch. Records the delivery did not settle (it failed
     * unexpectedly, or was stopped) go back to the head of the lane, also when the partition is going
     * away: no batch opens on a revoked shard, but its committed offset must stay at them (dropped,
     * the final commit moved past them and the next holder never delivered them). A window's final
     * call that went through closes the window.
     */
    synchronized void finished(BatchDelivery done) {
        Lane lane = done.lane;
        if (lane.inFlight == done) {
            lane.inFlight = null;
        }
        if (done.finalForWindow && done.settled()) {
            lane.window.close();
        }
        List<ChangeRecord> unsettled = done.unsettled();
        for (int i = unsettled.size() - 1; i >= 0; i--) {
            lane.pending.addFirst(unsettled.get(i));
            lane.pendingBytes += unsettled.get(i).payloadBytes();
        }
        notifyAll();
    }

    /** Whether a batch of this partition is being delivered now, in any lane. */
    synchronized boolean delivering() {
        for (Lane lane : lanes) {
            if (lane.inFlight != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first offset not yet settled: committing it never skips an undelivered record. An open
     * tumbling window holds it at the window's first record (its state is in memory only).
     */
    synchronized long committableOffset() {
        long offset = nextIntakeOffset;
        for (Lane lane : lanes) {
            if (lane.inFlight != null) {
                offset = Math.min(offset, lane.inFlight.resumeOffset());
            }
            if (!lane.pending.isEmpty()) {
                offset = Math.min(offset, lane.pending.peekFirst().offset);
            }
            if (lane.window != null && lane.window.open()) {
                offset = Math.min(offset, lane.window.firstOffset);
            }
        }
        return offset;
    }

    /**
     * The partition is going away: no new batch starts, the ones in flight stop after their current
     * call, and this waits up to {@code grace} for them so their progress can be committed.
     */
    synchronized void revoke(Duration grace) throws InterruptedException {
        revoked = true;
        for (Lane lane : lanes) {
            if (lane.inFlight != null) {
                lane.inFlight.stop();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (anyInFlight()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private boolean anyInFlight() {
        for (Lane lane : lanes) {
            if (lane.inFlight != null) {
                return true;
            }
        }
        return false;
    }
}

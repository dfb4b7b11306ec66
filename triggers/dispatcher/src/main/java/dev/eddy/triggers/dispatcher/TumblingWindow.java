package dev.eddy.triggers.dispatcher;

import java.time.Instant;

/**
 * One lane's tumbling window (Lambda's TumblingWindowInSeconds): windows are fixed slices of time,
 * aligned to the epoch, and a record belongs to the one its change time falls in. The function
 * gets the window's state with every batch and answers with the new state; once the window is over
 * it is invoked one last time ({@code isFinalInvokeForWindow}) and the state starts again empty.
 *
 * <p>The state lives in the dispatcher's memory only, so nothing in an open window is committed:
 * the partition's committed offset stays at the window's first record until the final invocation
 * is done. A restart or a partition move replays the window from there with an empty state.
 */
final class TumblingWindow {
    /** Lambda's limit on a window's state; a bigger one ends the window early. */
    static final int MAX_STATE_BYTES = 1024 * 1024;
    static final String EMPTY_STATE = "{}";

    private final long lengthMillis;
    /** Start of the open window, or -1 when none is open. */
    long startMillis = -1;
    /** The offset of the open window's first record: what may be committed at most. */
    long firstOffset = -1;
    String state = EMPTY_STATE;
    boolean terminatedEarly;
    /** What the window's events name as their shard and stream. */
    final String shardId;
    String eventSourceArn = "";

    TumblingWindow(long lengthMillis, String shardId) {
        this.lengthMillis = lengthMillis;
        this.shardId = shardId;
    }

    long startOf(long timeMillis) {
        return Math.floorDiv(timeMillis, lengthMillis) * lengthMillis;
    }

    boolean open() {
        return startMillis >= 0;
    }

    long endMillis() {
        return startMillis + lengthMillis;
    }

    void openFor(ChangeRecord first) {
        startMillis = startOf(first.createdAtMillis);
        firstOffset = first.offset;
        state = EMPTY_STATE;
        terminatedEarly = false;
    }

    /** Whether the record falls in a later window than the open one (a late one stays in the open one). */
    boolean after(ChangeRecord r) {
        return open() && startOf(r.createdAtMillis) > startMillis;
    }

    void close() {
        startMillis = -1;
        firstOffset = -1;
        state = EMPTY_STATE;
        terminatedEarly = false;
    }

    /** The {@code window} object of the event: ISO-8601 start and end. */
    String windowJson() {
        return "{\"start\":\"" + Instant.ofEpochMilli(startMillis) + "\",\"end\":\"" + Instant.ofEpochMilli(endMillis())
                + "\"}";
    }
}

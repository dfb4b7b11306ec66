package dev.eddy.triggers.dispatcher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one batch of one partition to the function with Lambda's error handling for stream
 * event sources, and returns only when every record in it is settled: processed by the function,
 * or given up on (sent to the on-failure topic).
 *
 * <ul>
 *   <li>Before each invocation, records older than MaximumRecordAgeInSeconds are given up on
 *       (RecordAgeExceeded).</li>
 *   <li>A function error (or a malformed partial-failure answer) fails the whole batch. With
 *       BisectBatchOnFunctionError the batch is split in two and each half is delivered in turn,
 *       each with a fresh retry count, down to single records; otherwise it is retried as it is
 *       until MaximumRetryAttempts retries have failed (RetryAttemptsExhausted).</li>
 *   <li>A partial failure (ReportBatchItemFailures) settles the records before the earliest one
 *       reported; the rest are retried as one batch, counting one retry.</li>
 *   <li>A batch that did not reach the function (unreachable, 429, 503) is retried without
 *       counting a retry, as Lambda does with throttles.</li>
 *   <li>Every call after a failure waits first: exponential backoff from retry-initial-backoff,
 *       doubling, capped at retry-max-backoff.</li>
 * </ul>
 * Records go to the function in partition order and nothing later in the partition is delivered
 * until this batch is settled: a failing record holds back its whole partition, as a failing
 * record holds back its shard in Lambda.
 */
final class BatchDelivery {

    private static final System.Logger LOG = System.getLogger(BatchDelivery.class.getName());

    /** A run of consecutive records delivered together, with the failed retries it has had. */
    private record Segment(List<ChangeRecord> records, int attempts) {
    }

    private final TriggerConfig config;
    private final TriggerFunction function;
    private final DeadLetterTopic deadLetters;
    private final TriggerStats stats;
    private final List<ChangeRecord> batch;
    private final long endOffset;
    /** The lane of the shard the batch came from. */
    final Shard.Lane lane;
    /** A tumbling window's last call: no records, the window's state, isFinalInvokeForWindow. */
    final boolean finalForWindow;
    private volatile boolean settled;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** The offset of the first record not yet settled: what may be committed while this runs. */
    private volatile long resumeOffset;
    private volatile boolean stopping;
    private int consecutiveFailures;

    BatchDelivery(TriggerConfig config, TriggerFunction function, DeadLetterTopic deadLetters, TriggerStats stats,
            Shard.Lane lane, List<ChangeRecord> batch, boolean finalForWindow) {
        this.config = config;
        this.function = function;
        this.deadLetters = deadLetters;
        this.stats = stats;
        this.lane = lane;
        this.batch = batch;
        this.finalForWindow = finalForWindow;
        // a window's final call settles no record: it holds nothing back either
        this.resumeOffset = batch.isEmpty() ? Long.MAX_VALUE : batch.get(0).offset;
        this.endOffset = batch.isEmpty() ? Long.MAX_VALUE : batch.get(batch.size() - 1).offset + 1;
    }

    /** Whether the delivery ran to its end (every record settled), rather than being stopped. */
    boolean settled() {
        return settled;
    }

    long resumeOffset() {
        return resumeOffset;
    }

    /** The records not settled yet, in order: none once {@link #run()} has returned normally. */
    List<ChangeRecord> unsettled() {
        long from = resumeOffset;
        return batch.stream().filter(r -> r.offset >= from).toList();
    }

    /** Whether {@link #stop()} was called. */
    boolean stopping() {
        return stopping;
    }

    /** Asks the delivery to end after the call in progress, leaving unsettled records to be read again. */
    void stop() {
        stopping = true;
        stopSignal.countDown();
    }

    /** Runs until every record is settled or {@link #stop()} is called. */
    void run() {
        if (finalForWindow) {
            runFinal();
            return;
        }
        Deque<Segment> work = new ArrayDeque<>();
        work.push(new Segment(batch, 0));
        try {
            while (!work.isEmpty() && !stopping) {
                Segment segment = dropExpired(work.pop());
                if (segment.records().isEmpty()) {
                    markProgress(work);
                    continue;
                }
                if (consecutiveFailures > 0 && !pause()) {
                    return;
                }
                if (segment.attempts() > 0) {
                    stats.retries.incrementAndGet();
                }
                handle(segment, invoke(segment.records()), work);
            }
            settled = work.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A tumbling window's final invocation, retried as a batch is; given up on after
     * MaximumRetryAttempts (the window's state is then dropped, as there is no record to dead-letter).
     */
    private void runFinal() {
        int attempts = 0;
        try {
            while (!stopping) {
                if (consecutiveFailures > 0) {
                    if (!pause()) {
                        return;
                    }
                    stats.retries.incrementAndGet();
                }
                InvocationResult result = invoke(List.of());
                switch (result.kind()) {
                    case SUCCESS, PARTIAL_FAILURE -> {
                        settled = true;
                        return;
                    }
                    case NOT_DELIVERED -> consecutiveFailures++;
                    default -> {
                        consecutiveFailures++;
                        attempts++;
                        int limit = config.maximumRetryAttempts();
                        if (limit >= 0 && attempts > limit) {
                            LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + " gave up the final call"
                                    + " of a tumbling window on " + lane.shardId() + ": " + result.error());
                            settled = true;
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Segment segment, InvocationResult result, Deque<Segment> work) throws InterruptedException {
        List<ChangeRecord> records = segment.records();
        switch (result.kind()) {
            case SUCCESS -> {
                consecutiveFailures = 0;
                stats.delivered.addAndGet(records.size());
            }
            case NOT_DELIVERED -> {
                consecutiveFailures++;
                work.push(segment);
            }
            case PARTIAL_FAILURE -> {
                consecutiveFailures++;
                stats.delivered.addAndGet(result.failedFrom());
                retryOrGiveUp(new Segment(records.subList(result.failedFrom(), records.size()), segment.attempts() + 1),
                        result.error(), work);
            }
            case FUNCTION_ERROR -> {
                consecutiveFailures++;
                if (config.bisectBatchOnFunctionError() && records.size() > 1) {
                    int half = records.size() / 2;
                    work.push(new Segment(records.subList(half, records.size()), 0));
                    work.push(new Segment(records.subList(0, half), 0));
                    LOG.log(System.Logger.Level.DEBUG, () -> "Trigger " + config.name() + " splits a batch of "
                            + records.size() + " after: " + result.error());
                } else {
                    retryOrGiveUp(new Segment(records, segment.attempts() + 1), result.error(), work);
                }
            }
            default -> throw new IllegalStateException(result.kind().name());
        }
        markProgress(work);
    }

    private void retryOrGiveUp(Segment segment, String error, Deque<Segment> work) throws InterruptedException {
        int limit = config.maximumRetryAttempts();
        if (limit >= 0 && segment.attempts() > limit) {
            deadLetters.send(segment.records(), DeadLetterTopic.RETRY_ATTEMPTS_EXHAUSTED, segment.attempts(), error);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "Trigger " + config.name() + " retries " + segment.records().size()
                    + " record(s), attempt " + segment.attempts() + ": " + error);
            work.push(segment);
        }
    }

    private InvocationResult invoke(List<ChangeRecord> records) throws InterruptedException {
        stats.invocations.incrementAndGet();
        InvocationResult result;
        try {
            result = function.invoke(records, lane.window, finalForWindow, lane.possiblyDelivered(records));
        } catch (RuntimeException e) {
            result = InvocationResult.functionError("call failed: " + e);
        }
        TumblingWindow window = lane.window;
        if (window != null && result.state() != null) {
            window.state = result.state();
            if (result.state().length() > TumblingWindow.MAX_STATE_BYTES) {
                window.terminatedEarly = true; // the next call ends the window
            }
        }
        stats.invoked(result.kind() == InvocationResult.Kind.SUCCESS
                || result.kind() == InvocationResult.Kind.PARTIAL_FAILURE, records);
        if (result.kind() == InvocationResult.Kind.FUNCTION_ERROR || result.kind() == InvocationResult.Kind.NOT_DELIVERED) {
            stats.failedInvocations.incrementAndGet();
            String error = result.error();
            LOG.log(System.Logger.Level.INFO, () -> "Trigger " + config.name() + ": invocation with " + records.size()
                    + " record(s) from " + records.get(0) + " failed: " + error);
        }
        return result;
    }

    /** Gives up on the segment's records that are too old, before they are delivered (again). */
    private Segment dropExpired(Segment segment) throws InterruptedException {
        int maxAge = config.maximumRecordAgeInSeconds();
        if (maxAge < 0) {
            return segment;
        }
        long oldest = System.currentTimeMillis() - maxAge * 1000L;
        List<ChangeRecord> fresh = new ArrayList<>(segment.records().size());
        List<ChangeRecord> expired = new ArrayList<>();
        for (ChangeRecord r : segment.records()) {
            (r.createdAtMillis < oldest ? expired : fresh).add(r);
        }
        if (expired.isEmpty()) {
            return segment;
        }
        deadLetters.send(expired, DeadLetterTopic.RECORD_AGE_EXCEEDED, segment.attempts(),
                "older than " + maxAge + " s");
        return new Segment(fresh, segment.attempts());
    }

    /** Everything before the next segment to deliver is settled. */
    private void markProgress(Deque<Segment> work) {
        Segment next = work.peek();
        resumeOffset = next == null ? endOffset : next.records().get(0).offset;
    }

    /** Waits the backoff for the current run of failures; false when stopped meanwhile. */
    private boolean pause() throws InterruptedException {
        long max = config.retryMaxBackoff().toMillis();
        long delay = config.retryInitialBackoff().toMillis();
        for (int i = 1; i < consecutiveFailures && delay < max; i++) {
            delay *= 2;
        }
        return !stopSignal.await(Math.min(delay, max), TimeUnit.MILLISECONDS);
    }
}

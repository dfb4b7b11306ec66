package dev.eddy.triggers.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Runs one trigger: reads its table's change topic as a member of the trigger's consumer group and
 * delivers the records to the function, one batch in flight per partition (see {@link Shard} and
 * {@link BatchDelivery} for the semantics).
 *
 * <p>Exactly once, for the producer's duplicates: each partition keeps the last SequenceNumber
 * taken in per item and drops records that are not newer ({@link DeliveredSequences}). When a
 * partition is assigned (first start, restart, rebalance), the {@code duplicate-lookback} records
 * just before the committed offset are read back into that memory without being delivered, so a
 * copy that follows its original across a restart is dropped too. Offsets are committed only up to
 * the first record not yet settled, so nothing is skipped, and at once when a batch settles.
 *
 * <p>A holder killed between handing a batch to the function and committing past it leaves the
 * batch to the next holder, which delivers it again: no dispatcher can know whether a function it
 * never heard back from acted. So that the function can tell, a holder takes polled records in only
 * up to a mark it has committed (the committed offset's metadata), set a look-ahead past the records
 * polled so that the steady state never waits for it; the next holder reads that mark and sends every
 * batch that starts at or below it with the header
 * {@value TriggerFunction#POSSIBLE_REDELIVERY}. A record delivered twice always comes marked the
 * second time, with its eventID, and the function need look its eventIDs up only then.
 *
 * <p>A Kafka partition plays the part of a stream shard: records of one item always share a
 * partition (the record key is the item's key), so they reach the function in order, and a batch
 * that keeps failing holds back every later record of its partition (of any item) until it
 * succeeds or is given up on, while other partitions go on.
 */
public final class TriggerDispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TriggerDispatcher.class.getName());
    private static final Duration TOPIC_POLL = Duration.ofSeconds(1);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long COMMIT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long COMMIT_ANSWER_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * How long a poll waits at most while a batch is being delivered: its offsets are committed as
     * soon as it settles, so a crash just after a delivery hands the function few records again.
     */
    private static final long DELIVERING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration MAX_REVOKE_GRACE = Duration.ofSeconds(30);
    /** The committed offset's metadata: "taken in through this offset". */
    private static final String MARK = "eddy-taken-through=";
    /** How many records a mark reaches past the last one polled, in units of the records a poll brings at most. */
    private static final int MARK_AHEAD_POLLS = 4;
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** How far a writer's clock may be ahead of the clock of whoever sent its record (see {@link #rememberBack}). */
    static final long COPY_CLOCK_SKEW_MILLIS = 1_000;
    /** The most records read back at once for a record written long before (see {@link #rememberBack}). */
    static final long MAX_WRITE_TIME_LOOKBACK = 50_000;
    private static final Duration OFFSET_LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final TriggerConfig config;
    /**
     * The consumer's static group membership id when this dispatcher is its group's only member (a
     * duty under a lease), else null: a new holder then takes the partitions over at once, fencing the
     * old holder, instead of waiting out a killed holder's session (45 s by default).
     */
    private final String soleMemberId;
    private final KafkaConnection kafka;
    private final RecordCheck check;
    private final TriggerStats stats;
    private final TriggerFunction function;
    private final DeadLetterTopic deadLetters;
    private final ExecutorService deliveryThreads;
    private final Thread thread;
    private final Map<TopicPartition, Shard> shards = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /**
     * Per partition, the mark committed (confirmed by the coordinator): records up to it may be taken in,
     * and so delivered. A previous holder's mark, at assignment.
     */
    private final Map<TopicPartition, Long> marks = new HashMap<>();
    /** Per partition, the highest mark sent in a commit, confirmed or not: every commit carries it. */
    private final Map<TopicPartition, Long> requestedMarks = new HashMap<>();
    /** Per partition, the mark the last commit sent carried. */
    private final Map<TopicPartition, Long> sentMarks = new HashMap<>();
    /** Whether an asynchronous commit awaits its answer (its callback runs on the poll thread). */
    private boolean commitInFlight;
    private long commitSentNanos;
    /** Per partition, records polled past the confirmed mark: taken in once a mark past them is confirmed. */
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> unmarked = new HashMap<>();
    private final CompletableFuture<String> assigned = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private StartingPosition startingPosition;
    private String topic;
    private long lastCommitNanos;
    /** Set by a delivery thread when a batch settled: the poll thread commits at once. */
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

    private TriggerDispatcher(TriggerConfig config, KafkaConnection kafka, TriggerStats stats, RecordCheck check,
                              String soleMemberId) {
        this.config = config;
        this.soleMemberId = soleMemberId;
        this.kafka = kafka;
        this.stats = stats;
        this.check = check;
        this.function = new TriggerFunction(config);
        this.deadLetters = new DeadLetterTopic(config, kafka, stats);
        this.deliveryThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "eddy-trigger-" + config.name() + "-delivery-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "eddy-trigger-" + config.name());
        this.thread.setDaemon(true);
    }

    /**
     * Starts the trigger on its own thread and returns at once; the thread waits for the topic if
     * it does not exist yet. {@code defaultBootstrapServers} is used unless the trigger sets its own.
     */
    public static TriggerDispatcher start(TriggerConfig config, String defaultBootstrapServers) {
        return start(config, defaultBootstrapServers, Map.of());
    }

    /** As {@link #start(TriggerConfig, String)}, every Kafka client made with these client properties. */
    public static TriggerDispatcher start(TriggerConfig config, String defaultBootstrapServers,
                                          Map<String, String> kafkaClientProperties) {
        return start(config, defaultBootstrapServers, kafkaClientProperties, new TriggerStats());
    }

    /** As {@link #start(TriggerConfig, String, Map)}, counting into {@code stats} (kept across restarts by the caller). */
    public static TriggerDispatcher start(TriggerConfig config, String defaultBootstrapServers,
                                          Map<String, String> kafkaClientProperties, TriggerStats stats) {
        return start(config, defaultBootstrapServers, kafkaClientProperties, stats, RecordCheck.ANY);
    }

    /** As {@link #start(TriggerConfig, String, Map, TriggerStats)}, delivering only the records {@code check} takes for Eddy's. */
    public static TriggerDispatcher start(TriggerConfig config, String defaultBootstrapServers,
                                          Map<String, String> kafkaClientProperties, TriggerStats stats, RecordCheck check) {
        return start(config, defaultBootstrapServers, kafkaClientProperties, stats, check, null);
    }

    /**
     * As {@link #start(TriggerConfig, String, Map, TriggerStats, RecordCheck)}, for a dispatcher that is
     * the only member of its consumer group (one process holds it, by a lease): it joins as the static
     * member {@code soleMemberId}, so whoever runs it next takes the partitions at once and fences this one.
     */
    public static TriggerDispatcher start(TriggerConfig config, String defaultBootstrapServers,
                                          Map<String, String> kafkaClientProperties, TriggerStats stats, RecordCheck check,
                                          String soleMemberId) {
        String servers = config.bootstrapServers() != null ? config.bootstrapServers() : defaultBootstrapServers;
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException(TriggerConfig.PREFIX + config.name()
                    + ": no Kafka bootstrap servers (set bootstrap-servers or eddy.kafka.bootstrap-servers)");
        }
        TriggerDispatcher dispatcher = new TriggerDispatcher(config, new KafkaConnection(servers, kafkaClientProperties),
                stats, check, soleMemberId);
        dispatcher.thread.start();
        return dispatcher;
    }

    public TriggerConfig config() {
        return config;
    }

    public TriggerStats stats() {
        return stats;
    }

    /**
     * Waits until the trigger has its topic and partitions (and has fixed its starting positions);
     * returns the topic. Throws TimeoutException if that takes longer than {@code timeout}.
     */
    public String awaitAssignment(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return assigned.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("trigger " + config.name() + " failed to start", e.getCause());
        }
    }

    private void run() {
        try {
            topic = awaitTopic();
            if (topic == null) {
                return;
            }
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(config.groupId()),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer = c;
            c.subscribe(List.of(topic), new Rebalance());
            LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + ": " + topic + " -> " + config.functionUrl()
                    + " (batch " + config.batchSize() + ", window " + config.maximumBatchingWindow().toMillis() + " ms, "
                    + startingPosition + ", group " + config.groupId() + ")");
            while (!closed) {
                pollOnce(c);
            }
        } catch (org.apache.kafka.common.errors.FencedInstanceIdException e) {
            // the next holder joined as the same static member: it has the partitions now
            LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + ": another holder took its partitions over");
            assigned.completeExceptionally(e);
        } catch (Throwable e) {
            if (!closed) {
                LOG.log(System.Logger.Level.ERROR, "Trigger " + config.name() + " stopped", e);
            }
            assigned.completeExceptionally(e);
        } finally {
            shutdown();
        }
    }

    private void pollOnce(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
        ConsumerRecords<byte[], byte[]> polled;
        try {
            polled = c.poll(Duration.ofNanos(pollTimeoutNanos()));
        } catch (WakeupException e) {
            return;
        }
        for (TopicPartition tp : polled.partitions()) {
            if (shards.containsKey(tp)) {
                unmarked.computeIfAbsent(tp, p -> new ArrayList<>()).addAll(polled.records(tp));
            }
        }
        if (!unmarked.isEmpty()) {
            markAhead();
            long now = System.nanoTime();
            for (var it = unmarked.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> e = it.next();
                Shard shard = shards.get(e.getKey());
                long mark = marks.getOrDefault(e.getKey(), -1L);
                List<ConsumerRecord<byte[], byte[]>> waiting = e.getValue();
                int taken = 0;
                while (taken < waiting.size() && waiting.get(taken).offset() <= mark) {
                    taken++;
                }
                ChangeRecord[] records = new ChangeRecord[taken];
                boolean[] authentic = new boolean[taken];
                long oldestWrite = Long.MAX_VALUE;
                for (int i = 0; i < taken; i++) {
                    records[i] = ChangeRecord.decode(waiting.get(i), now);
                    authentic[i] = check.authentic(waiting.get(i));
                    if (authentic[i] && !records[i].invalid()) {
                        oldestWrite = Math.min(oldestWrite, records[i].createdAtMillis);
                    }
                }
                if (!rememberBack(c, shard, oldestWrite)) {
                    continue; // the records wait for the next poll
                }
                for (int i = 0; i < taken; i++) {
                    if (authentic[i]) {
                        intake(shard, records[i]);
                    } else {
                        forged(shard, records[i]);
                    }
                }
                if (taken == waiting.size()) {
                    it.remove();
                } else {
                    waiting.subList(0, taken).clear();
                }
            }
        }
        long behind = 0;
        for (TopicPartition tp : c.assignment()) {
            behind += c.currentLag(tp).orElse(0); // from the last fetch: no request to the broker
        }
        for (Shard shard : shards.values()) {
            behind += shard.pendingRecords();
        }
        stats.lag.set(behind);
        long now = System.nanoTime();
        List<TopicPartition> full = new ArrayList<>();
        for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> e : unmarked.entrySet()) {
            if (e.getValue().size() >= backlogLimit()) {
                full.add(e.getKey()); // their mark is slow to be confirmed: fetch no more meanwhile
            }
        }
        for (Shard shard : shards.values()) {
            for (BatchDelivery opened : shard.openBatches(now, this::deliveryOf)) {
                dispatch(shard, opened);
            }
            if (shard.pendingRecords() >= backlogLimit()) {
                full.add(shard.partition);
            }
        }
        // backpressure: stop fetching a partition whose function is behind, resume when it catches up
        Set<TopicPartition> paused = c.paused();
        List<TopicPartition> resume = new ArrayList<>(paused);
        resume.removeAll(full);
        c.resume(resume);
        full.removeAll(paused);
        c.pause(full);
        if (commitInFlight && now - commitSentNanos > COMMIT_ANSWER_NANOS) {
            commitInFlight = false; // an answer that never came must not stop the commits
        }
        if (!commitInFlight && (settled.getAndSet(false) || markUnsent() || now - lastCommitNanos >= COMMIT_INTERVAL_NANOS)) {
            commit(c, false);
            lastCommitNanos = now;
        }
    }

    /**
     * Makes sure the partition's duplicate memory reaches back to where a first copy of a record written
     * at {@code writtenMillis} can be: a copy never comes before its first, and the first was sent after
     * the write (allowing {@link #COPY_CLOCK_SKEW_MILLIS} between the writer's clock and the sender's), so it
     * is at or after the first offset Kafka stamped at or after that time. Reads the records between that
     * offset and what the memory holds back into it (up to {@link #MAX_WRITE_TIME_LOOKBACK} of them). Needed
     * for a copy sent again long after its first (after an outage, by whoever finished the writer's work),
     * past the fixed look-back of a holder that started meanwhile; the steady state costs nothing (records
     * come newer than what the memory reaches back to), a record older than that one offset lookup.
     * False when Kafka could not answer the lookup: the records then wait and this is tried again.
     */
    private boolean rememberBack(KafkaConsumer<byte[], byte[]> c, Shard shard, long writtenMillis) {
        if (writtenMillis == Long.MAX_VALUE || config.duplicateLookback() == 0) {
            return true;
        }
        long since = writtenMillis - COPY_CLOCK_SKEW_MILLIS;
        if (since >= shard.rememberedSinceMillis) {
            return true;
        }
        TopicPartition tp = shard.partition;
        try {
            OffsetAndTimestamp at = c.offsetsForTimes(Map.of(tp, since), OFFSET_LOOKUP_TIMEOUT).get(tp);
            if (at != null && at.offset() < shard.rememberedFrom) {
                long until = shard.rememberedFrom;
                long from = Math.max(at.offset(), until - MAX_WRITE_TIME_LOOKBACK);
                if (!DuplicateLookback.replayBefore(consumerProperties(null), shard, from, check)) {
                    // not read in its time: the partition goes on rather than wait on it (a copy among them may pass)
                    LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + ": " + tp + " could not read records "
                            + from + " to " + (until - 1) + " back into its duplicate memory in time; going on without");
                    shard.rememberedSinceMillis = since;
                    return true;
                }
                stats.readBack.addAndGet(until - from);
                LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + ": " + tp + " read records " + from
                        + " to " + (until - 1) + " back into its duplicate memory, for a record written at "
                        + java.time.Instant.ofEpochMilli(writtenMillis) + (from > at.offset()
                        ? " (the most it reads back; its first copy may be earlier, at " + at.offset() + ")" : ""));
            }
            shard.rememberedSinceMillis = since;
            return true;
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + ": cannot look " + tp
                    + " up by time yet (" + e + "); its records wait");
            return false;
        }
    }

    /**
     * Records how far this holder may take a partition in before it does (see the class comment): when
     * the records polled come within half a look-ahead of the mark last sent, commits a mark a look-ahead
     * past the last of them; the next commit carries it (see {@link #commit}). Records past the confirmed
     * mark wait for it, which happens only at a partition's first records or in a burst faster than a
     * commit; in the steady state the next mark is confirmed before it is needed.
     */
    private void markAhead() {
        long ahead = markAhead(config);
        for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> e : unmarked.entrySet()) {
            TopicPartition tp = e.getKey();
            long last = e.getValue().get(e.getValue().size() - 1).offset();
            if (last > requestedMarks.getOrDefault(tp, -1L) - ahead / 2) {
                requestedMarks.put(tp, last + ahead);
            }
        }
    }

    /** How far past the last record polled a holder marks its intake: four polls' worth of records. */
    static long markAhead(TriggerConfig config) {
        return (long) MARK_AHEAD_POLLS * maxPollRecords(config);
    }

    private static int maxPollRecords(TriggerConfig config) {
        return Math.max(500, config.batchSize());
    }

    private String metadata(TopicPartition tp) {
        Long mark = requestedMarks.get(tp);
        return mark == null ? "" : MARK + mark;
    }

    /** The mark a previous holder committed (see {@link #markAhead}), or -1. */
    static long markOf(OffsetAndMetadata committed) {
        String m = committed == null ? null : committed.metadata();
        if (m == null || !m.startsWith(MARK)) {
            return -1;
        }
        try {
            return Long.parseLong(m.substring(MARK.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Drops duplicates and filtered-out records; dead-letters records that break the contract. */
    private void intake(Shard shard, ChangeRecord r) throws InterruptedException {
        stats.received.incrementAndGet();
        if (r.invalid()) {
            deadLetters.send(List.of(r), DeadLetterTopic.INVALID_RECORD, 0, r.invalidReason);
            shard.skip(r);
        } else if (!shard.sequences.advance(r.item, r.sequence)) {
            stats.duplicates.incrementAndGet();
            shard.skip(r);
        } else if (!config.filterCriteria().matches(r.json)) {
            stats.filtered.incrementAndGet();
            shard.skip(r);
        } else {
            shard.add(r);
        }
    }

    /** A record Eddy did not write: skipped before anything else looks at it (see {@link RecordCheck}). */
    private void forged(Shard shard, ChangeRecord r) {
        stats.received.incrementAndGet();
        long n = stats.forged.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + ": " + r + " was not written by Eddy "
                    + "(its seal does not hold); skipped, as " + n + " so far");
        }
        shard.skip(r);
    }

    private BatchDelivery deliveryOf(Shard.Lane lane, List<ChangeRecord> batch, boolean finalForWindow) {
        return new BatchDelivery(config, function, deadLetters, stats, lane, batch, finalForWindow);
    }

    private void dispatch(Shard shard, BatchDelivery first) {
        if (first == null) {
            return;
        }
        deliveryThreads.execute(() -> {
            BatchDelivery delivery = first;
            while (delivery != null) {
                try {
                    delivery.run();
                } catch (RuntimeException e) {
                    // a bug, not a function failure: the unsettled records go back to the queue
                    LOG.log(System.Logger.Level.ERROR, "Trigger " + config.name() + ": delivery failed unexpectedly", e);
                    return;
                } finally {
                    shard.finished(delivery);
                    settled.set(true);
                }
                delivery = shard.openBatch(delivery.lane, System.nanoTime(), this::deliveryOf);
            }
        });
    }

    private int backlogLimit() {
        return Math.max(2 * config.batchSize(), 1000);
    }

    private long pollTimeoutNanos() {
        long now = System.nanoTime();
        long timeout = unmarked.isEmpty() ? MAX_POLL_NANOS : DELIVERING_POLL_NANOS; // a mark's confirmation comes in a poll
        for (Shard shard : shards.values()) {
            timeout = Math.min(timeout, shard.nanosUntilDue(now));
            if (shard.delivering()) {
                timeout = Math.min(timeout, DELIVERING_POLL_NANOS);
            }
        }
        return Math.max(timeout, TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** Whether a partition has a mark no commit carried yet. */
    private boolean markUnsent() {
        for (Map.Entry<TopicPartition, Long> e : requestedMarks.entrySet()) {
            if (e.getValue() > sentMarks.getOrDefault(e.getKey(), -1L)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Commits how far each partition got, with its mark (every partition when {@code sync}: a final
     * commit). At most one asynchronous commit is in flight: a group coordinator answers a member's
     * commits one after the other, each after its append (measured on the suite's broker: 12 ms at the
     * median), so a commit for every settled batch queued up behind each other (a mark waited up to 19 s
     * for its answer at 1 000 records a second); the next commit takes whatever settled meanwhile.
     */
    private void commit(KafkaConsumer<byte[], byte[]> c, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Shard shard : shards.values()) {
            TopicPartition tp = shard.partition;
            long offset = shard.committableOffset();
            Long last = committed.get(tp);
            long mark = requestedMarks.getOrDefault(tp, -1L);
            if (sync || last == null || offset > last || mark > sentMarks.getOrDefault(tp, -1L)) {
                offsets.put(tp, new OffsetAndMetadata(offset, metadata(tp)));
                committed.put(tp, offset);
                sentMarks.put(tp, mark);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            c.commitSync(offsets);
            offsets.forEach((tp, o) -> marks.merge(tp, markOf(o), Math::max));
        } else {
            commitInFlight = true;
            commitSentNanos = System.nanoTime();
            c.commitAsync(offsets, (done, error) -> { // called on this thread, in a later poll or commit
                commitInFlight = false;
                if (error != null) {
                    LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + " offset commit failed: " + error);
                    done.keySet().forEach(tp -> { // try again on the next round
                        committed.remove(tp);
                        sentMarks.remove(tp);
                    });
                } else {
                    done.forEach((tp, o) -> {
                        if (shards.containsKey(tp)) {
                            marks.merge(tp, markOf(o), Math::max); // records up to it may be taken in now
                        }
                    });
                }
            });
        }
    }

    /** Gives its partitions' shards up (stopping their deliveries) and commits how far they got. */
    private void release(Collection<TopicPartition> partitions, boolean commit) {
        Duration grace = config.invocationTimeout().compareTo(MAX_REVOKE_GRACE) < 0 ? config.invocationTimeout()
                : MAX_REVOKE_GRACE;
        for (TopicPartition tp : partitions) {
            Shard shard = shards.get(tp);
            if (shard != null) {
                try {
                    shard.revoke(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (!shard.delivering()) {
                    // nothing in flight: the next holder has nothing to mark as perhaps delivered twice
                    requestedMarks.put(tp, Math.max(shard.committableOffset() - 1, shard.possiblyDeliveredThrough));
                }
            }
            unmarked.remove(tp);
        }
        if (commit && consumer != null) {
            try {
                commit(consumer, true);
            } catch (WakeupException e) {
                commit(consumer, true); // a wakeup meant for poll; the commit itself still has to happen
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + " final commit failed: " + e);
            }
        }
        for (TopicPartition tp : partitions) {
            shards.remove(tp);
            committed.remove(tp);
            marks.remove(tp);
            requestedMarks.remove(tp);
            sentMarks.remove(tp);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions, false); // another member owns them now: committing would be refused
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assign(partitions);
            }
            assigned.complete(topic);
        }
    }

    /**
     * Fixes where each new partition starts: its committed offset, or (first run) the starting
     * position, committed at once so a restart before the first delivery does not move it. Then
     * reads back the records before that point into the partition's duplicate memory.
     */
    private void assign(Collection<TopicPartition> partitions) {
        KafkaConsumer<byte[], byte[]> c = consumer;
        Map<TopicPartition, OffsetAndMetadata> previous = c.committed(Set.copyOf(partitions));
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (previous.get(tp) == null) {
                if (startingPosition == StartingPosition.LATEST && config.latestFromMillis() > 0) {
                    // the first record written after the trigger was created, however late this run starts
                    var at = c.offsetsForTimes(Map.of(tp, config.latestFromMillis())).get(tp);
                    if (at == null) {
                        c.seekToEnd(List.of(tp));
                    } else {
                        c.seek(tp, at.offset());
                    }
                } else if (startingPosition == StartingPosition.LATEST) {
                    c.seekToEnd(List.of(tp));
                } else {
                    c.seekToBeginning(List.of(tp));
                }
                starts.put(tp, new OffsetAndMetadata(c.position(tp)));
            }
        }
        if (!starts.isEmpty()) {
            c.commitSync(starts);
        }
        Map<TopicPartition, Shard> added = new HashMap<>();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long position = c.position(tp);
            Shard shard = new Shard(tp, position, config);
            long mark = markOf(previous.get(tp));
            if (mark >= position) {
                shard.possiblyDeliveredThrough = mark;
                marks.put(tp, mark);
                requestedMarks.put(tp, mark);
                LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + ": " + tp + " records " + position
                        + " to " + mark + " may have reached the function already; they go out marked "
                        + TriggerFunction.POSSIBLE_REDELIVERY);
            }
            added.put(tp, shard);
            positions.put(tp, position);
        }
        DuplicateLookback.replay(consumerProperties(null), config.duplicateLookback(), added, positions, check);
        shards.putAll(added);
        committed.putAll(positions);
    }

    /** The trigger's topic, waiting until it exists; null if closed meanwhile. */
    private String awaitTopic() throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(kafka.properties())) {
            boolean waited = false;
            while (!closed) {
                Set<String> topics;
                try {
                    topics = admin.listTopics().names().get();
                } catch (ExecutionException e) {
                    LOG.log(System.Logger.Level.WARNING, "Trigger " + config.name() + " cannot list topics yet: " + e.getCause());
                    Thread.sleep(TOPIC_POLL.toMillis());
                    continue;
                }
                Optional<String> found = config.topic() != null
                        ? Optional.of(config.topic()).filter(topics::contains)
                        : StreamTopics.newest(config.table(), topics);
                if (found.isPresent()) {
                    // a topic created after the trigger started holds only newer records: all of them are "latest"
                    startingPosition = waited ? StartingPosition.TRIM_HORIZON : config.startingPosition();
                    createDeadLetterTopic(admin, found.get());
                    return found.get();
                }
                if (!waited) {
                    LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + " waits for " + config.describeSource());
                    waited = true;
                }
                Thread.sleep(TOPIC_POLL.toMillis());
            }
            return null;
        }
    }

    /** Creates the on-failure topic, as many partitions as the source, unless it exists. */
    private void createDeadLetterTopic(Admin admin, String source) throws InterruptedException, ExecutionException {
        if (config.onFailureTopic() == null) {
            return;
        }
        int partitions = admin.describeTopics(List.of(source)).allTopicNames().get().get(source).partitions().size();
        KafkaTopics.create(admin, config.onFailureTopic(), partitions, Duration.ofSeconds(30));
    }

    /** Consumer settings; with a null group id, a plain reader for the duplicate lookback. */
    Properties consumerProperties(String groupId) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eddy-trigger-" + config.name() + (groupId == null ? "-lookback" : ""));
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            if (soleMemberId != null) {
                p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, soleMemberId);
            }
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a committed offset the topic no longer holds (retention) resumes at the oldest record, as Lambda does
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // records of aborted producer transactions never reach a trigger
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords(config)));
        return p;
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            release(new ArrayList<>(shards.keySet()), true);
            c.close(Duration.ofSeconds(5));
        }
        deliveryThreads.shutdownNow();
        deadLetters.close();
        LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + " stopped: " + stats);
    }
}

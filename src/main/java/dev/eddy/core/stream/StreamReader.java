package dev.eddy.core.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.Errors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a stream's records back from its Kafka topic for the DynamoDB Streams API: one shard per
 * topic partition, positions by offset.
 *
 * <p>Copies are dropped here, so that the API shows each change once and in its item's order: a
 * record whose item already had a record with that or a later sequence number before it is a copy.
 * Most copies come close behind the first (writers in two processes publishing the same outbox), but
 * after a Kafka outage an instance may send again what it could not confirm, far behind: so a page
 * looks back past its fixed look-back to the write time of its oldest record (a copy's first is never
 * older than the write), up to {@link #MAX_LOOKBACK} records.
 *
 * <p>Records whose {@link RecordSeal} does not hold were not written by Eddy: they are skipped, as if
 * the topic did not hold them (their offsets still count, so shard positions stay Kafka's).
 */
public final class StreamReader implements AutoCloseable {
    /** Records before the first one asked for that are always read to recognise copies among them. */
    private static final int LOOKBACK = 500;
    /**
     * How much further back a page may look, to the write time of its oldest record: after a long Kafka
     * outage a resent record can be this far behind its first copy.
     */
    private static final int MAX_LOOKBACK = 50_000;
    /** Writers' clocks may differ by this much from the one that stamped the first copy. */
    private static final long CLOCK_SKEW_MILLIS = 1_000;
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * How long one read may take to read what it needs. A poll that comes back empty is a fetch not
     * answered yet (a busy broker, one just restarted), not the end of what is there: stopping at it
     * left a look-back short and let copies through (the fault suite's scenario 3, 60 s outage).
     */
    private static final long READ_MILLIS = 10_000;
    private static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.mapper();

    private final StreamConfig config;
    private final RecordSeal seal;
    private final java.util.concurrent.atomic.LongAdder forged = new java.util.concurrent.atomic.LongAdder();
    private final ConcurrentLinkedQueue<KafkaConsumer<byte[], byte[]>> idle = new ConcurrentLinkedQueue<>();

    public StreamReader(StreamConfig config, RecordSeal seal) {
        this.config = config;
        this.seal = seal;
    }

    /** Records met on stream topics that Eddy did not write (their seal does not hold), since the start. */
    public long forgedRecords() {
        return forged.sum();
    }

    /** A record as the Streams API returns it, with its shard position. */
    public record Record(long offset, ObjectNode json) {
    }

    public List<Integer> partitions(String topic) {
        return withConsumer(c -> {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
            List<Integer> out = new ArrayList<>();
            if (infos != null) {
                infos.forEach(i -> out.add(i.partition()));
            }
            out.sort(null);
            return out;
        });
    }

    /** [first, end) offsets of a partition. */
    public long[] range(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return withConsumer(c -> new long[] {
            c.beginningOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp),
            c.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp)});
    }

    /** Up to {@code limit} records from {@code offset}, copies dropped; the offset to go on from is {@code next[0]}. */
    public List<Record> read(String topic, int partition, long offset, int limit, long[] next) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return withConsumer(c -> {
            long first = c.beginningOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
            long from = Math.max(first, offset - LOOKBACK);
            long stop = Math.min(end, offset + limit);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(READ_MILLIS);
            List<Read> read = new ArrayList<>();
            long position = scan(c, tp, from, stop, read, deadline);
            if (position < Math.min(offset, stop)) {
                throw Errors.storeUnavailable(); // the look-back unread: a copy could not be told from its record
            }
            // A copy can only follow its record, and its record was sent after the write it records: when
            // the page holds a record written before the look-back began, look back to its write time.
            Map<String, Long> latest = new HashMap<>();
            long oldest = Long.MAX_VALUE;
            for (Read r : read) {
                if (r.offset >= offset) {
                    oldest = Math.min(oldest, r.sequence / 1000 - CLOCK_SKEW_MILLIS);
                }
            }
            if (oldest != Long.MAX_VALUE && from > first) {
                var at = c.offsetsForTimes(Map.of(tp, Math.max(0, oldest)), Duration.ofSeconds(5)).get(tp);
                long since = Math.max(Math.max(first, from - MAX_LOOKBACK), at == null ? from : at.offset());
                if (since < from) {
                    java.util.Set<String> keys = new java.util.HashSet<>();
                    read.forEach(r -> keys.add(r.key));
                    List<Read> earlier = new ArrayList<>();
                    if (scan(c, tp, since, from, earlier, deadline) < from) {
                        throw Errors.storeUnavailable();
                    }
                    for (Read r : earlier) {
                        if (keys.contains(r.key)) {
                            latest.merge(r.key, r.sequence, Math::max);
                        }
                    }
                }
            }
            List<Record> out = new ArrayList<>();
            for (Read r : read) {
                Long seen = latest.get(r.key);
                boolean copy = seen != null && seen >= r.sequence;
                latest.merge(r.key, r.sequence, Math::max);
                if (r.offset >= offset && !copy) {
                    out.add(new Record(r.offset, r.json));
                }
            }
            next[0] = Math.max(offset, position);
            return out;
        });
    }

    /** A sealed record read from the topic, with what the copy rule needs. */
    private record Read(long offset, String key, long sequence, ObjectNode json) {
    }

    /**
     * Reads [from, stop) into {@code into} (records that fail their seal left out); the position
     * reached, which is {@code stop} unless the deadline came first. Every offset below {@code stop}
     * is there to read (stop is at most the end offset), so an empty poll means wait, not done.
     */
    private long scan(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long from, long stop, List<Read> into,
                      long deadline) {
        c.assign(List.of(tp));
        c.seek(tp, from);
        long position = from;
        while (position < stop && System.nanoTime() - deadline < 0) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL).records(tp)) {
                if (r.offset() >= stop) {
                    break;
                }
                if (seal.holds(r.topic(), r.key(), r.value(), r.headers())) {
                    ObjectNode json = parse(r.value());
                    into.add(new Read(r.offset(), json.path("dynamodb").path("Keys").toString(),
                            json.path("dynamodb").path("SequenceNumber").asLong(), json));
                } else {
                    forged.increment();
                }
            }
            // past whatever the poll returned, and past offsets it skipped (none today: no transactions)
            position = Math.min(stop, c.position(tp));
        }
        return position;
    }

    /** The offset of the first record written at or after a time (for LATEST-like positions), or the end. */
    public long end(String topic, int partition) {
        return range(topic, partition)[1];
    }

    private static ObjectNode parse(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalStateException("unreadable change record", e);
        }
    }

    private <T> T withConsumer(java.util.function.Function<KafkaConsumer<byte[], byte[]>, T> work) {
        KafkaConsumer<byte[], byte[]> c = idle.poll();
        if (c == null) {
            Properties p = config.kafkaProperties();
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
            p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        try {
            T result = work.apply(c);
            c.assign(List.of());
            idle.add(c);
            return result;
        } catch (RuntimeException e) {
            c.close(Duration.ofSeconds(1));
            throw e;
        }
    }

    @Override
    public void close() {
        for (KafkaConsumer<byte[], byte[]> c; (c = idle.poll()) != null; ) {
            c.close(Duration.ofSeconds(1));
        }
    }
}

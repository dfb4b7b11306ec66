package dev.eddy.core.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What this process has read of its stream topics' tails to tell which records a topic holds
 * already ({@link StreamPublisher#onTopic}): per partition, the sealed records' copy keys from the
 * first offset read to the last, so the next question reads only what was appended since (and the
 * stretch before, when it asks from further back). After an outage every page whose send failed
 * asks before sending again, each from its oldest record's time: read afresh each time, the
 * topic's whole tail was read once per page, and the backlog drained in time that grew with its
 * square (the fault suite's 60 s outage of all brokers, 5 000 writes waiting, was still draining
 * minutes later).
 *
 * <p>A tail is forgotten once unused for {@link #IDLE_MILLIS}, when the partition's end moved
 * back (the topic was deleted and made again), and its front is let go past {@link #KEEP_KEYS}
 * keys when a question does not reach back that far: what is forgotten is only read again.
 * Not thread-safe: the publisher asks under its lock.
 */
final class TopicTails {
    /** A tail nobody asked about for this long is dropped. */
    static final long IDLE_MILLIS = 60_000;
    /** Past this many keys in one partition's tail, keys before the question's start are let go. */
    static final int KEEP_KEYS = 200_000;

    /** Reads a record's copy key, or null for a record that is not Eddy's (its seal does not hold). */
    @FunctionalInterface
    interface KeyOf {
        String of(ConsumerRecord<byte[], byte[]> record);
    }

    private static final class Tail {
        /** First and one past the last offset read. */
        long from;
        long to;
        long usedMillis;
        /** Copy keys in offset order, with their offsets, so the front can be let go. */
        final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();
    }

    private final Map<TopicPartition, Tail> tails = new HashMap<>();
    private final KeyOf keyOf;
    /** Records read from Kafka so far, for tests and metrics. */
    private long recordsRead;

    TopicTails(KeyOf keyOf) {
        this.keyOf = keyOf;
    }

    long recordsRead() {
        return recordsRead;
    }

    /**
     * Makes sure every record of the topic from {@code fromMillis} to its end now has been read,
     * with the consumer given, and adds the copy keys of those among {@code wanted} the topic holds
     * to {@code found}.
     */
    void find(KafkaConsumer<byte[], byte[]> c, String topic, long fromMillis, Set<String> wanted, Set<String> found) {
        long now = System.currentTimeMillis();
        tails.values().removeIf(t -> now - t.usedMillis > IDLE_MILLIS);
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, Math.max(0, fromMillis)));
        Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times, Duration.ofSeconds(5));
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(5));
        for (TopicPartition tp : partitions) {
            long end = ends.get(tp);
            OffsetAndTimestamp at = starts.get(tp);
            long start = at == null ? end : at.offset();
            Tail t = tails.get(tp);
            if (t != null && end < t.to) {
                t = null; // the partition is shorter than what was read: the topic was made again
            }
            if (t == null) {
                t = new Tail();
                t.from = start;
                t.to = start;
                tails.put(tp, t);
            }
            t.usedMillis = now;
            if (start < t.from) {
                // asked from further back than read so far: read the stretch before, keeping offset order
                LinkedHashMap<String, Long> before = new LinkedHashMap<>();
                read(c, tp, start, t.from, before);
                before.putAll(t.keys);
                t.keys.clear();
                t.keys.putAll(before);
                t.from = start;
            }
            if (t.to < end) {
                read(c, tp, t.to, end, t.keys);
                t.to = end;
            }
            if (t.keys.size() > KEEP_KEYS && start > t.from) {
                letGoBefore(t, start);
            }
        }
        c.assign(List.of());
        for (String key : wanted) {
            for (TopicPartition tp : partitions) {
                Tail t = tails.get(tp);
                if (t != null && t.keys.containsKey(key)) {
                    found.add(key);
                    break;
                }
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long from, long to, Map<String, Long> into) {
        c.assign(List.of(tp));
        c.seek(tp, from);
        long position = from;
        long stalledSince = System.nanoTime();
        while (position < to) {
            if (System.nanoTime() - stalledSince > STALL_NANOS) {
                throw new IllegalStateException("reading " + tp + " made no progress for " + STALL_NANOS / 1_000_000_000 + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                if (r.offset() >= to) {
                    continue;
                }
                recordsRead++;
                String key = keyOf.of(r);
                if (key != null) {
                    into.put(key, r.offset());
                }
            }
            long next = c.position(tp);
            if (next > position) {
                position = next;
                stalledSince = System.nanoTime();
            }
        }
    }

    /** A read that gets no record for this long gives up (the caller's send waits for a later pass). */
    private static final long STALL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private static void letGoBefore(Tail t, long offset) {
        Iterator<Map.Entry<String, Long>> it = t.keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() >= offset) {
                break;
            }
            it.remove();
        }
        t.from = offset;
    }
}

package dev.eddy.triggers.dispatcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads back, without delivering them, records before what a partition's holder has read, into the
 * partition's duplicate memory. At assignment: the last records before the start position, so the
 * memory knows what the previous owner (or this process before a restart) had already taken in, and
 * a copy that sits just after the committed offset, its original just before, is dropped as it would
 * have been without the restart. Later, for a record written before the memory reaches back (see
 * {@link TriggerDispatcher}): back to that record's write time, where its first copy can be.
 */
final class DuplicateLookback {

    private static final Duration MAX_TIME = Duration.ofSeconds(10);

    private DuplicateLookback() {
    }

    /**
     * Replays up to {@code lookback} records before each shard's position into its memory; each shard's
     * {@link Shard#rememberedFrom} is set to where its replay began.
     */
    static void replay(Properties readerProperties, int lookback, Map<TopicPartition, Shard> shards,
            Map<TopicPartition, Long> positions, RecordCheck check) {
        if (lookback == 0 || shards.isEmpty()) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> reader = reader(readerProperties)) {
            Map<TopicPartition, Long> beginnings = reader.beginningOffsets(shards.keySet());
            Map<TopicPartition, Long> from = new HashMap<>();
            positions.forEach((tp, position) -> {
                long start = Math.max(beginnings.getOrDefault(tp, 0L), position - lookback);
                if (start < position) {
                    from.put(tp, start);
                }
            });
            Map<TopicPartition, Long> unread = read(reader, from, positions, shards, check);
            from.forEach((tp, start) -> {
                if (!unread.containsKey(tp)) {
                    shards.get(tp).rememberedFrom = start;
                }
            });
        }
    }

    /**
     * Replays the records {@code [from, shard.rememberedFrom)} of one shard into its memory and moves
     * {@code rememberedFrom} back to {@code from}; false (the memory as it was) if they could not all
     * be read in time.
     */
    static boolean replayBefore(Properties readerProperties, Shard shard, long from, RecordCheck check) {
        TopicPartition tp = shard.partition;
        try (KafkaConsumer<byte[], byte[]> reader = reader(readerProperties)) {
            if (read(reader, Map.of(tp, from), Map.of(tp, shard.rememberedFrom), Map.of(tp, shard), check).isEmpty()) {
                shard.rememberedFrom = from;
                return true;
            }
            return false;
        }
    }

    private static KafkaConsumer<byte[], byte[]> reader(Properties readerProperties) {
        return new KafkaConsumer<>(readerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads each partition's {@code [from, until)} into its shard's memory; returns those not read to the end in time. */
    private static Map<TopicPartition, Long> read(KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> until, Map<TopicPartition, Shard> shards, RecordCheck check) {
        if (from.isEmpty()) {
            return Map.of();
        }
        reader.assign(from.keySet());
        from.forEach(reader::seek);
        Map<TopicPartition, Long> remaining = new HashMap<>();
        from.keySet().forEach(tp -> remaining.put(tp, until.get(tp)));
        long deadline = System.nanoTime() + MAX_TIME.toNanos();
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long end = remaining.get(tp);
                if (end != null && r.offset() < end) {
                    ChangeRecord change = ChangeRecord.decode(r, 0);
                    if (!change.invalid() && check.authentic(r)) {
                        shards.get(tp).sequences.advance(change.item, change.sequence);
                    }
                }
            }
            remaining.keySet().removeIf(tp -> reader.position(tp) >= remaining.get(tp));
        }
        return remaining;
    }
}

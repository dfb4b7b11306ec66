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
 * Reads back, without delivering them, the last records before each newly assigned partition's
 * start position, so the partition's duplicate memory knows what the previous owner (or this
 * process before a restart) had already taken in. A copy of a record that sits just after the
 * committed offset, its original just before, is then dropped as it would have been without
 * the restart.
 */
final class DuplicateLookback {

    private static final Duration MAX_TIME = Duration.ofSeconds(10);

    private DuplicateLookback() {
    }

    /** Replays up to {@code lookback} records before each shard's position into its memory. */
    static void replay(Properties readerProperties, int lookback, Map<TopicPartition, Shard> shards,
            Map<TopicPartition, Long> positions, RecordCheck check) {
        if (lookback == 0 || shards.isEmpty()) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(readerProperties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> beginnings = reader.beginningOffsets(shards.keySet());
            Map<TopicPartition, Long> from = new HashMap<>();
            positions.forEach((tp, position) -> {
                long start = Math.max(beginnings.getOrDefault(tp, 0L), position - lookback);
                if (start < position) {
                    from.put(tp, start);
                }
            });
            if (from.isEmpty()) {
                return;
            }
            reader.assign(from.keySet());
            from.forEach(reader::seek);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            from.keySet().forEach(tp -> remaining.put(tp, positions.get(tp)));
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
        }
    }
}

package dev.eddy.core.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * record whose item already had a record with that or a later sequence number within the records
 * just before it is a copy. Copies only come close behind the first (writers in two processes
 * publishing the same outbox); the sweeper publishes nothing the topic already has.
 *
 * <p>Records whose {@link RecordSeal} does not hold were not written by Eddy: they are skipped, as if
 * the topic did not hold them (their offsets still count, so shard positions stay Kafka's).
 */
public final class StreamReader implements AutoCloseable {
    /** Records before the first one asked for that are read to recognise copies among them. */
    private static final int LOOKBACK = 500;
    private static final Duration POLL = Duration.ofMillis(200);
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
            Map<String, Long> latest = new HashMap<>();
            List<Record> out = new ArrayList<>();
            c.assign(List.of(tp));
            c.seek(tp, from);
            long position = from;
            long stop = Math.min(end, offset + limit);
            while (position < stop) {
                List<ConsumerRecord<byte[], byte[]>> batch = c.poll(POLL).records(tp);
                if (batch.isEmpty()) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (r.offset() >= stop) {
                        break;
                    }
                    position = r.offset() + 1;
                    if (!seal.holds(r.topic(), r.key(), r.value(), r.headers())) {
                        forged.increment();
                        continue;
                    }
                    ObjectNode json = parse(r.value());
                    String key = json.path("dynamodb").path("Keys").toString();
                    long sequence = json.path("dynamodb").path("SequenceNumber").asLong();
                    Long seen = latest.get(key);
                    boolean copy = seen != null && seen >= sequence;
                    latest.merge(key, sequence, Math::max);
                    if (r.offset() < offset || copy) {
                        continue;
                    }
                    out.add(new Record(r.offset(), json));
                }
            }
            next[0] = Math.max(offset, position);
            return out;
        });
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

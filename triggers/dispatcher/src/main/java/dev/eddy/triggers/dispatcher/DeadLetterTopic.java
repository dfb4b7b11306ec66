package dev.eddy.triggers.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The on-failure destination: a Kafka topic that receives the records a trigger gives up on, each
 * with its original key and value (so it can be replayed as it is) and headers saying why.
 * Lambda sends only a batch's coordinates to its destination, since the stream still holds the
 * records for 24 hours; a Kafka topic's retention is the operator's choice, so the records
 * themselves are kept here.
 *
 * <p>Headers: {@code eddy.trigger}, {@code eddy.failure.condition} (RetryAttemptsExhausted,
 * RecordAgeExceeded or InvalidRecord, Lambda's condition names where it has one),
 * {@code eddy.failure.attempts}, {@code eddy.failure.error}, and {@code eddy.source.topic},
 * {@code eddy.source.partition}, {@code eddy.source.offset}.
 *
 * <p>A send is confirmed before the trigger moves past the records, retrying until the topic takes
 * them: a record is never both undelivered and absent from the dead-letter topic. With no topic
 * configured the records are dropped, with a warning, as Lambda discards them.
 */
final class DeadLetterTopic implements AutoCloseable {

    static final String RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted";
    static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";
    static final String INVALID_RECORD = "InvalidRecord";

    private static final System.Logger LOG = System.getLogger(DeadLetterTopic.class.getName());
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String trigger;
    private final String topic;
    private final TriggerStats stats;
    private final KafkaProducer<byte[], byte[]> producer;

    DeadLetterTopic(TriggerConfig config, KafkaConnection kafka, TriggerStats stats) {
        this.trigger = config.name();
        this.topic = config.onFailureTopic();
        this.stats = stats;
        if (topic == null) {
            producer = null;
            return;
        }
        Properties p = kafka.properties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "eddy-trigger-" + trigger + "-dead-letters");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes these records to the topic and waits until it has them (or drops them when there is none). */
    void send(List<ChangeRecord> records, String condition, int attempts, String error) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        if (producer == null) {
            stats.discarded.addAndGet(records.size());
            LOG.log(System.Logger.Level.WARNING, "Trigger " + trigger + " discarded " + records.size() + " record(s) ("
                    + condition + ", no on-failure-topic), first " + records.get(0) + ": " + error);
            return;
        }
        for (;;) {
            try {
                List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
                for (ChangeRecord r : records) {
                    sends.add(producer.send(new ProducerRecord<>(topic, null, r.key, r.value,
                            headers(r, condition, attempts, error))));
                }
                for (Future<RecordMetadata> sent : sends) {
                    sent.get();
                }
                stats.deadLettered.addAndGet(records.size());
                LOG.log(System.Logger.Level.WARNING, "Trigger " + trigger + " sent " + records.size()
                        + " record(s) to " + topic + " (" + condition + "), first " + records.get(0) + ": " + error);
                return;
            } catch (ExecutionException | RuntimeException e) {
                // sending the whole list again may write some records twice: the topic is at-least-once
                LOG.log(System.Logger.Level.ERROR, "Trigger " + trigger + " cannot write to on-failure topic " + topic
                        + ", retrying: " + e);
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
    }

    private RecordHeaders headers(ChangeRecord r, String condition, int attempts, String error) {
        RecordHeaders h = new RecordHeaders();
        h.add("eddy.trigger", utf8(trigger));
        h.add("eddy.failure.condition", utf8(condition));
        h.add("eddy.failure.attempts", utf8(String.valueOf(attempts)));
        h.add("eddy.failure.error", utf8(error == null ? "" : error));
        h.add("eddy.source.topic", utf8(r.topic));
        h.add("eddy.source.partition", utf8(String.valueOf(r.partition)));
        h.add("eddy.source.offset", utf8(String.valueOf(r.offset)));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}

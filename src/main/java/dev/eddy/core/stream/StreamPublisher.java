package dev.eddy.core.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * The Kafka side of change streams: sends stream records to their table's topic (idempotent
 * producer, acknowledged by all in-sync replicas), creates a stream's topic when the stream is
 * enabled and deletes it when its retention is over, and tells which records a topic already has
 * (so records whose writer died after Kafka took them are not sent twice). What to send, in what
 * order, and when, is the outbox's business ({@code outbox.WriteCompletion}).
 */
public final class StreamPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamPublisher.class);

    /** How long a changes topic keeps records: DynamoDB keeps a stream's records 24 hours. */
    static final long CHANGES_RETENTION_MILLIS = 24 * 3600 * 1000L;

    private final StreamConfig config;
    /**
     * Made at the first send (a function instance that only reads never loads the Kafka producer, and
     * one that writes pays for it then, not at start); replaced when a send fails, so nothing the
     * failed one still holds can reach the topic later. Guarded by this.
     */
    private Producer producer;
    /** Made at the first topic operation, as the producer; guarded by this. */
    private Admin admin;
    private volatile boolean closed;
    /**
     * Whether the last send failed: until one succeeds, writes leave their records to the retry pass
     * (which tries Kafka again) instead of each waiting out a send that cannot succeed, which held the
     * index and expiry upkeep queued behind it back too.
     */
    private volatile boolean failing;
    private final java.util.concurrent.atomic.LongAdder attempts = new java.util.concurrent.atomic.LongAdder();
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    /**
     * What {@link #onTopic} read of the topics, and the consumer it reads with, kept between calls
     * (making and closing a consumer per call cost 1-3 s: metadata, fetch sessions). Both are
     * guarded by {@link #lookupLock}: one question at a time, each reading only what the ones before
     * did not.
     */
    private final TopicTails tails = new TopicTails(this::copyKeyIfSealed);
    private KafkaConsumer<byte[], byte[]> lookup;
    private final java.util.concurrent.locks.ReentrantLock lookupLock = new java.util.concurrent.locks.ReentrantLock();
    /** Seals every record sent, so that readers can tell Eddy's records from anyone else's. */
    private final RecordSeal seal;

    public StreamPublisher(StreamConfig config, RecordSeal seal) {
        this.config = config;
        this.seal = seal;
    }

    /** A Kafka producer and the callback of each of its sends, which stops it at its first failed record. */
    record Producer(KafkaProducer<byte[], byte[]> kafka, Callback stopWhenFailed,
                            java.util.concurrent.atomic.AtomicReference<Exception> stoppedBy) {
        static Producer open(StreamConfig config) {
            KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(producerProperties(config),
                    new ByteArraySerializer(), new ByteArraySerializer());
            java.util.concurrent.atomic.AtomicReference<Exception> stoppedBy = new java.util.concurrent.atomic.AtomicReference<>();
            return new Producer(kafka, stopAtFirstFailure(kafka, stoppedBy), stoppedBy);
        }

        /**
         * Whether a send's failure means Kafka is out of reach: its own error, or, when it failed
         * because this producer was stopped (its records aborted, or a send after the stop), the error
         * that stopped it. Otherwise every sender that shared the producer with a send that met an
         * outage took "closed" for "Kafka answers", and writes stopped leaving their records to the
         * retry pass during the outage.
         */
        boolean unreachable(Throwable e) {
            Exception cause = stoppedBy.get();
            return StreamPublisher.unreachable(e) || cause != null && StreamPublisher.unreachable(cause);
        }

        /**
         * Called on the producer's own thread, close(0) ends it before it sends anything more; the
         * sending thread, woken by the failed future, would come too late for the partition's next
         * batch. It only closes: taking the publisher's lock there could deadlock with a discard that
         * waits for that thread.
         */
        private static Callback stopAtFirstFailure(KafkaProducer<byte[], byte[]> kafka,
                                                   java.util.concurrent.atomic.AtomicReference<Exception> stoppedBy) {
            return (metadata, failure) -> {
                if (failure != null && stoppedBy.compareAndSet(null, failure)) {
                    kafka.close(Duration.ZERO);
                }
            };
        }
    }

    private synchronized Producer producer() {
        if (closed) {
            throw new IllegalStateException("stream publisher closed");
        }
        if (producer == null) {
            producer = Producer.open(config);
        }
        return producer;
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("stream publisher closed");
        }
        if (admin == null) {
            Properties adminProps = config.kafkaProperties();
            adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            admin = Admin.create(adminProps);
        }
        return admin;
    }


    static Properties producerProperties(StreamConfig config) {
        Properties p = config.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Never hold a publishing thread for long when Kafka is away: records wait in their outboxes.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        // Records never expire in the producer on their own: a record that expired while a later one
        // of its item got through would land after it. Eddy gives up on a send itself and then
        // discards the whole producer (see sendAll), so what reaches the topic is always a prefix
        // of what was sent, in order.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        // One request at a time per broker, so a partition's next batch leaves only once the one before
        // is taken or has failed for good (then stopWhenFailed ends the producer before it leaves). With
        // several in flight, a later batch was written though an earlier one failed: a broker holding no
        // state for the producer takes any sequence number, and after a failed batch the producer bumps
        // its epoch and sends the rest from sequence 0 (StreamSendPrefixTest).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return p;
    }

    public StreamConfig config() {
        return config;
    }

    /**
     * Sends the messages in order (one item's records share a partition, and the producer keeps
     * their order) and waits until Kafka has them all; false when it did not take them all in time.
     * Then the producer is discarded with everything it still held unsent and a new one takes its
     * place: records of a failed send can reach the topic only ahead of anything sent later (never a
     * record after a later one of its item, which readers would take for an old copy), and the
     * caller sends them all again.
     */
    public boolean sendAll(List<StreamRecords.Message> messages) {
        Producer p;
        try {
            p = producer();
        } catch (RuntimeException e) {
            LOG.debugf(e, "No Kafka producer for stream records");
            failing = true;
            return false;
        }
        attempts.increment();
        List<Future<RecordMetadata>> futures = new ArrayList<>(messages.size());
        boolean ok = true;
        boolean away = false; // Kafka out of reach, not one record it refuses (that must not hold back the others)
        try {
            for (StreamRecords.Message m : messages) {
                ensureTopic(m.topic());
                futures.add(p.kafka().send(new ProducerRecord<>(m.topic(), null, m.key(), m.value(),
                        headers(m, m.topic())), p.stopWhenFailed()));
                if (config.changesTopics()) {
                    // the same record on the table's changes topic, in the same order (same producer)
                    String changes = StreamTopics.changesTopic(m.topic());
                    ensureTopic(changes);
                    futures.add(p.kafka().send(new ProducerRecord<>(changes, null, m.key(), m.value(),
                            headers(m, changes)), p.stopWhenFailed()));
                }
            }
        } catch (ExecutionException | RuntimeException e) {
            LOG.debugf(e, "Kafka refused stream records");
            ok = false;
            away = p.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.sweepMillis() + 10_000);
        for (Future<RecordMetadata> f : futures) {
            if (!ok) {
                break;
            }
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debugf(e, "Kafka did not take %d stream records", messages.size());
                ok = false;
                away = p.unreachable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
        }
        failing = away;
        if (!ok) {
            discard(p);
        }
        return ok;
    }

    /** Drops a producer whose send failed, aborting what it still held unsent; the next send makes another. */
    private synchronized void discard(Producer failed) {
        if (producer != failed) {
            return; // replaced already by another sender that failed on it
        }
        producer = null;
        failed.kafka().close(Duration.ZERO);
    }

    /**
     * Creates a table's stream topic as the stream is enabled, so consumers can subscribe before the
     * first change; if Kafka is away now, the first record creates it later.
     */
    public void createTopic(String topic) {
        try {
            ensureTopic(topic);
            if (config.changesTopics()) {
                ensureTopic(StreamTopics.changesTopic(topic));
            }
        } catch (ExecutionException | RuntimeException e) {
            LOG.debugf(e, "Stream topic %s left to its first record", topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes a stream's topic (its retention after the stream or table went is over); true when gone. */
    public boolean deleteTopic(String topic) {
        try {
            admin().deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            topics.remove(topic);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                topics.remove(topic);
                return true;
            }
            LOG.debugf(e, "Deleting topic %s", topic);
            return false;
        } catch (TimeoutException | RuntimeException e) {
            LOG.debugf(e, "Deleting topic %s", topic);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Eddy's stream topics that exist now. */
    public Set<String> streamTopics() {
        try {
            Set<String> out = new HashSet<>();
            for (String t : admin().listTopics().names().get(10, TimeUnit.SECONDS)) {
                if (t.startsWith(StreamTopics.PREFIX)) {
                    out.add(t);
                }
            }
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("listing topics failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates the topic if needed and waits until every partition has a leader: a record sent to a
     * topic whose leaders are not yet known is refused and retried until the send times out.
     */
    private void ensureTopic(String topic) throws ExecutionException, InterruptedException {
        if (topics.contains(topic)) {
            return;
        }
        try {
            NewTopic created = new NewTopic(topic, config.partitions(), config.replication());
            Map<String, String> topicConfig = new HashMap<>();
            if (config.minInsyncReplicas() > 0) {
                // an acknowledged record is on this many brokers (the producer asks for acks=all)
                topicConfig.put("min.insync.replicas", Integer.toString(config.minInsyncReplicas()));
            }
            if (topic.startsWith(StreamTopics.CHANGES_PREFIX)) {
                // a changes topic lives as long as its table's name does: records stay 24 hours, as a stream's do
                topicConfig.put("retention.ms", String.valueOf(CHANGES_RETENTION_MILLIS));
            }
            created.configs(topicConfig);
            admin().createTopics(List.of(created)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            var description = admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            if (description != null && description.partitions().stream().allMatch(p -> p.leader() != null
                    && !p.leader().isEmpty())) {
                break;
            }
            Thread.sleep(50);
        }
        topics.add(topic);
    }

    /** (topic, key, sequence) of a message, to recognise it on the topic. */
    public static String copyKey(String topic, byte[] key, long sequence) {
        return topic + "\u0000" + new String(key, java.nio.charset.StandardCharsets.UTF_8) + "\u0000" + sequence;
    }

    /**
     * Which of these messages a topic has already: each topic is read from the oldest message's
     * time (less a second) to its end, what was read for an earlier question not read again
     * ({@link TopicTails}). Used for records a dead writer left, and after a failed send, as Kafka
     * may have taken some before the failure.
     */
    public Set<String> onTopic(List<StreamRecords.Message> messages) {
        Map<String, Long> from = new HashMap<>();
        Map<String, Set<String>> wanted = new HashMap<>();
        for (StreamRecords.Message m : messages) {
            long sequence = StreamRecords.sequenceOfValue(m.value());
            List<String> topicsOf = config.changesTopics() ? List.of(m.topic(), StreamTopics.changesTopic(m.topic()))
                    : List.of(m.topic());
            for (String topic : topicsOf) {
                from.merge(topic, sequence / 1000 - 1000, Math::min);
                wanted.computeIfAbsent(topic, t -> new HashSet<>()).add(copyKey(topic, m.key(), sequence));
            }
        }
        Set<String> found = new HashSet<>();
        lookupLock.lock();
        try {
            KafkaConsumer<byte[], byte[]> c = lookup;
            if (c == null) {
                Properties p = config.kafkaProperties();
                p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                lookup = c;
            }
            try {
                for (Map.Entry<String, Long> topic : from.entrySet()) {
                    tails.find(c, topic.getKey(), topic.getValue(), wanted.get(topic.getKey()), found);
                }
            } catch (RuntimeException e) {
                lookup = null;
                c.close(Duration.ofSeconds(1)); // in a state not worth knowing: a new one next time
                throw e;
            }
        } finally {
            if (closed && lookup != null) {
                lookup.close(Duration.ofSeconds(1));
                lookup = null;
            }
            lookupLock.unlock();
        }
        if (config.changesTopics()) {
            // a record counts as there only when its changes copy is too: otherwise both are sent again,
            // and readers drop the copy by (key, sequence) as they drop any producer duplicate
            Set<String> both = new HashSet<>();
            for (StreamRecords.Message m : messages) {
                long sequence = StreamRecords.sequenceOfValue(m.value());
                String key = copyKey(m.topic(), m.key(), sequence);
                if (found.contains(key) && found.contains(copyKey(StreamTopics.changesTopic(m.topic()), m.key(), sequence))) {
                    both.add(key);
                }
            }
            return both;
        }
        return found;
    }

    /** Records read from the topics to answer {@link #onTopic} so far. */
    public long lookupRecordsRead() {
        lookupLock.lock();
        try {
            return tails.recordsRead();
        } finally {
            lookupLock.unlock();
        }
    }

    /** A record's copy key when it is Eddy's: a forged copy must not pass for the record, or the real one would never be sent. */
    private String copyKeyIfSealed(ConsumerRecord<byte[], byte[]> r) {
        return seal.holds(r.topic(), r.key(), r.value(), r.headers())
                ? copyKey(r.topic(), r.key(), StreamRecords.sequenceOfValue(r.value())) : null;
    }

    /** Whether the last send failed for Kafka being out of reach (see {@link #failing}). */
    public boolean failing() {
        return failing;
    }

    /** Sends tried so far (a retry pass tells by it whether it has tried Kafka yet). */
    public long attempts() {
        return attempts.sum();
    }

    /** A send that timed out or met a retriable error: Kafka away, not a record it will never take. */
    private static boolean unreachable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof org.apache.kafka.common.errors.RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** Adds the copy keys of Eddy's records on {@code topic} written since {@code fromMillis} to {@code found}. */
    /**
     * A record's headers for the topic it is sent to: its CloudEvents attributes and the seal, which
     * covers that topic (a copy moved to another topic fails the check) and the key and value only, so
     * headers added at send time (the trace context) leave it holding.
     */
    private Headers headers(StreamRecords.Message m, String topic) {
        Headers h = CloudEventHeaders.of(m);
        h.add(seal.header(topic, m.key(), m.value()));
        return h;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.kafka().close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (lookupLock.tryLock()) {
            try {
                if (lookup != null) {
                    lookup.close(Duration.ofSeconds(1));
                    lookup = null;
                }
            } finally {
                lookupLock.unlock();
            }
        } else {
            KafkaConsumer<byte[], byte[]> reading = lookup;
            if (reading != null) {
                reading.wakeup(); // the question under way ends, and closes it on its way out
            }
        }
    }
}

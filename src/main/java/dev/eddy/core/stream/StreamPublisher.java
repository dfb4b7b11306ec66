package dev.eddy.core.stream;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ChangeLog;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Publishes change records from page outboxes to Kafka, then clears them.
 *
 * <p>After a write commits, its page's outbox up to its own record is sent in order (so records
 * of one item reach the topic in their order even when writers race) and, once Kafka has
 * acknowledged them, removed from the outbox. A record whose writer died, or that Kafka could not
 * take, stays in the outbox until the sweeper finds it. A record may so reach the topic twice
 * (never out of order relative to its item's later records' first copies): readers drop copies
 * by (Keys, SequenceNumber).
 */
public final class StreamPublisher implements ChangeLog, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamPublisher.class);

    private final String region;
    private final StreamConfig config;
    private final ItemStore items;
    private final TableCatalog catalog;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    /** Per outbox: the highest sequence this process has sent, so racing writers do not send a record twice. */
    private final ConcurrentHashMap<Outbox, Long> sent = new ConcurrentHashMap<>();
    private final Object[] senderLocks = new Object[64];
    /** Per outbox: records Kafka has, not yet cleared; the next write to the page drops them for free. */
    private final ConcurrentHashMap<Outbox, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clearer = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-stream-clearer"));

    /** Bounded: when Kafka is slow or gone, records simply wait in their outboxes for the sweeper. */
    private final ThreadPoolExecutor publishers = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(10_000), BackgroundThreads.named("eddy-stream-publisher"), new ThreadPoolExecutor.DiscardPolicy());
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-stream-sweeper"));

    public StreamPublisher(String region, StreamConfig config, ItemStore items, TableCatalog catalog) {
        this.region = region;
        this.config = config;
        this.items = items;
        this.catalog = catalog;
        this.producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(),
                new ByteArraySerializer());
        Properties adminProps = config.kafkaProperties();
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.admin = Admin.create(adminProps);
        for (int i = 0; i < senderLocks.length; i++) {
            senderLocks[i] = new Object();
        }
        items.changeLog(this);
        sweeper.scheduleWithFixedDelay(this::sweep, config.sweepMillis(), config.sweepMillis(), TimeUnit.MILLISECONDS);
    }

    static Properties producerProperties(StreamConfig config) {
        Properties p = config.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Never hold a publisher thread for long when Kafka is away: the sweeper retries.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return p;
    }

    @Override
    public byte[] record(TableDefinition table, PrimaryKey key, Map<String, AttributeValue> oldItem,
                         Map<String, AttributeValue> newItem, long sequence, boolean byTimeToLive) {
        return ChangeRecords.entry(region, table, key, oldItem, newItem, sequence, byTimeToLive);
    }

    /** One page's outbox, as a map key. */
    private record Outbox(String cacheName, AttributeValue.ByteString partition, Long pageId) {
        static Outbox of(Location l) {
            return new Outbox(l.space().cacheName(), new AttributeValue.ByteString(l.partition()), l.pageId());
        }
    }

    @Override
    public void committed(Location location, List<byte[]> records) {
        publishers.execute(() -> publish(location, records, Set.of()));
    }

    @Override
    public Set<Long> published(Location location) {
        Set<Long> done = acknowledged.get(Outbox.of(location));
        return done == null ? Set.of() : done;
    }

    /**
     * Sends the records not yet sent by this process, in order (one sender per outbox at a time, so
     * a later record never overtakes an earlier one), waits for Kafka to have them, then has them
     * cleared: by the page's next write, or shortly by the clearer. False if Kafka did not take them.
     */
    boolean publish(Location location, List<byte[]> records, Set<String> onTopic) {
        Outbox outbox = Outbox.of(location);
        try {
            List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
            Set<Long> sequences = new HashSet<>();
            synchronized (senderLocks[Math.floorMod(outbox.hashCode(), senderLocks.length)]) {
                long last = sent.getOrDefault(outbox, Long.MIN_VALUE);
                for (byte[] bytes : records) {
                    ChangeRecords.Entry e = ChangeRecords.Entry.decode(bytes);
                    if (onTopic.contains(copyKey(e))) {
                        sequences.add(e.sequence()); // on the topic already: only to clear
                        continue;
                    }
                    if (e.sequence() <= last) {
                        continue; // sent by another thread here, which clears it once Kafka has it
                    }
                    sequences.add(e.sequence());
                    ensureTopic(e.topic());
                    futures.add(producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value())));
                    last = Math.max(last, e.sequence());
                }
                sent.put(outbox, last);
            }
            for (Future<RecordMetadata> f : futures) {
                f.get(config.sweepMillis() + 10_000, TimeUnit.MILLISECONDS);
            }
            acknowledged.computeIfAbsent(outbox, k -> ConcurrentHashMap.newKeySet()).addAll(sequences);
            clearer.schedule(() -> clear(location, outbox, sequences), CLEAR_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Not sent after all: whoever publishes this outbox next sends them again, in order.
            sent.remove(outbox);
            LOG.debugf(e, "Change records left for the sweeper");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How long acknowledged records wait for a write to the page to drop them before a write of their own. */
    private static final long CLEAR_DELAY_MILLIS = 200;

    private void clear(Location location, Outbox outbox, Set<Long> sequences) {
        try {
            items.clearOutbox(location, sequences);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Clearing published records failed; the sweeper will send them again");
        } finally {
            acknowledged.computeIfPresent(outbox, (k, done) -> {
                done.removeAll(sequences);
                return done.isEmpty() ? null : done;
            });
            sent.computeIfPresent(outbox, (k, last) -> acknowledged.containsKey(outbox) ? last : null);
        }
    }

    /**
     * Creates a table's stream topic as the stream is enabled, so consumers can subscribe before the
     * first change; if Kafka is away now, the first record creates it later.
     */
    public void createTopic(TableDefinition table) {
        try {
            ensureTopic(StreamTopics.topic(table));
        } catch (ExecutionException | RuntimeException e) {
            LOG.debugf(e, "Stream topic of %s left to its first record", table.tableName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            admin.createTopics(List.of(new NewTopic(topic, config.partitions(), config.replication()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            if (description != null && description.partitions().stream().allMatch(p -> p.leader() != null
                    && !p.leader().isEmpty())) {
                break;
            }
            Thread.sleep(50);
        }
        topics.add(topic);
    }

    /**
     * Publishes records older than the stale age from every stream table's outboxes. A writer that
     * died after Kafka took its records but before clearing them leaves records the topic already
     * has: the sweep reads the topic from the oldest stale record's time on and sends only what is
     * missing, so the topic gets no late copies.
     */
    void sweep() {
        try {
            long staleBefore = (System.currentTimeMillis() - config.staleMillis()) * 1000;
            for (String name : catalog.names()) {
                TableDefinition t = catalog.findConsistent(name);
                if (t == null || t.latestStreamLabel() == null || !TableDefinition.ACTIVE.equals(t.status())
                        && !TableDefinition.UPDATING.equals(t.status())) {
                    continue;
                }
                Map<Location, List<byte[]>> stale = new java.util.LinkedHashMap<>();
                items.forEachOutbox(t, (location, outbox) -> {
                    for (byte[] record : outbox) {
                        if (ChangeLog.sequenceOf(record) < staleBefore) {
                            stale.computeIfAbsent(location, k -> new ArrayList<>()).add(record);
                        }
                    }
                });
                if (!stale.isEmpty()) {
                    Set<String> onTopic = onTopic(stale);
                    stale.forEach((location, records) -> publish(location, records, onTopic));
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Outbox sweep did not finish");
        }
    }

    /** (topic, key, sequence) of a record, to recognise it on the topic. */
    private static String copyKey(ChangeRecords.Entry e) {
        return e.topic() + "\u0000" + new String(e.key(), java.nio.charset.StandardCharsets.UTF_8) + "\u0000"
                + e.sequence();
    }

    /** The stale records' topics read from the oldest one's time on: which of them are there already. */
    private Set<String> onTopic(Map<Location, List<byte[]>> stale) {
        Map<String, Long> from = new java.util.HashMap<>();
        for (List<byte[]> records : stale.values()) {
            for (byte[] bytes : records) {
                ChangeRecords.Entry e = ChangeRecords.Entry.decode(bytes);
                from.merge(e.topic(), e.sequence() / 1000 - 1000, Math::min);
            }
        }
        Set<String> found = new HashSet<>();
        Properties p = config.kafkaProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Map.Entry<String, Long> topic : from.entrySet()) {
                List<TopicPartition> partitions = new ArrayList<>();
                List<PartitionInfo> infos = c.partitionsFor(topic.getKey(), Duration.ofSeconds(5));
                if (infos == null) {
                    continue;
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                c.assign(partitions);
                Map<TopicPartition, Long> times = new java.util.HashMap<>();
                partitions.forEach(tp -> times.put(tp, Math.max(0, topic.getValue())));
                Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times, Duration.ofSeconds(5));
                Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(5));
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp start = starts.get(tp);
                    c.seek(tp, start == null ? ends.get(tp) : start.offset());
                }
                while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        ChangeRecords.Entry seen = new ChangeRecords.Entry(sequenceOfValue(r.value()), r.topic(), r.key(),
                                r.value());
                        found.add(copyKey(seen));
                    }
                }
            }
        }
        return found;
    }

    /** The change sequence in a record's JSON (its dynamodb.SequenceNumber). */
    private static long sequenceOfValue(byte[] value) {
        String json = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        int at = json.indexOf("\"SequenceNumber\":\"");
        if (at < 0) {
            return -1;
        }
        int start = at + "\"SequenceNumber\":\"".length();
        return Long.parseLong(json.substring(start, json.indexOf('"', start)));
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        clearer.shutdown();
        publishers.shutdown();
        try {
            publishers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
        admin.close(java.time.Duration.ofSeconds(5));
    }
}

package dev.eddy.functions.faults;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.Role;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.StreamRecords;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Runnable experiment, not part of CI: does {@link StreamPublisher#sendAll} leave a record of an item
 * on the topic behind a later record of the same item when Kafka brokers are killed and restarted
 * (the fault suite's scenario 3 in small)? Three KRaft brokers as processes of their own (replication
 * 3, min.insync.replicas 2, as the suite's), one publisher, writer threads each owning items and
 * sending each item's waiting records as the outbox does (after a failed send, first leaving out what
 * the topic has); the partition's leader is killed, then every broker, which are restarted after a
 * while. Then every record's first appearance on both topics is checked: per item, in increasing
 * sequence, none missing. Prints the counts.
 *
 * <p>Arguments: workDir [outageSeconds=20, 0: no fault, publishing throughput only] [writers=4] [items=40]
 */
public final class StreamGapExperiment {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        long outage = args.length > 1 ? Long.parseLong(args[1]) : 20;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int itemsPerWriter = (args.length > 3 ? Integer.parseInt(args[3]) : 40) / writers;
        Files.createDirectories(work);
        Path logs = work.resolve("logs");
        List<Integer> brokerPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            brokerPorts.add(FaultCluster.freePort());
            controllerPorts.add(FaultCluster.freePort());
        }
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<JavaProcess> kafka = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kafka.add(JavaProcess.main("kafka-" + (i + 1), logs, List.of("-Xmx256m"), KafkaServer.class,
                    List.of(Integer.toString(i + 1), work.resolve("kafka-" + (i + 1)).toString(), clusterId,
                            brokerPorts.stream().map(String::valueOf).collect(Collectors.joining(",")),
                            controllerPorts.stream().map(String::valueOf).collect(Collectors.joining(",")))));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> kafka.forEach(k -> {
            try {
                k.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })));
        for (JavaProcess k : kafka) {
            k.start();
        }
        for (JavaProcess k : kafka) {
            k.awaitLine("READY", 300_000);
        }
        String bootstrap = brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        EmbeddedInfinispan infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(
                work.resolve("infinispan"), 0));
        Eddy eddy = new Eddy(new EddyConfig("us-east-1", "000000000000", Role.FUNCTION,
                new StorageConfig(infinispan.hotRodAddress(), StorageConfig.DEFAULT_TEMPLATE, 10_000,
                        StorageConfig.DEFAULT_PAGE_BYTES), 0,
                new StreamConfig(bootstrap, 1, (short) 3, 1000, Map.of(), 2, true),
                TimeUnit.SECONDS.toMillis(30), TimeUnit.SECONDS.toMillis(10)));
        StreamPublisher publisher = eddy.streamPublisher();
        String topic = StreamTopics.topic("Gap", "00000000000000001");
        publisher.createTopic(topic);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        AtomicLong failedSends = new AtomicLong();
        List<Writer> all = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Writer writer = new Writer(publisher, topic, w, itemsPerWriter, writing, sent, failedSends);
            all.add(writer);
            writer.start();
        }
        log("writing");
        if (outage == 0) {
            // no fault: publishing throughput alone, with this many writers each waiting for its sends
            Thread.sleep(5_000);
            long before = sent.get();
            Thread.sleep(20_000);
            log("THROUGHPUT " + (sent.get() - before) / 20 + " records/s acknowledged with " + writers + " writers");
            writing.set(false);
            for (Writer w : all) {
                w.join(60_000);
            }
            eddy.close();
            infinispan.close();
            for (JavaProcess k : kafka) {
                k.kill();
            }
            System.exit(0);
        }
        Thread.sleep(8_000);
        int leader = leader(bootstrap, topic);
        log("kill -9 broker " + leader + " (leader)");
        kafka.get(leader - 1).kill();
        Thread.sleep(8_000);
        log("kill -9 every broker");
        for (JavaProcess k : kafka) {
            k.kill();
        }
        Thread.sleep(outage * 1000);
        log("restarting the brokers");
        for (JavaProcess k : kafka) {
            k.start();
        }
        for (JavaProcess k : kafka) {
            k.awaitLine("READY", 300_000);
        }
        log("brokers up; writing on for 25 s");
        Thread.sleep(25_000);
        writing.set(false);
        for (Writer w : all) {
            w.join(300_000);
        }
        log("writers done: " + sent.get() + " records written, " + failedSends.get() + " failed sends; "
                + all.stream().mapToInt(Writer::waiting).sum() + " records still waiting");

        Map<String, List<Long>> written = new HashMap<>();
        all.forEach(w -> written.putAll(w.written));
        for (String t : List.of(topic, StreamTopics.changesTopic(topic))) {
            check(bootstrap, t, written);
        }
        eddy.close();
        infinispan.close();
        for (JavaProcess k : kafka) {
            k.kill();
        }
        System.exit(0);
    }

    private static void log(String what) {
        System.out.println(java.time.LocalTime.now() + " " + what);
    }

    private static int leader(String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin a = Admin.create(p)) {
            return a.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).leader().id();
        }
    }

    /** Reads the topic and counts, per item, records that first appear behind a later one, and missing ones. */
    private static void check(String bootstrap, String topic, Map<String, List<Long>> written) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, List<Long>> onTopic = new HashMap<>();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    onTopic.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(StreamRecords.sequenceOfValue(r.value()));
                    records++;
                }
            }
        }
        int late = 0;
        int missing = 0;
        int copies = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, List<Long>> item : written.entrySet()) {
            List<Long> seen = onTopic.getOrDefault(item.getKey(), List.of());
            Set<Long> first = new HashSet<>();
            long highest = Long.MIN_VALUE;
            for (long s : seen) {
                if (!first.add(s)) {
                    copies++;
                } else if (s < highest) {
                    late++;
                    if (examples.size() < 5) {
                        examples.add(item.getKey() + ": " + s + " first seen after " + highest);
                    }
                }
                highest = Math.max(highest, s);
            }
            for (long s : item.getValue()) {
                if (!first.contains(s)) {
                    missing++;
                }
            }
        }
        log("RESULT " + topic + ": " + records + " records on the topic, " + written.values().stream().mapToInt(List::size).sum()
                + " written; late (first seen behind a later record of the item): " + late + "; missing: " + missing
                + "; copies: " + copies + (examples.isEmpty() ? "" : "; e.g. " + examples));
    }

    /** One writer thread: its own items, each with the records waiting for Kafka, as an outbox page holds them. */
    private static final class Writer extends Thread {
        private final StreamPublisher publisher;
        private final String topic;
        private final AtomicBoolean writing;
        private final AtomicLong sent;
        private final AtomicLong failedSends;
        final Map<String, List<Long>> written = new HashMap<>();
        private final Map<String, List<StreamRecords.Message>> waiting = new HashMap<>();
        private final Set<String> failed = new HashSet<>();
        private final List<String> items = new ArrayList<>();
        private long last;

        Writer(StreamPublisher publisher, String topic, int number, int itemCount, AtomicBoolean writing, AtomicLong sent,
               AtomicLong failedSends) {
            super("writer-" + number);
            this.publisher = publisher;
            this.topic = topic;
            this.writing = writing;
            this.sent = sent;
            this.failedSends = failedSends;
            for (int i = 0; i < itemCount; i++) {
                String key = "{\"pk\":{\"S\":\"w" + number + "-" + i + "\"}}";
                items.add(key);
                written.put(key, new ArrayList<>());
                waiting.put(key, new ArrayList<>());
            }
        }

        int waiting() {
            return waiting.values().stream().mapToInt(List::size).sum();
        }

        @Override
        public void run() {
            long drainUntil = Long.MAX_VALUE;
            while (true) {
                boolean more = writing.get();
                if (!more && drainUntil == Long.MAX_VALUE) {
                    drainUntil = System.currentTimeMillis() + 240_000;
                }
                if (!more && (waiting() == 0 || System.currentTimeMillis() > drainUntil)) {
                    return;
                }
                String item = items.get(ThreadLocalRandom.current().nextInt(items.size()));
                List<StreamRecords.Message> page = waiting.get(item);
                if (more) {
                    long sequence = Math.max(last + 1, System.currentTimeMillis() * 1000);
                    last = sequence;
                    page.add(message(item, sequence));
                    written.get(item).add(sequence);
                    sent.incrementAndGet();
                } else if (page.isEmpty()) {
                    continue;
                }
                if (!more || !publisher.failing() || ThreadLocalRandom.current().nextInt(20) == 0) {
                    send(item, page);
                } else {
                    pause(20); // Kafka away: records wait, as writes go on
                }
            }
        }

        /** As WriteCompletion.carryOut: after a failed send, what the topic already has is left out. */
        private void send(String item, List<StreamRecords.Message> page) {
            List<StreamRecords.Message> messages = new ArrayList<>(page);
            try {
                if (failed.contains(item)) {
                    Set<String> there = publisher.onTopic(messages);
                    messages.removeIf(m -> there.contains(StreamPublisher.copyKey(m.topic(), m.key(),
                            StreamRecords.sequenceOfValue(m.value()))));
                }
            } catch (RuntimeException e) {
                failedSends.incrementAndGet();
                pause(200);
                return;
            }
            if (messages.isEmpty() || publisher.sendAll(messages)) {
                page.clear();
                failed.remove(item);
            } else {
                failed.add(item);
                failedSends.incrementAndGet();
                pause(200);
            }
        }

        private StreamRecords.Message message(String item, long sequence) {
            String value = "{\"eventID\":\"" + sequence + "\",\"eventName\":\"MODIFY\",\"eventSourceARN\":\"arn\","
                    + "\"dynamodb\":{\"SequenceNumber\":\"" + StreamRecords.sequenceNumber(sequence) + "\",\"pad\":\""
                    + "x".repeat(200) + "\"}}";
            return new StreamRecords.Message(topic, item.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.eddy.functions;

import dev.eddy.core.Eddy;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.StreamRecords;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.devstack.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What one send of stream records leaves on the topic is a prefix of what it sent, even when Kafka
 * fails one batch for good while later batches of the same partition are on their way: an
 * idempotent producer with several requests in flight writes the later ones (a broker that holds no
 * state for the producer takes any sequence number, and after a failed batch the producer bumps its
 * epoch and sends the rest from sequence 0), and the resend that follows puts the missing record
 * behind a later one of its item, where readers drop it as an old copy (the fault suite's scenario 3
 * lost an item's records that way). Here the first record is larger than the topic takes, which
 * fails its batch for good every time. A real Infinispan node and a real Kafka broker in this JVM.
 */
class StreamSendPrefixTest {
    private static final String TOPIC = StreamTopics.topic("Prefix", "00000000000000001");
    private static EngineWithKafka stack;
    private static EmbeddedKafka kafka;
    private static Eddy eddy;

    @BeforeAll
    static void start() throws Exception {
        stack = EngineWithKafka.infrastructure("send-prefix");
        kafka = stack.kafka;
        eddy = stack.start(servers -> new StreamConfig(servers, 1, (short) 1, 500, Map.of(), 0, false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void laterRecordsOfAFailedBatchNeverReachTheTopic() throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            // records up to 8 KB: the first one below is refused for good, the rest fit
            a.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("max.message.bytes", "8192"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        StreamPublisher publisher = eddy.streamPublisher();
        long first = System.currentTimeMillis() * 1000;
        List<StreamRecords.Message> messages = new ArrayList<>();
        // larger than batch.size (16 KB): a batch of its own, the following records in later batches
        messages.add(message(first, 20_000));
        for (int i = 1; i < 200; i++) {
            messages.add(message(first + i, 100));
        }

        assertFalse(publisher.sendAll(messages), "a send whose first record Kafka refuses");

        // and the publisher still works: a record sent afterwards arrives (the only one on the topic)
        assertEquals(true, publisher.sendAll(List.of(message(first + 1000, 100))), "a later send");
        assertEquals(List.of(first + 1000), sequencesOnTopic(), "sequences on the topic, in order");
    }

    private static StreamRecords.Message message(long sequence, int padding) {
        String value = "{\"eventID\":\"" + sequence + "\",\"eventName\":\"MODIFY\",\"eventSourceARN\":\"arn\","
                + "\"dynamodb\":{\"SequenceNumber\":\"" + StreamRecords.sequenceNumber(sequence) + "\",\"pad\":\""
                + "x".repeat(padding) + "\"}}";
        return new StreamRecords.Message(TOPIC, "{\"pk\":{\"S\":\"item\"}}".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Long> sequencesOnTopic() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<Long> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    found.add(StreamRecords.sequenceOfValue(r.value()));
                }
            }
        }
        return found;
    }
}

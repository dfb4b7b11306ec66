package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.Eddy;
import dev.eddy.core.stream.StreamConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.infinispan.AdvancedCache;
import org.infinispan.commands.read.GetCacheEntryCommand;
import org.infinispan.commands.read.GetKeyValueCommand;
import org.infinispan.context.InvocationContext;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.interceptors.AsyncInterceptorChain;
import org.infinispan.interceptors.DDAsyncInterceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance sends each record of a page to the stream once, also when it forgot the page in between:
 * the clear after the send read the page from a copy that did not have the record yet (a replica catching
 * up after a restart answers so), found nothing to clear, and the instance dropped what it knew of the
 * page with the record still there. The page's next write then sent the record again with its own, and
 * every write after it while clears lagged (in the fault suite's scenario 2, one counter's record went to
 * the topic 12 times). A real Infinispan node and a real Kafka broker in this JVM; the node answers the
 * clear's read as if the page were absent.
 */
class RecordsSentOnceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EngineWithKafka stack;
    private static Eddy eddy;

    @BeforeAll
    static void start() throws Exception {
        stack = EngineWithKafka.infrastructure("sent-once");
        eddy = stack.start(servers -> new StreamConfig(servers, 1, (short) 1, 500));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRecordStillInItsPageAfterItsInstanceForgotThePageIsNotSentAgain() throws Exception {
        run("CreateTable", "{\"TableName\":\"Once\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                + "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"}}");
        HiddenReads hidden = new HiddenReads();
        for (String name : stack.infinispan.cacheManager().getCacheNames()) {
            if (name.startsWith("eddy.t.")) {
                AdvancedCache<?, ?> cache = stack.infinispan.cacheManager().getCache(name).getAdvancedCache();
                ComponentRegistry.componentOf(cache, AsyncInterceptorChain.class).addInterceptor(hidden, 0);
            }
        }

        hidden.hiding = true; // from now on the node answers reads of the table's pages as if they were absent
        put("a", "1");
        awaitTopic(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hidden.count.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the clear after the send reads the page
        }
        assertTrue(hidden.count.get() > 0, "the clear read the page");
        Thread.sleep(300);
        hidden.hiding = false;

        put("a", "2");
        awaitTopic(2);
        Thread.sleep(1_000); // a copy sent with the second record would be there by now
        assertEquals(List.of("1", "2"), topicValues(), "the records of item a on the topic, in order");
    }

    private static void put(String pk, String v) throws Exception {
        run("PutItem", "{\"TableName\":\"Once\",\"Item\":{\"pk\":{\"S\":\"" + pk + "\"},\"v\":{\"S\":\"" + v + "\"}}}");
    }

    /** Waits until the stream topic holds {@code count} records; returns their values of v. */
    private static List<String> awaitTopic(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> values = topicValues();
        while (values.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            values = topicValues();
        }
        assertTrue(values.size() >= count, "records on the topic: " + values);
        return values;
    }

    /** Every record on the table's stream topic as sent (copies included), its NewImage's v. */
    private static List<String> topicValues() throws Exception {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = consumer.listTopics(Duration.ofSeconds(5)).keySet().stream()
                    .filter(t -> t.startsWith("eddy.stream.Once.")).findFirst().orElse(null);
            List<String> out = new ArrayList<>();
            if (topic == null) {
                return out;
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode record = JSON.readTree(r.value());
                    out.add(record.path("dynamodb").path("NewImage").path("v").path("S").asText());
                }
            }
            return out;
        }
    }

    private static JsonNode run(String operation, String body) throws Exception {
        return JSON.readTree(eddy.execute(operation, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** While {@code hiding}, answers every read of the cache as if the key were absent; counts those answers. */
    static final class HiddenReads extends DDAsyncInterceptor {
        volatile boolean hiding;
        final AtomicInteger count = new AtomicInteger();

        @Override
        public Object visitGetCacheEntryCommand(InvocationContext ctx, GetCacheEntryCommand command) throws Throwable {
            return hide() ? null : super.visitGetCacheEntryCommand(ctx, command);
        }

        @Override
        public Object visitGetKeyValueCommand(InvocationContext ctx, GetKeyValueCommand command) throws Throwable {
            return hide() ? null : super.visitGetKeyValueCommand(ctx, command);
        }

        private boolean hide() {
            if (!hiding) {
                return false;
            }
            count.incrementAndGet();
            return true;
        }
    }
}

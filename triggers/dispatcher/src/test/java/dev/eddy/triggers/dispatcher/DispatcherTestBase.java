package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every dispatcher test uses: the shared broker, a fresh topic and consumer group per test,
 * a real HTTP trigger function, and dispatchers that are closed after the test.
 */
abstract class DispatcherTestBase {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    TriggerEndpoint function;
    String topic;
    String name;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<TriggerDispatcher> dispatchers = new ArrayList<>();

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        function = new TriggerEndpoint();
        name = test.getTestMethod().orElseThrow().getName() + "-" + TOPICS.incrementAndGet();
        topic = "eddy.stream.T" + name + ".1";
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        function.close();
    }

    /** Creates this test's topic and returns a feed into it. */
    ChangeFeed feed(int partitions) {
        KafkaBroker.createTopic(topic, partitions);
        return closing(new ChangeFeed(topic));
    }

    /**
     * Settings for a trigger on this test's topic and function, fast retries, plus the given
     * overrides (pairs of setting name and value).
     */
    Map<String, String> settings(String... overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("topic", topic);
        s.put("function-url", function.url().toString());
        s.put("retry-initial-backoff", "10ms");
        s.put("retry-max-backoff", "40ms");
        s.put("group-id", "group-" + name);
        for (int i = 0; i < overrides.length; i += 2) {
            s.put(overrides[i], overrides[i + 1]);
        }
        return s;
    }

    /** Starts a trigger and waits until it has its partitions. */
    TriggerDispatcher start(Map<String, String> settings) throws Exception {
        TriggerDispatcher dispatcher = closing(TriggerDispatcher.start(TriggerConfig.of(name, settings),
                KafkaBroker.bootstrapServers()));
        dispatchers.add(dispatcher);
        dispatcher.awaitAssignment(WAIT);
        return dispatcher;
    }

    <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; " + function.invocations().size() + " invocations; "
                        + dispatchers.stream().map(d -> d.stats().toString()).toList());
            }
            Thread.sleep(20);
        }
    }

    /** Gives the dispatcher a moment in which it could (wrongly) do more, before asserting it did not. */
    static void settle() throws InterruptedException {
        Thread.sleep(500);
    }

    /** The item key ({@code pk}) of a record read back from a topic. */
    static String pkOf(ConsumerRecord<byte[], byte[]> r) {
        try {
            return TriggerEndpoint.JSON.readTree(r.key()).path("pk").path("S").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> h = new HashMap<>();
        r.headers().forEach(header -> h.put(header.key(), TriggerEndpoint.utf8(header.value())));
        return h;
    }
}

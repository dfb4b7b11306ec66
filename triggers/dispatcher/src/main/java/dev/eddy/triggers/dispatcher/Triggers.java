package dev.eddy.triggers.dispatcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Every trigger configured under {@code eddy.triggers.<name>.*}, started together: the entry point
 * for an application that embeds the dispatcher (the functions app's dev stack), and a command of
 * its own ({@link #main}).
 */
public final class Triggers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Triggers.class.getName());

    private final List<TriggerDispatcher> dispatchers;

    private Triggers(List<TriggerDispatcher> dispatchers) {
        this.dispatchers = dispatchers;
    }

    /**
     * Reads the triggers from these properties (other keys are ignored) and starts each enabled
     * one; returns at once. {@code bootstrapServers} is the Kafka used by triggers that do not set
     * their own {@code bootstrap-servers}. Throws IllegalArgumentException, naming the property,
     * when a setting is wrong; then nothing is started.
     */
    public static Triggers start(Map<String, String> properties, String bootstrapServers) {
        return start(properties, bootstrapServers, Map.of());
    }

    /** As {@link #start(Map, String)}, every Kafka client made with these client properties (SASL, TLS, ...). */
    public static Triggers start(Map<String, String> properties, String bootstrapServers,
                                 Map<String, String> kafkaClientProperties) {
        return start(properties, bootstrapServers, kafkaClientProperties, RecordCheck.ANY);
    }

    /** As {@link #start(Map, String, Map)}, every trigger delivering only the records {@code check} takes for Eddy's. */
    public static Triggers start(Map<String, String> properties, String bootstrapServers,
                                 Map<String, String> kafkaClientProperties, RecordCheck check) {
        List<TriggerConfig> configs = TriggerConfig.fromProperties(properties);
        List<TriggerDispatcher> started = new ArrayList<>();
        for (TriggerConfig config : configs) {
            if (!config.enabled()) {
                LOG.log(System.Logger.Level.INFO, "Trigger " + config.name() + " is disabled");
                continue;
            }
            try {
                started.add(TriggerDispatcher.start(config, bootstrapServers, kafkaClientProperties, check));
            } catch (RuntimeException e) {
                started.forEach(TriggerDispatcher::close);
                throw e;
            }
        }
        return new Triggers(List.copyOf(started));
    }

    public List<TriggerDispatcher> dispatchers() {
        return dispatchers;
    }

    /** Stops every trigger, committing how far each got. */
    @Override
    public void close() {
        dispatchers.forEach(TriggerDispatcher::close);
    }

    /**
     * Runs the dispatcher on its own: triggers from system properties ({@code -Deddy.triggers.audit.table=...}),
     * Kafka from {@code eddy.kafka.bootstrap-servers} or {@code EDDY_KAFKA_BOOTSTRAP_SERVERS}.
     * Stops on SIGTERM / Ctrl-C.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
        String bootstrap = properties.getOrDefault("eddy.kafka.bootstrap-servers",
                System.getenv("EDDY_KAFKA_BOOTSTRAP_SERVERS"));
        Triggers triggers = start(properties, bootstrap);
        if (triggers.dispatchers().isEmpty()) {
            System.err.println("No triggers configured: set -Deddy.triggers.<name>.table=... and .function-url=...");
            System.exit(2);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            triggers.close();
            stopped.countDown();
        }, "eddy-triggers-shutdown"));
        stopped.await();
    }
}

package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dispatcher's throughput and delivery latency against a trivial trigger (an HTTP function
 * that reads the batch and answers 200), on a real in-process Kafka broker. Run by
 * {@code bin/bench-triggers}.
 *
 * <ol>
 *   <li>Throughput: a backlog of records on a topic, then a trigger from TRIM_HORIZON; records
 *       per second from the first invocation to the last record delivered, per batch size and
 *       partition count.</li>
 *   <li>Latency: records written at a steady rate while the trigger runs (batch size 100, no
 *       batching window); for each record, from its producer acknowledgement (it is on the topic)
 *       to the moment the function receives the invocation that carries it.</li>
 * </ol>
 */
public final class DispatcherBenchmark {

    private static final byte[] OK = "{}".getBytes(StandardCharsets.UTF_8);

    /** Arrival time of each record (by eventID) and how many arrived. */
    private static final Map<String, Long> ARRIVALS = new ConcurrentHashMap<>();
    private static final AtomicLong DELIVERED = new AtomicLong();
    private static volatile long firstInvocationNanos;
    private static volatile boolean recordArrivals;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.println("bench: starting an in-process Kafka broker");
        String kafka = KafkaBroker.bootstrapServers();
        HttpServer function = trivialFunction();
        String url = "http://127.0.0.1:" + function.getAddress().getPort() + "/trigger";
        try {
            System.out.printf("%nThroughput: %,d records of about %d bytes, backlog drained from TRIM_HORIZON%n", records,
                    recordValue("x", 1, "e").length);
            System.out.println("| partitions | batch size | records/s | invocations |");
            System.out.println("|---|---|---|---|");
            for (int[] run : new int[][] {{1, 100}, {4, 100}, {4, 1000}}) {
                throughput(kafka, url, records, run[0], run[1]);
            }
            latency(kafka, url, rate, 10);
        } finally {
            function.stop(0);
            System.exit(0);
        }
    }

    private static void throughput(String kafka, String url, int records, int partitions, int batchSize) throws Exception {
        String topic = "eddy.stream.Bench" + partitions + "x" + batchSize + "." + System.currentTimeMillis();
        KafkaBroker.createTopic(topic, partitions);
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka, "20")) {
            for (int i = 0; i < records; i++) {
                String item = "item-" + (i % 10_000);
                producer.send(new ProducerRecord<>(topic, key(item), recordValue(item, i / 10_000 + 1, "t" + i)),
                        (meta, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " backlog records could not be written");
        }
        recordArrivals = false;
        DELIVERED.set(0);
        firstInvocationNanos = 0;
        TriggerDispatcher dispatcher = TriggerDispatcher.start(config("throughput-" + topic, topic, url,
                "batch-size", String.valueOf(batchSize)), kafka);
        try {
            while (DELIVERED.get() < records) {
                Thread.sleep(5);
            }
            long elapsed = System.nanoTime() - firstInvocationNanos;
            System.out.printf("| %d | %d | %,.0f | %,d |%n", partitions, batchSize,
                    records / (elapsed / 1e9), dispatcher.stats().invocations());
        } finally {
            dispatcher.close();
        }
    }

    private static void latency(String kafka, String url, int rate, int seconds) throws Exception {
        String topic = "eddy.stream.BenchLatency." + System.currentTimeMillis();
        KafkaBroker.createTopic(topic, 4);
        recordArrivals = true;
        ARRIVALS.clear();
        TriggerDispatcher dispatcher = TriggerDispatcher.start(config("latency", topic, url,
                "starting-position", "LATEST"), kafka);
        dispatcher.awaitAssignment(java.time.Duration.ofSeconds(30));
        // the first second is warm-up (the new consumer's first fetches), not counted
        int warmUp = rate;
        int total = rate * seconds;
        long[] onTopic = new long[total];
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka, "0")) {
            long start = System.nanoTime();
            for (int i = -warmUp; i < total; i++) {
                long due = start + (i + warmUp) * intervalNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                int n = i;
                String item = "item-" + ((i + warmUp) % 1000);
                producer.send(new ProducerRecord<>(topic, key(item), recordValue(item, (i + warmUp) / 1000 + 1, "l" + i)),
                        (meta, error) -> {
                            if (n >= 0) {
                                onTopic[n] = error == null ? System.nanoTime() : -1;
                            }
                        });
            }
        }
        for (long acked : onTopic) {
            if (acked < 0) {
                throw new IllegalStateException("a latency record could not be written");
            }
        }
        while (ARRIVALS.size() < total + warmUp) {
            Thread.sleep(10);
        }
        dispatcher.close();
        long[] latencies = new long[total];
        for (int i = 0; i < total; i++) {
            latencies[i] = ARRIVALS.get("l" + i) - onTopic[i];
        }
        Arrays.sort(latencies);
        System.out.printf("%nLatency: %,d records at %,d/s over 4 partitions, batch size 100, no batching window"
                + " (after %,d warm-up records)%n", total, rate, warmUp);
        System.out.println("| from record on topic to function invoked | p50 | p99 | max |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| %,d records | %.2f ms | %.2f ms | %.2f ms |%n", total, ms(latencies, 0.50),
                ms(latencies, 0.99), latencies[total - 1] / 1e6);
        System.out.println("(negative values mean the function got the record before the producer had its acknowledgement)");
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }

    private static TriggerConfig config(String name, String topic, String url, String... extra) {
        Map<String, String> s = new HashMap<>(Map.of("topic", topic, "function-url", url,
                "group-id", "bench-" + name));
        for (int i = 0; i < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return TriggerConfig.of(name.replaceAll("[^A-Za-z0-9_-]", "-"), s);
    }

    private static KafkaProducer<byte[], byte[]> producer(String kafka, String lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] key(String item) {
        return ("{\"pk\":{\"S\":\"" + item + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A MODIFY with old and new images, about the size of a small item's record. */
    private static byte[] recordValue(String item, long sequence, String eventId) {
        return ("{\"eventID\":\"" + eventId + "\",\"eventName\":\"MODIFY\",\"eventVersion\":\"1.1\","
                + "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\","
                + "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:000000000000:table/Bench/stream/2026-01-01T00:00:00.000\","
                + "\"dynamodb\":{\"ApproximateCreationDateTime\":" + System.currentTimeMillis() / 1000 + ","
                + "\"Keys\":{\"pk\":{\"S\":\"" + item + "\"}},"
                + "\"NewImage\":{\"pk\":{\"S\":\"" + item + "\"},\"status\":{\"S\":\"shipped\"},\"total\":{\"N\":\"" + sequence + "\"}},"
                + "\"OldImage\":{\"pk\":{\"S\":\"" + item + "\"},\"status\":{\"S\":\"pending\"},\"total\":{\"N\":\"" + (sequence - 1) + "\"}},"
                + "\"SequenceNumber\":\"" + String.format("%021d", sequence) + "\",\"SizeBytes\":120,"
                + "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The trivial trigger: parses the batch, notes when each record arrived, answers 200. */
    private static HttpServer trivialFunction() throws IOException {
        // without it the JDK's server answers small requests 40 ms late (Nagle's algorithm meets delayed ACKs)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.createContext("/trigger", (HttpExchange exchange) -> {
            long now = System.nanoTime();
            if (firstInvocationNanos == 0) {
                firstInvocationNanos = now;
            }
            JsonNode event = TriggerEndpoint.JSON.readTree(exchange.getRequestBody());
            JsonNode records = event.get("Records");
            if (recordArrivals) {
                List<String> ids = new ArrayList<>(records.size());
                records.forEach(r -> ids.add(r.get("eventID").asText()));
                ids.forEach(id -> ARRIVALS.putIfAbsent(id, now));
            }
            DELIVERED.addAndGet(records.size());
            exchange.sendResponseHeaders(200, OK.length);
            exchange.getResponseBody().write(OK);
            exchange.close();
        });
        server.start();
        return server;
    }
}

package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eddy.triggers.model.DynamodbEvent;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import dev.eddy.triggers.model.StreamsEventResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP trigger function for the tests: it reads each batch with the record model, keeps
 * what it received, and answers as the test's behaviour says (success, an error status, a
 * partial batch response).
 */
final class TriggerEndpoint implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // without it the JDK's server answers small requests 40 ms late (Nagle's algorithm meets delayed ACKs)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** What the function did with one invocation. */
    record Invocation(long receivedNanos, Map<String, List<String>> headers, List<DynamodbStreamRecord> records,
            int status, StreamsEventResponse answer) {

        boolean succeeded() {
            return status >= 200 && status < 300;
        }

        List<String> pks() {
            return records.stream().map(TriggerEndpoint::pk).toList();
        }
    }

    /** The function's answer to one batch. */
    record Answer(int status, StreamsEventResponse body) {
        static Answer ok() {
            return new Answer(200, null);
        }

        static Answer error() {
            return new Answer(500, null);
        }

        static Answer failedFrom(DynamodbStreamRecord record) {
            return new Answer(200, StreamsEventResponse.failedFrom(record));
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Invocation> invocations = new ArrayList<>();
    private volatile Function<DynamodbEvent, Answer> behaviour = event -> Answer.ok();

    TriggerEndpoint() throws IOException {
        this(0);
    }

    TriggerEndpoint(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/trigger", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/trigger");
    }

    void answer(Function<DynamodbEvent, Answer> behaviour) {
        this.behaviour = behaviour;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        DynamodbEvent event = JSON.readValue(exchange.getRequestBody().readAllBytes(), DynamodbEvent.class);
        Answer answer = behaviour.apply(event);
        synchronized (invocations) {
            invocations.add(new Invocation(now, Map.copyOf(exchange.getRequestHeaders()), event.records(),
                    answer.status(), answer.body()));
        }
        byte[] body = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    /**
     * The records the function processed, in delivery order: those of successful invocations, up
     * to the first reported failure when it answered with one.
     */
    List<DynamodbStreamRecord> processed() {
        List<DynamodbStreamRecord> done = new ArrayList<>();
        for (Invocation i : invocations()) {
            if (!i.succeeded()) {
                continue;
            }
            Set<String> failed = new HashSet<>();
            if (i.answer() != null) {
                i.answer().batchItemFailures().forEach(f -> failed.add(f.itemIdentifier()));
            }
            for (DynamodbStreamRecord r : i.records()) {
                if (failed.contains(r.dynamodb().sequenceNumber())) {
                    break;
                }
                done.add(r);
            }
        }
        return done;
    }

    /** {@code pk#sequence} of each processed record. */
    List<String> processedChanges() {
        return processed().stream().map(r -> pk(r) + "#" + r.dynamodb().sequenceNumber()).toList();
    }

    static String pk(DynamodbStreamRecord r) {
        return r.dynamodb().keys().get("pk").s();
    }

    static boolean contains(DynamodbEvent event, String pk) {
        return event.records().stream().anyMatch(r -> pk(r).equals(pk));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

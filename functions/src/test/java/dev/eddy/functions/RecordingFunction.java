package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A trigger function for the tests: a real HTTP server that keeps every batch it is sent and
 * answers 200 with no failures. Registered with Eddy as the function {@code recorder}
 * ({@code eddy.functions.recorder.url}), and reachable by its URL too.
 */
public final class RecordingFunction implements QuarkusTestResourceLifecycleManager {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> BATCHES = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @Override
    public synchronized Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode batch = JSON.readTree(body);
            BATCHES.add(batch);
            byte[] answer = "{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return Map.of("eddy.functions.recorder.url", url());
    }

    public static String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/recorder";
    }

    /** Every record received so far whose stream ARN is this one, in arrival order. */
    public static List<JsonNode> records(String streamArn) {
        return BATCHES.stream().flatMap(b -> {
            List<JsonNode> out = new java.util.ArrayList<>();
            b.path("Records").forEach(out::add);
            return out.stream();
        }).filter(r -> streamArn.equals(r.path("eventSourceARN").asText())).toList();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

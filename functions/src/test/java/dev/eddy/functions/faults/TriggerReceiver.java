package dev.eddy.functions.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trigger side of the checks, in one place: how a table's trigger is configured (today the
 * {@code eddy.triggers.<name>.*} settings of the maintenance role, run by the trigger dispatcher),
 * and a small HTTP function in the test that records the {@code eventID} of every record it is
 * handed, per table, so the suite can tell whether anything was delivered twice or not at all.
 */
final class TriggerReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** table -> eventID -> times delivered */
    private final Map<String, Map<String, AtomicLong>> delivered = new ConcurrentHashMap<>();
    /** table -> eventID -> times delivered without the possible-redelivery mark */
    private final Map<String, Map<String, AtomicLong>> unmarked = new ConcurrentHashMap<>();
    /** table -> item key -> when its first record arrived (System.currentTimeMillis) */
    private final Map<String, Map<String, Long>> firstArrival = new ConcurrentHashMap<>();
    /** table -> eventIDs of REMOVE records Time to Live made (userIdentity set) */
    private final Map<String, Set<String>> expiredKeys = new ConcurrentHashMap<>();

    TriggerReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String table = exchange.getRequestURI().getPath().substring(1);
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            Map<String, AtomicLong> seen = delivered.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
            boolean marked = "true".equals(exchange.getRequestHeaders().getFirst("Eddy-Possible-Redelivery"));
            Map<String, AtomicLong> seenUnmarked = unmarked.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
            for (JsonNode record : body.path("Records")) {
                seen.computeIfAbsent(record.path("eventID").asText(), id -> new AtomicLong()).incrementAndGet();
                if (!marked) {
                    seenUnmarked.computeIfAbsent(record.path("eventID").asText(), id -> new AtomicLong()).incrementAndGet();
                }
                firstArrival.computeIfAbsent(table, t -> new ConcurrentHashMap<>()).putIfAbsent(
                        record.path("dynamodb").path("Keys").path("pk").path("S").asText(), System.currentTimeMillis());
                if ("REMOVE".equals(record.path("eventName").asText()) && record.has("userIdentity")) {
                    expiredKeys.computeIfAbsent(table, t -> ConcurrentHashMap.newKeySet())
                            .add(record.path("dynamodb").path("Keys").path("pk").path("S").asText());
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** The settings that make the maintenance role deliver a table's stream records here. */
    Map<String, String> triggerSettings(String name, String table) {
        Map<String, String> s = new HashMap<>();
        String prefix = "eddy.triggers." + name + ".";
        s.put(prefix + "table", table);
        s.put(prefix + "function-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/" + table);
        s.put(prefix + "starting-position", "TRIM_HORIZON");
        s.put(prefix + "batch-size", "100");
        s.put(prefix + "retry-max-backoff", "1s");
        return s;
    }

    /**
     * How many records were delivered more than once without the possible-redelivery mark (each extra
     * delivery counted): what a function that drops the marked records it has seen would still get twice.
     */
    long duplicates(String table) {
        return unmarked.getOrDefault(table, Map.of()).values().stream().mapToLong(n -> n.get() - 1).sum();
    }

    /** Deliveries beyond a record's first that came with the mark: the dispatcher's at-least-once, announced. */
    long markedRedeliveries(String table) {
        long all = delivered.getOrDefault(table, Map.of()).values().stream().mapToLong(n -> n.get() - 1).sum();
        return all - duplicates(table);
    }

    /** The eventIDs among {@code expected} not delivered yet. */
    List<String> missing(String table, Set<String> expected) {
        Map<String, AtomicLong> seen = delivered.getOrDefault(table, Map.of());
        List<String> out = new ArrayList<>();
        for (String id : expected) {
            if (!seen.containsKey(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Records delivered that the stream does not have. */
    List<String> unknown(String table, Set<String> streamIds) {
        List<String> out = new ArrayList<>();
        for (String id : delivered.getOrDefault(table, Map.of()).keySet()) {
            if (!streamIds.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** When the first record of an item reached the trigger, or null. */
    Long arrived(String table, String pk) {
        return firstArrival.getOrDefault(table, Map.of()).get(pk);
    }

    /** Keys of items whose Time to Live deletion reached the trigger. */
    Set<String> expired(String table) {
        return expiredKeys.getOrDefault(table, Set.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eddy.triggers.dispatcher.TriggerEndpoint.Answer;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * ParallelizationFactor (several batches of one partition in flight, each item's changes still in
 * order) and TumblingWindowInSeconds (windows of change time, state carried from call to call, a
 * final call per window).
 */
class ParallelizationAndWindowsTest extends DispatcherTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPartitionHasSeveralBatchesInFlightAndEachItemStaysInOrder() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        function.answer(event -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return Answer.ok();
        });
        ChangeFeed feed = feed(1);
        Map<String, Long> versions = new HashMap<>();
        for (int n = 0; n < 240; n++) {
            String item = "item-" + (n % 24);
            feed.put(item, versions.merge(item, 1L, Long::sum));
        }
        feed.flush();
        start(settings("batch-size", "5", "parallelization-factor", "4"));

        await("240 records", () -> function.processed().size() >= 240);
        assertTrue(most.get() > 1, "batches of one partition in flight at once: " + most.get());
        assertTrue(most.get() <= 4, "no more than the factor: " + most.get());
        Map<String, List<Long>> seen = new HashMap<>();
        for (DynamodbStreamRecord r : function.processed()) {
            seen.computeIfAbsent(TriggerEndpoint.pk(r), k -> new ArrayList<>()).add(Long.parseLong(r.dynamodb().sequenceNumber()));
        }
        versions.forEach((item, last) -> {
            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= last; v++) {
                expected.add(v);
            }
            assertEquals(expected, seen.get(item), item + " out of order or not exactly once");
        });
    }

    @Test
    void tumblingWindowsCarryTheFunctionsStateAndEndWithAFinalCall() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        HttpServer counter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        counter.setExecutor(Executors.newCachedThreadPool());
        counter.createContext("/count", exchange -> {
            JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
            events.add(event);
            int count = event.path("state").path("count").asInt(0) + event.path("Records").size();
            byte[] answer = ("{\"state\":{\"count\":" + count + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        counter.start();
        closing(() -> counter.stop(0));
        // two windows of 2 s, both over already by the clock
        long base = (System.currentTimeMillis() / 1000 / 2) * 2 - 10;
        ChangeFeed feed = feed(1);
        feed.put("a", 1, base + 0.2).put("b", 1, base + 0.5).put("a", 2, base + 1.0)
                .put("c", 1, base + 2.1).put("a", 3, base + 3.9).flush();
        Map<String, String> s = settings("batch-size", "2", "tumbling-window-in-seconds", "2");
        s.put("function-url", "http://127.0.0.1:" + counter.getAddress().getPort() + "/count");
        start(s);

        await("both windows' final calls", () -> events.stream().filter(e -> e.path("isFinalInvokeForWindow").asBoolean())
                .count() >= 2);
        List<JsonNode> finals = events.stream().filter(e -> e.path("isFinalInvokeForWindow").asBoolean()).toList();
        assertEquals(3, finals.get(0).path("state").path("count").asInt(), "the first window's three records: " + events);
        assertEquals(2, finals.get(1).path("state").path("count").asInt(), "the second window's two: " + events);
        assertEquals(0, finals.get(0).path("Records").size());
        for (JsonNode e : events) {
            assertTrue(e.path("window").path("start").isTextual() && e.path("window").path("end").isTextual(), e.toString());
            assertEquals(topic + "-0", e.path("shardId").asText());
            assertTrue(e.has("isWindowTerminatedEarly"), e.toString());
        }
        JsonNode first = events.get(0);
        assertEquals(java.time.Instant.ofEpochSecond(base).toString(), first.path("window").path("start").asText());
        assertTrue(events.stream().noneMatch(e -> e.path("Records").size() > 0 && !e.path("Records").findValues("ApproximateCreationDateTime")
                .stream().allMatch(t -> (long) t.asDouble() / 2 * 2 == java.time.Instant.parse(e.path("window").path("start").asText())
                        .getEpochSecond())), "a batch never spans two windows: " + events);
    }
}

package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading triggers from {@code eddy.triggers.<name>.*} properties, with Lambda's defaults and limits. */
class TriggerConfigTest {

    private static Map<String, String> minimal(String name) {
        Map<String, String> p = new HashMap<>();
        p.put("eddy.triggers." + name + ".table", "Orders");
        p.put("eddy.triggers." + name + ".function-url", "http://localhost:8081/auditLog");
        return p;
    }

    @Test
    void defaultsAreLambdasForDynamoDbStreams() {
        Map<String, String> p = minimal("audit");
        p.put("quarkus.http.port", "8000"); // other properties are not triggers
        List<TriggerConfig> triggers = TriggerConfig.fromProperties(p);
        assertEquals(1, triggers.size());
        TriggerConfig t = triggers.get(0);
        assertEquals("audit", t.name());
        assertEquals("Orders", t.table());
        assertEquals(100, t.batchSize());
        assertEquals(Duration.ZERO, t.maximumBatchingWindow());
        assertEquals(StartingPosition.TRIM_HORIZON, t.startingPosition());
        assertEquals(-1, t.maximumRetryAttempts());
        assertEquals(-1, t.maximumRecordAgeInSeconds());
        assertFalse(t.bisectBatchOnFunctionError());
        assertFalse(t.reportBatchItemFailures());
        assertTrue(t.filterCriteria().isEmpty());
        assertEquals("eddy-trigger-audit", t.groupId());
        assertEquals(TriggerConfig.Delivery.HTTP, t.delivery());
        assertTrue(t.enabled());
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> s = new HashMap<>();
        s.put("topic", "eddy.stream.Orders.123");
        s.put("function-url", "https://triggers.example/orderTotals");
        s.put("delivery", "cloudevent");
        s.put("batch-size", "500");
        s.put("maximum-batching-window-in-seconds", "2.5");
        s.put("starting-position", "latest");
        s.put("maximum-retry-attempts", "3");
        s.put("maximum-record-age-in-seconds", "3600");
        s.put("bisect-batch-on-function-error", "true");
        s.put("function-response-types", "ReportBatchItemFailures");
        s.put("on-failure-topic", "orders-dlq");
        s.put("retry-initial-backoff", "PT0.5S");
        s.put("retry-max-backoff", "1m");
        s.put("invocation-timeout", "10s");
        TriggerConfig t = TriggerConfig.of("totals", s);
        assertEquals("eddy.stream.Orders.123", t.topic());
        assertEquals(500, t.batchSize());
        assertEquals(Duration.ofMillis(2500), t.maximumBatchingWindow());
        assertEquals(StartingPosition.LATEST, t.startingPosition());
        assertEquals(3, t.maximumRetryAttempts());
        assertEquals(3600, t.maximumRecordAgeInSeconds());
        assertTrue(t.bisectBatchOnFunctionError());
        assertTrue(t.reportBatchItemFailures());
        assertEquals("orders-dlq", t.onFailureTopic());
        assertEquals(Duration.ofMillis(500), t.retryInitialBackoff());
        assertEquals(Duration.ofMinutes(1), t.retryMaxBackoff());
        assertEquals(Duration.ofSeconds(10), t.invocationTimeout());
        assertEquals(TriggerConfig.Delivery.CLOUDEVENT, t.delivery());
    }

    @Test
    void wrongSettingsAreRefusedWithThePropertyName() {
        assertRefused("batch-size", "0", "eddy.triggers.bad.batch-size");
        assertRefused("batch-size", "10001", "between 1 and 10000");
        assertRefused("maximum-batching-window-in-seconds", "301", "between 0 and 300");
        assertRefused("maximum-record-age-in-seconds", "59", "between 60 and 604800");
        assertRefused("maximum-retry-attempts", "-2", "between -1 and 10000");
        assertRefused("starting-position", "AT_TIMESTAMP", "TRIM_HORIZON");
        assertRefused("function-response-types", "ReportEverything", "ReportBatchItemFailures");
        assertRefused("filter-criteria", "{\"Filters\":[{\"Pattern\":\"{}\"}]}", "at least one field");
        assertRefused("function-url", "ftp://x", "http or https");
        assertRefused("retry-initial-backoff", "-5s", "positive duration");
        assertRefused("batchsize", "10", "unknown setting(s) [batchsize]");
    }

    @Test
    void tableOrTopicIsRequiredButNotBoth() {
        Map<String, String> neither = Map.of("function-url", "http://localhost/x");
        assertThrows(IllegalArgumentException.class, () -> TriggerConfig.of("t", neither));
        Map<String, String> both = Map.of("function-url", "http://localhost/x", "table", "A", "topic", "B");
        assertThrows(IllegalArgumentException.class, () -> TriggerConfig.of("t", both));
        assertThrows(IllegalArgumentException.class, () -> TriggerConfig.of("t", Map.of("table", "A")));
    }

    @Test
    void streamTopicsPickTheNewestLabelOfTheTable() {
        List<String> topics = List.of("eddy.stream.Orders.1763790000000", "eddy.stream.Orders.1763799999999",
                "eddy.stream.Orders.v2.1900000000000", "eddy.stream.OrdersArchive.1999999999999", "other");
        assertEquals(Optional.of("eddy.stream.Orders.1763799999999"), StreamTopics.newest("Orders", topics));
        assertEquals(Optional.of("eddy.stream.Orders.v2.1900000000000"), StreamTopics.newest("Orders.v2", topics));
        assertEquals(Optional.empty(), StreamTopics.newest("Customers", topics));
    }

    private static void assertRefused(String setting, String value, String message) {
        Map<String, String> p = minimal("bad");
        p.put("eddy.triggers.bad." + setting, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TriggerConfig.fromProperties(p));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void environmentVariablesNameTriggersAsAPodSetsThem() {
        Map<String, String> env = Map.of(
                "EDDY_TRIGGERS_AUDIT_TABLE", "Orders",
                "EDDY_TRIGGERS_AUDIT_FUNCTION_URL", "http://audit.default.svc/auditLog",
                "EDDY_TRIGGERS_ORDER_TOTALS_ON_FAILURE_TOPIC", "totals-dlq",
                "EDDY_TRIGGERS_ORDER_TOTALS_MAXIMUM_BATCHING_WINDOW_IN_SECONDS", "5",
                "EDDY_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "EDDY_TRIGGERS_TABLE", "a setting with no trigger name");
        assertEquals(Map.of(
                        "eddy.triggers.audit.table", "Orders",
                        "eddy.triggers.audit.function-url", "http://audit.default.svc/auditLog",
                        "eddy.triggers.order_totals.on-failure-topic", "totals-dlq",
                        "eddy.triggers.order_totals.maximum-batching-window-in-seconds", "5"),
                TriggerConfig.fromEnvironment(env));
    }

    @Test
    void everyListedSettingIsOneATriggerTakes() {
        for (String setting : TriggerConfig.SETTINGS) {
            Map<String, String> p = minimal("t");
            p.putIfAbsent("eddy.triggers.t." + setting, " "); // blank: known, and left at its default
            assertEquals(1, TriggerConfig.fromProperties(p).size(), setting);
        }
        Map<String, String> typo = minimal("t");
        typo.put("eddy.triggers.t.batchsize", "10");
        assertThrows(IllegalArgumentException.class, () -> TriggerConfig.fromProperties(typo));
    }
}

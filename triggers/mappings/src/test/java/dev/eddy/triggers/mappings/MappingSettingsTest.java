package dev.eddy.triggers.mappings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.triggers.dispatcher.TriggerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every setting of a mapping reaches the dispatcher that runs it, and the stored form keeps them
 * all: what the API took is what runs, after a restart too.
 */
class MappingSettingsTest {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-12-05T21:14:03.118";

    private static EventSourceMapping mapping() {
        return new EventSourceMapping("6f1c0a7e-5b1d-4c59-9d7e-0f4c2a8b3e11", ARN, "shipping",
                "arn:aws:lambda:us-east-1:000000000000:function:shipping", true, 25, 3, 4, "TRIM_HORIZON", 600, true, 2, 30,
                List.of("ReportBatchItemFailures"), "kafka://orders-failed",
                "{\"Filters\":[{\"Pattern\":\"{\\\"eventName\\\":[\\\"INSERT\\\"]}\"}]}", EventSourceMapping.ENABLED,
                EventSourceMapping.USER_ACTION, EventSourceMapping.OK, 1_700_000_000_000L, 1_700_000_001_000L, 3);
    }

    @Test
    void theDispatcherGetsEverySettingOfTheMapping() {
        EventSourceMapping m = mapping();
        StreamSource stream = StreamSource.parse(ARN, "us-east-1", "000000000000");
        TriggerConfig c = MappingDuty.config(m, stream,
                new FunctionDirectory.Endpoint(URI.create("http://shipping.eddy.svc/shipping"), null));
        assertEquals(m.uuid(), c.name());
        assertEquals("eddy.stream.Orders.20261205211403118", c.topic(), "the stream's own topic, not the table's newest");
        assertEquals(URI.create("http://shipping.eddy.svc/shipping"), c.functionUrl());
        assertEquals("eddy-esm-" + m.uuid(), c.groupId(), "positions kept per mapping, whoever holds its lease");
        assertEquals(25, c.batchSize());
        assertEquals(Duration.ofSeconds(3), c.maximumBatchingWindow());
        assertEquals(4, c.parallelizationFactor());
        assertEquals(Duration.ofSeconds(30), c.tumblingWindow());
        assertEquals(600, c.maximumRecordAgeInSeconds());
        assertTrue(c.bisectBatchOnFunctionError());
        assertEquals(2, c.maximumRetryAttempts());
        assertTrue(c.reportBatchItemFailures());
        assertEquals("orders-failed", c.onFailureTopic());
        assertTrue(c.filterCriteria() != null, "filters");
        assertEquals(TriggerConfig.Delivery.HTTP, c.delivery(), "plain JSON to a function registered without a CloudEvent type");
    }

    @Test
    void aFunctionRegisteredWithACloudEventTypeIsCalledWithCloudEvents() {
        TriggerConfig c = MappingDuty.config(mapping(), StreamSource.parse(ARN, "us-east-1", "000000000000"),
                new FunctionDirectory.Endpoint(URI.create("http://broker-ingress/eddy/default"), "com.example.orders.changed"));
        assertEquals(TriggerConfig.Delivery.CLOUDEVENT, c.delivery());
        assertEquals("com.example.orders.changed", c.cloudEventType());
    }

    @Test
    void theStoredFormKeepsEverySetting() {
        EventSourceMapping m = mapping();
        assertEquals(m, EventSourceMapping.decode(m.encode()));
    }
}

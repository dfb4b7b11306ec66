package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch as plain JSON, or as a binary-mode CloudEvent for Knative sinks. */
class CloudEventDeliveryTest extends DispatcherTestBase {

    @Test
    void cloudEventDeliveryAddsTheCloudEventHeaders() throws Exception {
        feed(1).put("a", 1).put("b", 1).flush();
        start(settings("delivery", "cloudevent", "cloudevent-type", "orders.changed",
                "maximum-batching-window-in-seconds", "0.5"));
        await("2 records", () -> function.processed().size() == 2);

        Map<String, List<String>> headers = function.invocations().get(0).headers();
        assertEquals(List.of("1.0"), headers.get("Ce-specversion"));
        assertEquals(List.of("orders.changed"), headers.get("Ce-type"));
        assertEquals(List.of(topic + "-0-0-1"), headers.get("Ce-id"));
        assertEquals(List.of("/eddy/triggers/" + name + "/" + topic), headers.get("Ce-source"));
        assertEquals(List.of("application/json"), headers.get("Content-type"));
    }

    @Test
    void plainDeliveryIsJustTheJsonBody() throws Exception {
        feed(1).put("a", 1).flush();
        start(settings());
        await("1 record", () -> function.processed().size() == 1);
        assertNull(function.invocations().get(0).headers().get("Ce-type"));
        assertEquals(List.of("application/json"), function.invocations().get(0).headers().get("Content-type"));
    }
}

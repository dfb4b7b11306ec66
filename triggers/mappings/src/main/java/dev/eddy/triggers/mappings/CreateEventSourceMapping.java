package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.LambdaErrors;
import java.util.UUID;

/**
 * {@code POST /2015-03-31/event-source-mappings}: a new mapping of a table's stream to a function,
 * stored in the cluster in state Creating; the maintenance role starts it within about a second and
 * moves it to Enabled (or Disabled, when created with {@code Enabled: false}).
 */
public final class CreateEventSourceMapping {
    private CreateEventSourceMapping() {
    }

    public static ObjectNode run(MappingContext c, byte[] body) {
        JsonNode r = MappingRequests.body(body);
        long now = System.currentTimeMillis();
        EventSourceMapping m = MappingRequests.create(r, UUID.randomUUID().toString(), now);
        StreamSource stream = StreamSource.parse(m.eventSourceArn(), c.region(), c.accountId());
        if (stream == null || !stream.live(c.catalog())) {
            throw LambdaErrors.streamNotFound(m.eventSourceArn());
        }
        m = Functions.bind(c, m, m.functionName());
        if (!c.mappings().create(m)) {
            String existing = c.mappings().claimant(m.eventSourceArn(), m.functionArn());
            throw LambdaErrors.mappingExists(m.eventSourceArn(), m.functionArn(), existing);
        }
        return m.toResponse(c.region(), c.accountId());
    }
}

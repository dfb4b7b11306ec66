package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.LambdaErrors;

/** {@code GET /2015-03-31/event-source-mappings/<UUID>}: the mapping, with its state now. */
public final class GetEventSourceMapping {
    private GetEventSourceMapping() {
    }

    public static ObjectNode run(MappingContext c, String uuid) {
        EventSourceMappings.Versioned v = c.mappings().find(uuid);
        if (v == null) {
            throw LambdaErrors.mappingNotFound();
        }
        return v.mapping().toResponse(c.region(), c.accountId());
    }
}

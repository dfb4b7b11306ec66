package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.LambdaErrors;

/**
 * {@code DELETE /2015-03-31/event-source-mappings/<UUID>}: the mapping goes to Deleting and is
 * answered so; the maintenance role stops its dispatcher (committing how far it got) and then
 * forgets the mapping, after which Get answers ResourceNotFoundException.
 */
public final class DeleteEventSourceMapping {
    private DeleteEventSourceMapping() {
    }

    public static ObjectNode run(MappingContext c, String uuid) {
        for (int attempt = 0; ; attempt++) {
            EventSourceMappings.Versioned v = c.mappings().find(uuid);
            if (v == null) {
                throw LambdaErrors.mappingNotFound();
            }
            if (EventSourceMapping.DELETING.equals(v.mapping().state())) {
                throw LambdaErrors.mappingInUse(uuid);
            }
            EventSourceMapping deleting = v.mapping().withState(EventSourceMapping.DELETING,
                    EventSourceMapping.USER_ACTION, System.currentTimeMillis());
            if (c.mappings().replace(v.mapping(), deleting, v.version())) {
                return deleting.toResponse(c.region(), c.accountId());
            }
            if (attempt > 100) {
                throw new IllegalStateException("event source mapping " + uuid + " keeps changing");
            }
        }
    }
}

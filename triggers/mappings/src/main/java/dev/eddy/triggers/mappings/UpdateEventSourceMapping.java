package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.LambdaErrors;

/**
 * {@code PUT /2015-03-31/event-source-mappings/<UUID>}: new settings, a new function, or Enabled.
 * The mapping goes to Enabling or Disabling when only Enabled changes, else to Updating; the
 * maintenance role restarts its dispatcher with the new settings, from where it got to, and settles
 * the state.
 */
public final class UpdateEventSourceMapping {
    private UpdateEventSourceMapping() {
    }

    public static ObjectNode run(MappingContext c, String uuid, byte[] body) {
        JsonNode r = MappingRequests.body(body);
        for (int attempt = 0; ; attempt++) {
            EventSourceMappings.Versioned v = c.mappings().find(uuid);
            if (v == null) {
                throw LambdaErrors.mappingNotFound();
            }
            EventSourceMapping before = v.mapping();
            if (EventSourceMapping.DELETING.equals(before.state())) {
                throw LambdaErrors.mappingInUse(uuid);
            }
            long now = System.currentTimeMillis();
            EventSourceMapping after = MappingRequests.apply(r, before, now);
            if (!after.functionName().equals(before.functionName())) {
                after = Functions.bind(c, after, after.functionName());
            }
            boolean onlyEnabled = after.enabled() != before.enabled() && sameSettings(before, after);
            String state = onlyEnabled ? (after.enabled() ? EventSourceMapping.ENABLING : EventSourceMapping.DISABLING)
                    : EventSourceMapping.UPDATING;
            after = after.withState(state, EventSourceMapping.USER_ACTION, now);
            if (c.mappings().replace(before, after, v.version())) {
                return after.toResponse(c.region(), c.accountId());
            }
            if (c.mappings().claimant(after.eventSourceArn(), after.functionArn()) != null
                    && !uuid.equals(c.mappings().claimant(after.eventSourceArn(), after.functionArn()))) {
                throw LambdaErrors.mappingExists(after.eventSourceArn(), after.functionArn(),
                        c.mappings().claimant(after.eventSourceArn(), after.functionArn()));
            }
            if (attempt > 100) {
                throw new IllegalStateException("event source mapping " + uuid + " keeps changing");
            }
        }
    }

    private static boolean sameSettings(EventSourceMapping a, EventSourceMapping b) {
        return a.functionArn().equals(b.functionArn()) && a.batchSize() == b.batchSize()
                && a.maximumBatchingWindowInSeconds() == b.maximumBatchingWindowInSeconds()
                && a.parallelizationFactor() == b.parallelizationFactor()
                && a.maximumRecordAgeInSeconds() == b.maximumRecordAgeInSeconds()
                && a.bisectBatchOnFunctionError() == b.bisectBatchOnFunctionError()
                && a.maximumRetryAttempts() == b.maximumRetryAttempts()
                && a.tumblingWindowInSeconds() == b.tumblingWindowInSeconds()
                && a.functionResponseTypes().equals(b.functionResponseTypes())
                && java.util.Objects.equals(a.onFailure(), b.onFailure())
                && java.util.Objects.equals(a.filterCriteria(), b.filterCriteria());
    }
}

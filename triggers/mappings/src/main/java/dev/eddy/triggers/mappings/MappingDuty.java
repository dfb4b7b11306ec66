package dev.eddy.triggers.mappings;

import dev.eddy.core.lease.Leases;
import dev.eddy.triggers.dispatcher.RecordCheck;
import dev.eddy.triggers.dispatcher.TriggerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One event source mapping, run: {@code event-source-mapping:<uuid>}. Each run (twice a second) reads
 * the mapping and brings the world in line with it: starts, restarts (new settings) or stops the
 * dispatcher, settles the state the API left (Creating, Enabling, Updating to Enabled; Disabling to
 * Disabled), stops a mapping whose stream is gone (Disabled, for good: a new stream has a new ARN),
 * finishes a deletion, and reports LastProcessingResult.
 */
final class MappingDuty extends DispatcherDuty {
    static final String PREFIX = "event-source-mapping:";
    private static final Set<String> SETTLES_TO_ENABLED = Set.of(EventSourceMapping.CREATING,
            EventSourceMapping.ENABLING, EventSourceMapping.UPDATING, EventSourceMapping.DISABLED);

    private final String uuid;
    private final MappingContext context;
    private final Leases leases;
    private volatile boolean deleted;

    MappingDuty(String uuid, MappingContext context, Leases leases, String bootstrapServers,
                Map<String, String> kafkaClient, RecordCheck check) {
        super(bootstrapServers, kafkaClient, check);
        this.uuid = uuid;
        this.context = context;
        this.leases = leases;
    }

    @Override
    public String name() {
        return PREFIX + uuid;
    }

    @Override
    String trigger() {
        return uuid;
    }

    @Override
    public boolean run(Held held) {
        EventSourceMappings.Versioned v = context.mappings().find(uuid);
        if (v == null) {
            stopNow();
            deleted = true;
            return false;
        }
        EventSourceMapping m = v.mapping();
        long now = System.currentTimeMillis();
        if (EventSourceMapping.DELETING.equals(m.state())) {
            stopNow();
            context.mappings().remove(m);
            deleted = true;
            return false;
        }
        StreamSource stream = StreamSource.parse(m.eventSourceArn(), context.region(), context.accountId());
        if (stream == null || !stream.live(context.catalog())) {
            stopNow();
            settle(v, m.withState(EventSourceMapping.DISABLED, EventSourceMapping.STREAM_GONE, now));
            return false;
        }
        if (!m.enabled()) {
            stopNow();
            settle(v, m.withState(EventSourceMapping.DISABLED, m.stateTransitionReason(), now));
            return false;
        }
        if (!held.stillHeld()) {
            return false;
        }
        FunctionDirectory.Endpoint endpoint = context.functions().resolve(m.functionName());
        if (endpoint == null) {
            // registered when created, gone from this process's configuration since: nothing to call
            stopNow();
            settle(v, m.withProcessingResult("PROBLEM: Function not found: " + m.functionArn()));
            return false;
        }
        ensureRunning(config(m, stream, endpoint), m.revision());
        EventSourceMapping next = m;
        if (SETTLES_TO_ENABLED.contains(m.state()) && !EventSourceMapping.STREAM_GONE.equals(m.stateTransitionReason())) {
            next = next.withState(EventSourceMapping.ENABLED, m.stateTransitionReason(), now);
        }
        if (stats.lastInvocationMillis() > 0) {
            next = next.withProcessingResult(stats.lastInvocationOk() ? EventSourceMapping.OK
                    : EventSourceMapping.FUNCTION_FAILED);
        }
        settle(v, next);
        return false;
    }

    /** Stores the mapping's new state if it changed; a concurrent change by the API wins, and the next run looks again. */
    private void settle(EventSourceMappings.Versioned v, EventSourceMapping next) {
        EventSourceMapping m = v.mapping();
        if (!next.state().equals(m.state()) || !next.lastProcessingResult().equals(m.lastProcessingResult())
                || !next.stateTransitionReason().equals(m.stateTransitionReason())) {
            context.mappings().replace(m, next, v.version());
        }
    }

    /** The dispatcher's settings for the mapping: its stream's own topic, its group, its function. */
    static TriggerConfig config(EventSourceMapping m, StreamSource stream, FunctionDirectory.Endpoint endpoint) {
        Map<String, String> s = new HashMap<>();
        s.put("topic", stream.topic());
        s.put("function-url", endpoint.url().toString());
        if (endpoint.cloudEventType() != null) {
            s.put("delivery", "cloudevent");
            s.put("cloudevent-type", endpoint.cloudEventType());
        }
        s.put("group-id", "eddy-esm-" + m.uuid());
        s.put("batch-size", String.valueOf(m.batchSize()));
        s.put("maximum-batching-window-in-seconds", String.valueOf(m.maximumBatchingWindowInSeconds()));
        s.put("starting-position", m.startingPosition());
        s.put("maximum-retry-attempts", String.valueOf(m.maximumRetryAttempts()));
        s.put("maximum-record-age-in-seconds", String.valueOf(m.maximumRecordAgeInSeconds()));
        s.put("bisect-batch-on-function-error", String.valueOf(m.bisectBatchOnFunctionError()));
        s.put("parallelization-factor", String.valueOf(m.parallelizationFactor()));
        s.put("tumbling-window-in-seconds", String.valueOf(m.tumblingWindowInSeconds()));
        if (m.reportBatchItemFailures()) {
            s.put("function-response-types", "ReportBatchItemFailures");
        }
        if (m.onFailure() != null) {
            s.put("on-failure-topic", m.onFailure().substring("kafka://".length()));
        }
        if (m.filterCriteria() != null) {
            s.put("filter-criteria", m.filterCriteria());
        }
        return TriggerConfig.of(m.uuid(), s).withLatestFrom(m.createdMillis());
    }

    @Override
    public void stopped() {
        super.stopped();
        if (deleted) {
            leases.remove(name()); // the mapping is gone for good: so is its lease
        }
    }
}

package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One event source mapping, as Lambda's EventSourceMappingConfiguration describes it: a table's
 * stream (by its stream ARN) feeding a function, with the batching and error handling settings of a
 * stream source. Immutable; the API and the maintenance role replace it by compare-and-set.
 *
 * @param functionName      the FunctionName the mapping was created or last updated with
 * @param functionArn       what Lambda reports as FunctionArn: the function's ARN, or the URL itself
 *                          when FunctionName was one
 * @param enabled           what the user asked for (Enabled); {@code state} is where the mapping is
 * @param onFailure         DestinationConfig.OnFailure.Destination ({@code kafka://<topic>}), or null
 * @param filterCriteria    FilterCriteria as JSON text ({@code {"Filters":[...]}}), or null
 * @param revision          grows with every change a user makes; the running dispatcher restarts on it
 */
public record EventSourceMapping(
        String uuid,
        String eventSourceArn,
        String functionName,
        String functionArn,
        boolean enabled,
        int batchSize,
        int maximumBatchingWindowInSeconds,
        int parallelizationFactor,
        String startingPosition,
        int maximumRecordAgeInSeconds,
        boolean bisectBatchOnFunctionError,
        int maximumRetryAttempts,
        int tumblingWindowInSeconds,
        List<String> functionResponseTypes,
        String onFailure,
        String filterCriteria,
        String state,
        String stateTransitionReason,
        String lastProcessingResult,
        long createdMillis,
        long lastModifiedMillis,
        long revision) {

    public static final String CREATING = "Creating";
    public static final String ENABLING = "Enabling";
    public static final String ENABLED = "Enabled";
    public static final String DISABLING = "Disabling";
    public static final String DISABLED = "Disabled";
    public static final String UPDATING = "Updating";
    public static final String DELETING = "Deleting";

    /** Lambda's reason for a change the user asked for. */
    public static final String USER_ACTION = "User action";
    /** Eddy's reason when the stream went away (table deleted, stream disabled): the mapping stops for good. */
    public static final String STREAM_GONE = "PROBLEM: Stream not found: the table was deleted or its stream disabled";
    /** Lambda's processing results. */
    public static final String NO_RECORDS = "No records processed";
    public static final String OK = "OK";
    public static final String FUNCTION_FAILED = "PROBLEM: Function call failed";

    private static final ObjectMapper JSON = new ObjectMapper();

    public EventSourceMapping {
        functionResponseTypes = List.copyOf(functionResponseTypes);
    }

    public boolean reportBatchItemFailures() {
        return functionResponseTypes.contains("ReportBatchItemFailures");
    }

    public EventSourceMapping withState(String newState, String reason, long now) {
        return new EventSourceMapping(uuid, eventSourceArn, functionName, functionArn, enabled, batchSize,
                maximumBatchingWindowInSeconds, parallelizationFactor, startingPosition, maximumRecordAgeInSeconds,
                bisectBatchOnFunctionError, maximumRetryAttempts, tumblingWindowInSeconds, functionResponseTypes,
                onFailure, filterCriteria, newState, reason, lastProcessingResult, createdMillis, now, revision);
    }

    public EventSourceMapping withProcessingResult(String result) {
        return new EventSourceMapping(uuid, eventSourceArn, functionName, functionArn, enabled, batchSize,
                maximumBatchingWindowInSeconds, parallelizationFactor, startingPosition, maximumRecordAgeInSeconds,
                bisectBatchOnFunctionError, maximumRetryAttempts, tumblingWindowInSeconds, functionResponseTypes,
                onFailure, filterCriteria, state, stateTransitionReason, result, createdMillis, lastModifiedMillis,
                revision);
    }

    /** The mapping's ARN, as Lambda reports it (EventSourceMappingArn) and policies name it. */
    public static String arn(String region, String accountId, String uuid) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":event-source-mapping:" + uuid;
    }

    /** EventSourceMappingConfiguration as the Lambda API returns it. */
    public ObjectNode toResponse(String region, String accountId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("UUID", uuid);
        o.put("StartingPosition", startingPosition);
        o.put("BatchSize", batchSize);
        o.put("MaximumBatchingWindowInSeconds", maximumBatchingWindowInSeconds);
        o.put("ParallelizationFactor", parallelizationFactor);
        o.put("EventSourceArn", eventSourceArn);
        if (filterCriteria != null) {
            o.set("FilterCriteria", parse(filterCriteria));
        }
        o.put("FunctionArn", functionArn);
        // rest-json timestamps are epoch seconds, with the fraction
        o.put("LastModified", BigDecimal.valueOf(lastModifiedMillis).movePointLeft(3));
        o.put("LastProcessingResult", lastProcessingResult);
        o.put("State", state);
        o.put("StateTransitionReason", stateTransitionReason);
        ObjectNode destination = o.putObject("DestinationConfig");
        ObjectNode failure = destination.putObject("OnFailure");
        if (onFailure != null) {
            failure.put("Destination", onFailure);
        }
        o.put("MaximumRecordAgeInSeconds", maximumRecordAgeInSeconds);
        o.put("BisectBatchOnFunctionError", bisectBatchOnFunctionError);
        o.put("MaximumRetryAttempts", maximumRetryAttempts);
        o.put("TumblingWindowInSeconds", tumblingWindowInSeconds);
        ArrayNode types = o.putArray("FunctionResponseTypes");
        functionResponseTypes.forEach(types::add);
        o.put("EventSourceMappingArn", arn(region, accountId, uuid));
        return o;
    }

    /** The stored form: the response's members plus what only Eddy keeps. */
    byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("uuid", uuid);
        o.put("eventSourceArn", eventSourceArn);
        o.put("functionName", functionName);
        o.put("functionArn", functionArn);
        o.put("enabled", enabled);
        o.put("batchSize", batchSize);
        o.put("maximumBatchingWindowInSeconds", maximumBatchingWindowInSeconds);
        o.put("parallelizationFactor", parallelizationFactor);
        o.put("startingPosition", startingPosition);
        o.put("maximumRecordAgeInSeconds", maximumRecordAgeInSeconds);
        o.put("bisectBatchOnFunctionError", bisectBatchOnFunctionError);
        o.put("maximumRetryAttempts", maximumRetryAttempts);
        o.put("tumblingWindowInSeconds", tumblingWindowInSeconds);
        ArrayNode types = o.putArray("functionResponseTypes");
        functionResponseTypes.forEach(types::add);
        o.put("onFailure", onFailure);
        o.put("filterCriteria", filterCriteria);
        o.put("state", state);
        o.put("stateTransitionReason", stateTransitionReason);
        o.put("lastProcessingResult", lastProcessingResult);
        o.put("createdMillis", createdMillis);
        o.put("lastModifiedMillis", lastModifiedMillis);
        o.put("revision", revision);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EventSourceMapping decode(byte[] bytes) {
        JsonNode o;
        try {
            o = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> types = new ArrayList<>();
        o.path("functionResponseTypes").forEach(t -> types.add(t.asText()));
        return new EventSourceMapping(o.path("uuid").asText(), o.path("eventSourceArn").asText(),
                o.path("functionName").asText(), o.path("functionArn").asText(), o.path("enabled").asBoolean(),
                o.path("batchSize").asInt(), o.path("maximumBatchingWindowInSeconds").asInt(),
                o.path("parallelizationFactor").asInt(1), o.path("startingPosition").asText(),
                o.path("maximumRecordAgeInSeconds").asInt(-1), o.path("bisectBatchOnFunctionError").asBoolean(),
                o.path("maximumRetryAttempts").asInt(-1), o.path("tumblingWindowInSeconds").asInt(),
                types, text(o, "onFailure"), text(o, "filterCriteria"), o.path("state").asText(),
                o.path("stateTransitionReason").asText(), o.path("lastProcessingResult").asText(),
                o.path("createdMillis").asLong(), o.path("lastModifiedMillis").asLong(), o.path("revision").asLong());
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

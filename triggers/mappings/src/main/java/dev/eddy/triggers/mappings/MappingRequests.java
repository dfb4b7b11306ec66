package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.LambdaErrors;
import dev.eddy.triggers.dispatcher.FilterCriteria;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The members of CreateEventSourceMapping and UpdateEventSourceMapping, checked as Lambda checks
 * them for a DynamoDB stream source (API Reference, CreateEventSourceMapping: each member's range and
 * the settings that apply to streams), then applied over the mapping's current settings. What Eddy
 * cannot honour (queues, Kafka clusters, S3 or SQS destinations) is refused, never silently dropped.
 */
final class MappingRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Members of other kinds of event source: refused rather than ignored. */
    private static final List<String> NOT_FOR_STREAMS = List.of("Topics", "Queues", "SourceAccessConfigurations",
            "SelfManagedEventSource", "AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig",
            "ScalingConfig", "DocumentDBEventSourceConfig", "KMSKeyArn", "ProvisionedPollerConfig",
            "StartingPositionTimestamp");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("kafka://([a-zA-Z0-9._-]{1,249})");

    private MappingRequests() {
    }

    /** The request body as an object; an empty body is an empty request. */
    static JsonNode body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode body = JSON.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw LambdaErrors.bodyNotJson();
            }
            return body;
        } catch (IOException e) {
            throw LambdaErrors.bodyNotJson();
        }
    }

    /** The settings of a new mapping, before the stream and function are checked. */
    static EventSourceMapping create(JsonNode r, String uuid, long now) {
        refuseOtherSources(r);
        String arn = text(r, "EventSourceArn");
        if (arn == null) {
            throw LambdaErrors.invalidParameter("EventSourceArn is required: Eddy's event sources are table streams");
        }
        String function = text(r, "FunctionName");
        if (function == null) {
            throw LambdaErrors.outOfRange("functionName", "null", "Member must not be null");
        }
        String start = text(r, "StartingPosition");
        if (start == null) {
            throw LambdaErrors.invalidParameter("StartingPosition is required for a DynamoDB stream event source");
        }
        if (!start.equals("TRIM_HORIZON") && !start.equals("LATEST")) {
            throw LambdaErrors.invalidParameter("Unsupported starting position " + start
                    + " for a DynamoDB stream event source: use TRIM_HORIZON or LATEST");
        }
        EventSourceMapping defaults = new EventSourceMapping(uuid, arn, function, null, true, 100, 0, 1, start, -1,
                false, -1, 0, List.of(), null, null, EventSourceMapping.CREATING, EventSourceMapping.USER_ACTION,
                EventSourceMapping.NO_RECORDS, now, now, 1);
        return apply(r, defaults, now);
    }

    /** The mapping with the members a request sets (Create's over the defaults, Update's over the mapping). */
    static EventSourceMapping apply(JsonNode r, EventSourceMapping m, long now) {
        refuseOtherSources(r);
        String function = text(r, "FunctionName");
        if (function != null && function.length() > 256) {
            throw LambdaErrors.outOfRange("functionName", function, "Member must have length less than or equal to 256");
        }
        boolean enabled = bool(r, "Enabled", m.enabled());
        int batchSize = integer(r, "BatchSize", "batchSize", m.batchSize(), 1, 10_000);
        int window = integer(r, "MaximumBatchingWindowInSeconds", "maximumBatchingWindowInSeconds",
                m.maximumBatchingWindowInSeconds(), 0, 300);
        int parallelization = integer(r, "ParallelizationFactor", "parallelizationFactor", m.parallelizationFactor(),
                1, 10);
        int maxAge = integer(r, "MaximumRecordAgeInSeconds", "maximumRecordAgeInSeconds", m.maximumRecordAgeInSeconds(),
                -1, 604_800);
        if (maxAge >= 0 && maxAge < 60) {
            throw LambdaErrors.invalidParameter("MaximumRecordAgeInSeconds must be -1 (no limit) or between 60 and "
                    + "604800, got " + maxAge);
        }
        boolean bisect = bool(r, "BisectBatchOnFunctionError", m.bisectBatchOnFunctionError());
        int retries = integer(r, "MaximumRetryAttempts", "maximumRetryAttempts", m.maximumRetryAttempts(), -1, 10_000);
        int tumbling = integer(r, "TumblingWindowInSeconds", "tumblingWindowInSeconds", m.tumblingWindowInSeconds(),
                0, 900);
        List<String> responseTypes = responseTypes(r, m.functionResponseTypes());
        String onFailure = destination(r, m.onFailure());
        String filters = filters(r, m.filterCriteria());
        return new EventSourceMapping(m.uuid(), m.eventSourceArn(), function != null ? function : m.functionName(),
                m.functionArn(), enabled, batchSize, window, parallelization, m.startingPosition(), maxAge, bisect,
                retries, tumbling, responseTypes, onFailure, filters, m.state(), m.stateTransitionReason(),
                m.lastProcessingResult(), m.createdMillis(), now, m.revision() + 1);
    }

    private static void refuseOtherSources(JsonNode r) {
        for (String member : NOT_FOR_STREAMS) {
            JsonNode v = r.get(member);
            if (v != null && !v.isNull()) {
                throw LambdaErrors.invalidParameter(member + " does not apply to a DynamoDB stream event source");
            }
        }
    }

    private static String text(JsonNode r, String member) {
        JsonNode v = r.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw LambdaErrors.invalidParameter(member + " must be a string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode r, String member, boolean current) {
        JsonNode v = r.get(member);
        if (v == null || v.isNull()) {
            return current;
        }
        if (!v.isBoolean()) {
            throw LambdaErrors.invalidParameter(member + " must be a boolean");
        }
        return v.asBoolean();
    }

    /** An integer member within its range; {@code field} is its name as AWS's validation messages write it. */
    private static int integer(JsonNode r, String member, String field, int current, int min, int max) {
        JsonNode v = r.get(member);
        if (v == null || v.isNull()) {
            return current;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw LambdaErrors.invalidParameter(member + " must be an integer");
        }
        int n = v.asInt();
        if (n < min) {
            throw LambdaErrors.outOfRange(field, n, "Member must have value greater than or equal to " + min);
        }
        if (n > max) {
            throw LambdaErrors.outOfRange(field, n, "Member must have value less than or equal to " + max);
        }
        return n;
    }

    private static List<String> responseTypes(JsonNode r, List<String> current) {
        JsonNode v = r.get("FunctionResponseTypes");
        if (v == null || v.isNull()) {
            return current;
        }
        if (!v.isArray() || v.size() > 1) {
            throw LambdaErrors.outOfRange("functionResponseTypes", v, "Member must have length less than or equal to 1");
        }
        List<String> types = new ArrayList<>();
        for (JsonNode t : v) {
            if (!t.isTextual() || !t.asText().equals("ReportBatchItemFailures")) {
                throw LambdaErrors.outOfRange("functionResponseTypes", v, "Member must satisfy enum value set: "
                        + "[ReportBatchItemFailures]");
            }
            types.add(t.asText());
        }
        return types;
    }

    /** DestinationConfig.OnFailure.Destination: a Kafka topic ({@code kafka://<topic>}), or empty to remove it. */
    private static String destination(JsonNode r, String current) {
        JsonNode config = r.get("DestinationConfig");
        if (config == null || config.isNull()) {
            return current;
        }
        JsonNode success = config.path("OnSuccess").path("Destination");
        if (success.isTextual() && !success.asText().isEmpty()) {
            throw LambdaErrors.invalidParameter("DestinationConfig.OnSuccess is not supported for a DynamoDB stream "
                    + "event source");
        }
        JsonNode failure = config.path("OnFailure").path("Destination");
        if (failure.isMissingNode() || failure.isNull()) {
            return current;
        }
        String destination = failure.asText();
        if (destination.isEmpty()) {
            return null;
        }
        if (!KAFKA_TOPIC.matcher(destination).matches()) {
            throw LambdaErrors.invalidParameter("Unsupported DestinationConfig.OnFailure.Destination " + destination
                    + ": Eddy sends discarded records to a Kafka topic, kafka://<topic>");
        }
        return destination;
    }

    /** FilterCriteria checked with the dispatcher's own parser (what it accepts is what will run); {} removes it. */
    private static String filters(JsonNode r, String current) {
        JsonNode v = r.get("FilterCriteria");
        if (v == null || v.isNull()) {
            return current;
        }
        if (!v.isObject()) {
            throw LambdaErrors.invalidParameter("FilterCriteria must be an object");
        }
        if (v.isEmpty() || (v.path("Filters").isArray() && v.path("Filters").isEmpty())) {
            return null;
        }
        String json = v.toString();
        try {
            FilterCriteria.parse(json);
        } catch (IllegalArgumentException e) {
            throw LambdaErrors.invalidParameter("Invalid filter pattern definition: " + e.getMessage());
        }
        return json;
    }
}

package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The trigger function as the dispatcher calls it: one HTTP POST per batch, body
 * {@code {"Records":[...]}} built from the records' bytes as they came off the topic, either as
 * plain JSON or as a binary-mode CloudEvent. Reads the answer as Lambda reads a partial batch
 * response when ReportBatchItemFailures is on.
 */
final class TriggerFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OPEN = "{\"Records\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final int ERROR_TEXT_LIMIT = 300;
    /**
     * The header on a batch whose records a previous holder of the partition may have delivered already
     * (it was killed between handing them over and committing): the function drops those whose
     * eventID it has seen, and needs to look only when the header is there.
     */
    static final String POSSIBLE_REDELIVERY = "Eddy-Possible-Redelivery";

    private final TriggerConfig config;
    private final HttpClient http;

    TriggerFunction(TriggerConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Invokes the function once with these records, in this order. */
    InvocationResult invoke(List<ChangeRecord> batch) throws InterruptedException {
        return invoke(batch, null, false, false);
    }

    /**
     * Invokes the function once with these records; with a tumbling window, the event carries the
     * window, its state and the shard, and the answer must carry the new state.
     */
    InvocationResult invoke(List<ChangeRecord> batch, TumblingWindow window, boolean finalForWindow,
                            boolean possibleRedelivery) throws InterruptedException {
        byte[] body = window == null ? body(batch) : windowBody(batch, window, finalForWindow);
        HttpRequest.Builder request = HttpRequest.newBuilder(config.functionUrl())
                .timeout(config.invocationTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (possibleRedelivery) {
            request.header(POSSIBLE_REDELIVERY, "true");
        }
        if (config.delivery() == TriggerConfig.Delivery.CLOUDEVENT) {
            String id = batch.isEmpty() ? "window-" + window.startMillis + "-final"
                    : batch.get(0).topic + "-" + batch.get(0).partition + "-" + batch.get(0).offset + "-"
                            + batch.get(batch.size() - 1).offset;
            String subject = batch.isEmpty() ? "window" : batch.get(0).topic + "-" + batch.get(0).partition;
            request.header("ce-specversion", "1.0")
                    .header("ce-type", config.cloudEventType())
                    .header("ce-source", "/eddy/triggers/" + config.name() + "/"
                            + (batch.isEmpty() ? window.shardId : batch.get(0).topic))
                    .header("ce-id", id)
                    .header("ce-subject", subject);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return InvocationResult.notDelivered("cannot reach " + config.functionUrl() + ": " + e);
        } catch (HttpTimeoutException e) {
            return InvocationResult.functionError("timed out after " + config.invocationTimeout());
        } catch (IOException e) {
            return InvocationResult.functionError("call failed: " + e);
        }
        int status = response.statusCode();
        if (status == 429 || status == 503) {
            return InvocationResult.notDelivered("HTTP " + status + ": " + text(response.body()));
        }
        if (status < 200 || status > 299) {
            return InvocationResult.functionError("HTTP " + status + ": " + text(response.body()));
        }
        InvocationResult result = config.reportBatchItemFailures() ? readFailures(response.body(), batch)
                : InvocationResult.SUCCESS;
        if (window == null || result.kind() == InvocationResult.Kind.FUNCTION_ERROR) {
            return result;
        }
        String state = stateOf(response.body());
        return state == null ? InvocationResult.functionError("a tumbling window's answer must carry a state object: "
                + text(response.body())) : result.withState(state);
    }

    /** The {@code state} object of a tumbling window's answer, as JSON text; null when there is none. */
    static String stateOf(byte[] body) {
        try {
            JsonNode answer = body.length == 0 ? null : JSON.readTree(body);
            JsonNode state = answer == null ? null : answer.get("state");
            return state != null && state.isObject() ? JSON.writeValueAsString(state) : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Lambda's tumbling window event: the records plus window, state, shardId, eventSourceARN and the two flags. */
    static byte[] windowBody(List<ChangeRecord> batch, TumblingWindow window, boolean finalForWindow) {
        byte[] records = body(batch);
        StringBuilder tail = new StringBuilder(128 + window.state.length());
        String arn = batch.isEmpty() ? window.eventSourceArn : batch.get(0).json.path("eventSourceARN").asText("");
        window.eventSourceArn = arn;
        tail.append(",\"window\":").append(window.windowJson())
                .append(",\"state\":").append(window.state)
                .append(",\"shardId\":").append(quoted(window.shardId))
                .append(",\"eventSourceARN\":").append(quoted(arn))
                .append(",\"isFinalInvokeForWindow\":").append(finalForWindow)
                .append(",\"isWindowTerminatedEarly\":").append(finalForWindow && window.terminatedEarly)
                .append('}');
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.length + tail.length());
        out.write(records, 0, records.length - 1); // without the closing brace
        out.writeBytes(tail.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s == null ? "" : s);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static byte[] body(List<ChangeRecord> batch) {
        int size = OPEN.length + CLOSE.length;
        for (ChangeRecord r : batch) {
            size += r.payloadBytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(OPEN);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(batch.get(i).value);
        }
        out.writeBytes(CLOSE);
        return out.toByteArray();
    }

    /**
     * Lambda's rules: no body, no {@code batchItemFailures}, or an empty list is full success; an
     * entry whose {@code itemIdentifier} is missing, empty or names no record of the batch makes
     * the whole batch a failure. Otherwise the batch is good up to the earliest record named.
     * SequenceNumbers only grow per item, so two items of one batch can share one: a number is
     * taken to mean the first record that carries it, which at worst delivers some records again.
     * A record's {@code eventID}, unique, is accepted as its identifier too, for exactness.
     */
    static InvocationResult readFailures(byte[] body, List<ChangeRecord> batch) {
        JsonNode answer;
        try {
            answer = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return InvocationResult.SUCCESS; // the function returned normally with some other payload
        }
        JsonNode failures = answer == null || !answer.isObject() ? null : answer.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return InvocationResult.SUCCESS;
        }
        if (!failures.isArray()) {
            return InvocationResult.functionError("batchItemFailures is not a list: " + text(body));
        }
        int earliest = Integer.MAX_VALUE;
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return InvocationResult.functionError("a batchItemFailures entry has no itemIdentifier: " + text(body));
            }
            int position = positionOf(id.asText(), batch);
            if (position < 0) {
                return InvocationResult.functionError("itemIdentifier " + id.asText() + " is not in the batch");
            }
            earliest = Math.min(earliest, position);
        }
        return InvocationResult.partialFailure(earliest);
    }

    private static int positionOf(String identifier, List<ChangeRecord> batch) {
        int byEventId = -1;
        for (int i = 0; i < batch.size(); i++) {
            ChangeRecord r = batch.get(i);
            if (identifier.equals(r.sequenceNumber)) {
                return i;
            }
            if (byEventId < 0 && identifier.equals(r.json.path("eventID").asText(null))) {
                byEventId = i;
            }
        }
        return byEventId;
    }

    private static String text(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() <= ERROR_TEXT_LIMIT ? s : s.substring(0, ERROR_TEXT_LIMIT) + "...";
    }
}

package dev.eddy.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.storage.NonBlocking;
import dev.eddy.core.storage.Unavailability;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.CRC32;
import org.jboss.logging.Logger;

/**
 * DynamoDB's wire protocol: {@code POST /} with {@code X-Amz-Target: DynamoDB_20120810.<Operation>}
 * and a JSON 1.0 body. Requests without the header fall through to Funqy (CloudEvents on the same
 * path). Every response carries {@code x-amzn-RequestId} and the body's CRC32 in
 * {@code x-amz-crc32}, which botocore verifies. This is also the one place errors become responses,
 * for the Funqy routes too.
 */
@ApplicationScoped
public class WireEndpoint {
    private static final Logger LOG = Logger.getLogger(WireEndpoint.class);
    static final String DYNAMODB_PREFIX = "DynamoDB_20120810.";
    static final String STREAMS_PREFIX = "DynamoDBStreams_20120810.";
    private static final JsonFactory JSON = new JsonFactory();

    @Inject
    EddyRuntime runtime;
    /** Authorization: the caller's policy checked before an operation runs. */
    @Inject
    dev.eddy.functions.security.AccessCheck access;
    @Inject
    EddySettings settings;
    @Inject
    OperationMetrics metrics;
    @Inject
    RequestBodyLimits bodyLimits;

    /** Routing-context keys: the operation a request names and when it arrived, for its metrics. */
    private static final String OPERATION = "eddy.operation";
    private static final String STARTED = "eddy.started";

    /** Requests answered on the event loop without a worker (near-cache reads), since start. */
    private static final java.util.concurrent.atomic.LongAdder WITHOUT_WAITING = new java.util.concurrent.atomic.LongAdder();

    static long answeredWithoutWaiting() {
        return WITHOUT_WAITING.sum();
    }

    void routes(@Observes Router router) {
        if (!settings.role().servesRequests()) {
            // The maintenance role: every POST (wire protocol, Funqy, CloudEvents) is refused; GETs
            // (health, metrics) go on to their routes.
            router.post().order(-101).handler(rc -> sendError(rc, rc.request().getHeader("Content-Type"),
                    Errors.notServing()));
        }
        // CloudEvents get their body read here, so it can be checked before Funqy takes it
        BodyHandler cloudEventBodies = BodyHandler.create(false).setBodyLimit(bodyLimits.maxBodyBytes());
        router.post("/").order(-101).handler(rc -> {
            if (rc.request().getHeader("X-Amz-Target") == null && CloudEventCheck.isCloudEvent(
                    rc.request().getHeader("ce-type"), rc.request().getHeader("Content-Type"))) {
                cloudEventBodies.handle(rc);
            } else {
                rc.next();
            }
        });
        router.post("/").order(-100).handler(this::handle);
        // POST /<Operation> (Funqy): a body that is not JSON gets the wire protocol's error, not Funqy's bare 406
        router.postWithRegex("/[A-Za-z]+").order(-100).handler(rc -> {
            if (CloudEventCheck.isJson(rc.request().getHeader("Content-Type"))) {
                rc.next();
            } else {
                sendError(rc, "application/json", Errors.unparseable());
            }
        });
        router.route().order(-100).failureHandler(this::failure);
    }

    private void handle(RoutingContext rc) {
        String header = rc.request().getHeader("X-Amz-Target");
        String ceType = rc.request().getHeader("ce-type");
        String contentType = rc.request().getHeader("Content-Type");
        if (header == null && CloudEventCheck.isCloudEvent(ceType, contentType)) {
            DynamoException problem = CloudEventCheck.problem(ceType, contentType, rc.body().buffer());
            if (problem != null) {
                sendError(rc, "application/json", problem);
            } else {
                rc.next();
            }
            return;
        }
        String target = header == null ? "" : header;
        rc.put(STARTED, System.nanoTime());
        rc.put(OPERATION, operationName(target));
        if (rc.body() != null && rc.body().available()) {
            dispatch(rc, target, rc.body().buffer());
        } else {
            // read within the instance's body limits (RequestBodyLimits admitted it before the router ran)
            RequestBodyLimits.read(rc.request(), bodyLimits.maxBodyBytes())
                    .onSuccess(body -> dispatch(rc, target, body))
                    .onFailure(e -> sendError(rc, rc.request().getHeader("Content-Type"), e));
        }
    }

    private void dispatch(RoutingContext rc, String target, Buffer body) {
        dispatch(rc, target, body, true);
    }

    /**
     * @param mayAwaitFetch whether a near-cache miss may be waited out here (once): the read it started
     *                      fills the near cache, and the request is tried again on this event loop
     */
    private void dispatch(RoutingContext rc, String target, Buffer body, boolean mayAwaitFetch) {
        String contentType = rc.request().getHeader("Content-Type");
        String operation = target.startsWith(DYNAMODB_PREFIX) ? target.substring(DYNAMODB_PREFIX.length()) : null;
        if (operation != null && runtime.eddy().mayRunWithoutWaiting(operation) && body != null && body.length() > 0) {
            // The common read, an eventually consistent one the near cache answers, is served here on
            // the event loop: no hand-off to a worker and back. A near-cache miss waits for the read it
            // started without holding a thread, then tries once more here; anything else that would
            // wait on a server takes the worker path below, from the start.
            NonBlocking.Attempt<byte[]> attempt;
            try {
                attempt = access.admittedWithoutWaiting(rc, target, body.getBytes())
                        ? runtime.eddy().executeWithoutWaiting(operation, body.getBytes())
                        : new NonBlocking.Attempt<>(null, null); // the worker path checks it where it may wait
            } catch (RuntimeException e) {
                if (asDynamo(e) != null) {
                    sendError(rc, contentType, e);
                    return;
                }
                attempt = new NonBlocking.Attempt<>(null, null); // unexpected here: the worker path runs it again and reports it
            }
            if (attempt.value() != null) {
                WITHOUT_WAITING.increment();
                sendResult(rc, contentType, attempt.value());
                return;
            }
            if (attempt.pending() != null && mayAwaitFetch) {
                io.vertx.core.Context context = rc.vertx().getOrCreateContext();
                attempt.pending().whenComplete((value, failure) ->
                        context.runOnContext(v -> dispatch(rc, target, body, false)));
                return;
            }
        }
        rc.vertx().<byte[]>executeBlocking(() -> {
            byte[] bytes = body == null ? new byte[0] : body.getBytes();
            access.admit(rc, target, bytes);
            if (target.startsWith(STREAMS_PREFIX)) {
                return runtime.eddy().executeStreams(target.substring(STREAMS_PREFIX.length()), bytes);
            }
            if (!target.startsWith(DYNAMODB_PREFIX)) {
                throw Errors.unknownOperation();
            }
            return runtime.eddy().execute(target.substring(DYNAMODB_PREFIX.length()), bytes);
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                sendResult(rc, contentType, ar.result());
            } else {
                sendError(rc, contentType, ar.cause());
            }
        });
    }

    private void failure(RoutingContext rc) {
        if (rc.response().headWritten()) {
            return;
        }
        Throwable failure = MalformedRequests.explain(rc, rc.failure());
        if (failure == null && rc.statusCode() == 400) {
            // Funqy answers a body it cannot parse with a bare 400.
            failure = Errors.unparseable();
        }
        if (failure == null) {
            rc.next();
            return;
        }
        sendError(rc, "application/json", failure);
    }

    /** The operation a target header names, for metrics (what follows the service prefix). */
    private static String operationName(String target) {
        int dot = target.indexOf('.');
        return dot < 0 ? "" : target.substring(dot + 1);
    }

    private void sendResult(RoutingContext rc, String contentType, byte[] body) {
        record(rc, null);
        send(rc, 200, contentType, body);
    }

    /** Counts a wire-protocol request (not the Funqy and CloudEvent ones, which OperationFunctions counts). */
    private void record(RoutingContext rc, String errorType) {
        Long started = rc.get(STARTED);
        if (started != null) {
            // a name no operation has is counted as "unknown": clients do not get to make series
            String operation = "UnknownOperationException".equals(errorType) ? "unknown" : rc.get(OPERATION);
            metrics.record(operation, "wire", started, errorType);
        }
    }

    private void sendError(RoutingContext rc, String contentType, Throwable failure) {
        DynamoException error = answerFor(failure);
        if (error.status() == 500) {
            LOG.error("Request failed", failure);
        } else if (error.status() == 503 && asDynamo(failure) == null) {
            // one line each, not a trace
            LOG.warnf("The store cannot serve the request now: %s", Unavailability.reason(failure).toString());
        }
        record(rc, error.type());
        byte[] body = errorBody(error);
        send(rc, error.status(), contentType, body);
    }

    /**
     * The DynamoDB error a failed request is answered with: its own, ServiceUnavailable (503, which
     * clients retry) when the store cannot serve now ({@link Unavailability}: its servers out of reach,
     * a partition, a restart), else InternalServerError.
     */
    static DynamoException answerFor(Throwable failure) {
        DynamoException own = asDynamo(failure);
        if (own != null) {
            return own;
        }
        return Unavailability.reason(failure) != null ? Errors.storeUnavailable() : Errors.internal("Internal server error");
    }

    static DynamoException asDynamo(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DynamoException d) {
                return d;
            }
        }
        return null;
    }

    static byte[] errorBody(DynamoException e) {
        StringBuilder s = new StringBuilder(128).append("{\"__type\":\"").append(e.wireType()).append('"');
        if (e.item() != null) {
            // ReturnValuesOnConditionCheckFailure=ALL_OLD: the item the condition failed on.
            s.append(",\"Item\":").append(itemJson(e.item()));
        }
        if (e.reasons() != null) {
            s.append(",\"CancellationReasons\":[");
            for (int i = 0; i < e.reasons().size(); i++) {
                DynamoException.CancellationReason reason = e.reasons().get(i);
                s.append(i == 0 ? "" : ",").append("{\"Code\":\"").append(reason.code()).append('"');
                if (reason.message() != null) {
                    s.append(",\"Message\":\"").append(reason.message().replace("\\", "\\\\").replace("\"", "\\\""))
                            .append('"');
                }
                if (reason.item() != null) {
                    s.append(",\"Item\":").append(itemJson(reason.item()));
                }
                s.append('}');
            }
            s.append(']');
        }
        String m = e.getMessage();
        if (m == null) {
            return s.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        s.append(",\"").append(e.messageField()).append("\":\"");
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append("\"}");
        return s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String itemJson(Map<String, AttributeValue> item) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            AttributeValueJson.writeItem(g, item);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return w.toString();
    }

    private static void send(RoutingContext rc, int status, String requestContentType, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        HttpServerResponse response = rc.response();
        response.setStatusCode(status)
                .putHeader("Content-Type", responseType(requestContentType))
                .putHeader("x-amzn-RequestId", requestId())
                .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                .end(Buffer.buffer(body));
    }

    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    /**
     * A request id in DynamoDB's shape: 52 characters of A-Z and 0-9. It only has to be unique enough
     * to find a request in logs, so it comes from the thread's own generator, not SecureRandom (which
     * takes a lock per call: a measurable share of a near-cache read).
     */
    static String requestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private static String responseType(String requestContentType) {
        return requestContentType != null && requestContentType.startsWith("application/x-amz-json-1.1")
                ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
    }
}

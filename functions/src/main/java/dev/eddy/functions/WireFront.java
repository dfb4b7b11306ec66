package dev.eddy.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.Replies;
import dev.eddy.core.api.Reply;
import dev.eddy.core.api.Request;
import dev.eddy.core.auth.Caller;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.operation.Operations;
import dev.eddy.functions.security.AccessCheck;
import dev.eddy.functions.security.RequestAuthentication;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * DynamoDB's HTTP endpoint, as a plain Vert.x request handler ahead of Quarkus's web router
 * ({@link FrontHook}): {@code POST /} with {@code X-Amz-Target: DynamoDB_20120810.<Operation>} (or
 * the Streams API's prefix) and a JSON 1.0 body; {@code GET /}, which DynamoDB answers with a health
 * line; CORS preflight ({@code OPTIONS}) and CORS headers as DynamoDB sends them. Everything else
 * (Funqy's {@code POST /{function}}, CloudEvents, {@code /q/} health and metrics) goes on to the
 * router.
 *
 * <p>A request's operation is prepared (validated, its expressions parsed) once; an operation the
 * registry marks as never waiting runs here on the event loop, completing at once when the near
 * cache answers and when Hot Rod answers otherwise, with no worker thread in between. The others
 * (and every request of a caller with a policy, whose check may need a table read) run on a worker.
 * The body is read here under {@link RequestBodyLimits} (the same limits as the router's routes): one
 * longer than {@code quarkus.http.limits.max-body-size} is refused with HTTP 413 before it is read,
 * and the connection closed, since the rest of it would otherwise be taken for the next request.
 */
@ApplicationScoped
public class WireFront implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(WireFront.class);
    static final String DYNAMODB_PREFIX = "DynamoDB_20120810.";
    static final String STREAMS_PREFIX = "DynamoDBStreams_20120810.";
    private static final JsonFactory JSON = new JsonFactory();
    /** Bodies up to this size are parsed on the event loop; a larger one (a batch) is no work for it. */
    private static final int EVENT_LOOP_BODY_BYTES = 256 * 1024;
    /** The headers a browser script may read from a response, as DynamoDB lists them. */
    private static final String EXPOSED_HEADERS = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
    /** How long a browser may keep a preflight's answer; Chromium keeps none longer than 2 hours. */
    private static final String PREFLIGHT_MAX_AGE = "7200";

    @Inject
    EddyRuntime runtime;
    @Inject
    AccessCheck access;
    @Inject
    RequestAuthentication authentication;
    @Inject
    EddySettings settings;
    @Inject
    OperationMetrics metrics;
    @Inject
    RequestBodyLimits bodyLimits;

    /** Requests answered without a worker thread (every step on the event loop or Hot Rod's), since start. */
    private static final LongAdder WITHOUT_WORKER = new LongAdder();

    static long answeredWithoutWorker() {
        return WITHOUT_WORKER.sum();
    }

    /** The handler the router would run: everything this front does not serve. */
    private volatile Handler<HttpServerRequest> next;

    void next(Handler<HttpServerRequest> next) {
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        serve(request, next);
    }

    /** The front as the router's first route (see {@link FrontHook}): what it does not serve goes down the routes. */
    void handleInRouter(io.vertx.ext.web.RoutingContext rc) {
        serve(rc.request(), request -> rc.next());
    }

    private void serve(HttpServerRequest request, Handler<HttpServerRequest> next) {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            // CORS: any origin may call, as DynamoDB allows it (the signature is the access control);
            // set before anything answers, so the router's responses carry it too.
            request.response().putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        if (request.path().startsWith("/q/")) {
            next.handle(request);
            return;
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS) {
            preflight(request, origin != null);
        } else if (method == HttpMethod.GET && "/".equals(request.path())) {
            health(request);
        } else if (method == HttpMethod.POST && "/".equals(request.path()) && request.getHeader("X-Amz-Target") != null) {
            wire(request);
        } else {
            next.handle(request);
        }
    }

    /** CORS preflight: the method and headers asked for are allowed, for any origin. */
    private static void preflight(HttpServerRequest request, boolean cors) {
        HttpServerResponse response = request.response();
        if (cors) {
            String methods = request.getHeader("Access-Control-Request-Method");
            String headers = request.getHeader("Access-Control-Request-Headers");
            if (methods != null) {
                response.putHeader("Access-Control-Allow-Methods", methods);
            }
            if (headers != null) {
                response.putHeader("Access-Control-Allow-Headers", headers);
            }
            response.putHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
        }
        request.resume();
        response.putHeader("x-amzn-RequestId", WireResponses.requestId()).setStatusCode(200).end();
    }

    /**
     * {@code GET /}: DynamoDB's endpoints answer it with {@code healthy: <endpoint host> }, no
     * authentication asked (checked against dynamodb.us-west-2.amazonaws.com: 200, those 42 bytes, a
     * request id and the CRC32 header, no content type).
     */
    private void health(HttpServerRequest request) {
        request.resume();
        Buffer body = Buffer.buffer("healthy: dynamodb." + settings.region() + ".amazonaws.com ");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes());
        request.response().setStatusCode(200)
                .putHeader("x-amzn-RequestId", WireResponses.requestId())
                .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                .end(body);
    }

    // --- the wire protocol --------------------------------------------------------------------

    private void wire(HttpServerRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (!settings.role().servesRequests()) {
            refuse(request, contentType, Errors.notServing());
            return;
        }
        if (request.version() != HttpVersion.HTTP_2 && request.getHeader("Host") == null) {
            refuse(request, contentType, Errors.missingHost());
            return;
        }
        // the instance's body limits and budget of request bytes, as the router's routes have them
        HttpServerResponse response = request.response();
        if (!bodyLimits.admit(Vertx.currentContext().owner(), request, release -> {
            response.endHandler(v -> release.run());
            response.closeHandler(v -> release.run());
        })) {
            // Refused and answered: the body is read away (not kept), so that a client still sending it
            // gets to read the answer; the connection closes after it, and a body that stalls is cut
            // by the idle timeout.
            request.handler(chunk -> {
            });
            request.exceptionHandler(failure -> LOG.debugf("Request ended before its body did: %s", failure.toString()));
            request.resume();
            return;
        }
        long started = System.nanoTime();
        RequestBodyLimits.read(request, bodyLimits.maxBodyBytes()).onComplete(read -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (read.succeeded()) {
                dispatch(request, contentType, request.getHeader("X-Amz-Target"), read.result(), started);
            } else if (WireResponses.asDynamo(read.cause()) != null) {
                // chunked past the limit: answered, and the connection closed (its rest is unread)
                sendError(response, contentType, null, read.cause(), started);
                response.close();
            } else {
                // The client went away mid-request: nothing to answer, nothing wrong here.
                LOG.debugf("Request ended before its body did: %s", read.cause().toString());
            }
        });
    }

    /** An error answered before the body is read: the body is read away, so the connection can be used again. */
    private void refuse(HttpServerRequest request, String contentType, DynamoException error) {
        request.handler(chunk -> {
        });
        request.endHandler(v -> sendError(request.response(), contentType, null, error, System.nanoTime()));
        request.exceptionHandler(failure -> LOG.debugf("Request ended before its body did: %s", failure.toString()));
        request.resume();
    }

    private void dispatch(HttpServerRequest request, String contentType, String target, Buffer body, long started) {
        HttpServerResponse response = request.response();
        String operationName = operationName(target);
        Operations.Registered op;
        Caller caller;
        try {
            caller = authentication.verify(request, body);
            op = find(target);
        } catch (RuntimeException e) {
            sendError(response, contentType, operationName, e, started);
            return;
        }
        Eddy eddy = runtime.eddy();
        if (op.mayCompleteOnEventLoop() && !caller.restricted() && body.length() <= EVENT_LOOP_BODY_BYTES) {
            Context context = Vertx.currentContext();
            Executor loop = command -> {
                if (Vertx.currentContext() == context) {
                    command.run();
                } else {
                    context.runOnContext(v -> command.run());
                }
            };
            try {
                Prepared prepared = op.operation().prepare(eddy.request(op, body.getBytes()).receivedAt(started));
                prepared.run(loop).whenComplete((reply, failure) -> loop.execute(() -> {
                    if (failure != null) {
                        sendError(response, contentType, op.name(), failure, started);
                    } else {
                        WITHOUT_WORKER.increment();
                        sendReply(response, contentType, op.name(), reply, started);
                    }
                }));
            } catch (RuntimeException e) {
                sendError(response, contentType, op.name(), e, started);
            }
            return;
        }
        Vertx.currentContext().<Buffer>executeBlocking(() -> {
            byte[] bytes = body.getBytes();
            access.admit(caller, op, bytes, request.isSSL());
            Request r = eddy.request(op, bytes).receivedAt(started); // its wait for a worker counts
            Reply reply = Replies.await(op.operation().prepare(r).run(Runnable::run));
            return written(reply);
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                record(op.name(), started, null);
                WireResponses.send(response, 200, contentType, ar.result());
            } else {
                sendError(response, contentType, op.name(), ar.cause(), started);
            }
        });
    }

    private Operations.Registered find(String target) {
        Operations registry = runtime.eddy().operations();
        if (target.startsWith(STREAMS_PREFIX)) {
            return registry.findStreams(target.substring(STREAMS_PREFIX.length()));
        }
        if (!target.startsWith(DYNAMODB_PREFIX)) {
            throw Errors.unknownOperation();
        }
        return registry.find(target.substring(DYNAMODB_PREFIX.length()));
    }

    /** The operation a target header names, for metrics (what follows the service prefix). */
    private static String operationName(String target) {
        int dot = target.indexOf('.');
        return dot < 0 ? "" : target.substring(dot + 1);
    }

    private void sendReply(HttpServerResponse response, String contentType, String operation, Reply reply, long started) {
        Buffer body;
        try {
            body = written(reply);
        } catch (RuntimeException e) {
            sendError(response, contentType, operation, e, started);
            return;
        }
        record(operation, started, null);
        WireResponses.send(response, 200, contentType, body);
    }

    /** A reply written out as the response body, straight into the buffer the response sends. */
    private static Buffer written(Reply reply) {
        Buffer body = Buffer.buffer(256);
        try (JsonGenerator g = JSON.createGenerator(new BufferStream(body))) {
            g.writeStartObject();
            reply.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body;
    }

    private void sendError(HttpServerResponse response, String contentType, String operation, Throwable failure,
                           long started) {
        if (response.ended() || response.closed()) {
            return; // the client went away: nobody to tell
        }
        DynamoException error = WireResponses.answerFor(failure);
        WireResponses.log(error, failure);
        if (operation != null) {
            record(operation, started, error.type());
        }
        WireResponses.send(response, error.status(), contentType, Buffer.buffer(WireResponses.errorBody(error)));
    }

    /** Counts a wire-protocol request (the Funqy and CloudEvent ones are counted by OperationFunctions). */
    private void record(String operation, long started, String errorType) {
        // a name no operation has is counted as "unknown": clients do not get to make series
        metrics.record("UnknownOperationException".equals(errorType) ? "unknown" : operation, "wire", started, errorType);
    }

    /** Jackson writes its chunks straight into the response's buffer. */
    private static final class BufferStream extends OutputStream {
        private final Buffer buffer;

        BufferStream(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.appendBytes(b, off, len);
        }
    }
}

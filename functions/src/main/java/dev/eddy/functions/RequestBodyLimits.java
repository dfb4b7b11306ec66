package dev.eddy.functions;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What an instance takes in request bodies, so that a flood of large or never-finished bodies
 * cannot run its heap out or hold it for good (issue 15, overload): before a body is read, a
 * request announcing more than {@code quarkus.http.limits.max-body-size} (16 MB, DynamoDB's largest
 * request) is refused, and the bytes it may need (its Content-Length, or the largest body when
 * chunked) are taken from a budget of request bytes held at once
 * ({@code eddy.http.max-buffered-request-bytes}); a request that does not fit is answered 503
 * ServiceUnavailable, which the AWS SDKs retry. Large bodies may fill three quarters of the budget
 * only, so ordinary requests still get in while large ones wait. A body not received within
 * {@code quarkus.http.read-timeout} has its connection closed. A refused request's body is dropped as
 * it arrives, never held. (Connections and idle ones are bounded by
 * Quarkus: {@code quarkus.http.limits.max-connections}, {@code quarkus.http.idle-timeout}.)
 *
 * <p>It runs first on the router, ahead of the body handler; a front that reads {@code POST /}
 * before the router must call {@link #admit} and read bodies with {@link #read} the same way.
 */
@ApplicationScoped
public class RequestBodyLimits {
    /** Bodies above this share the budget's first three quarters only. */
    static final long LARGE = 1024 * 1024;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;
    @ConfigProperty(name = "quarkus.http.read-timeout", defaultValue = "60S")
    Duration readTimeout;
    @Inject
    EddySettings settings;

    private final AtomicLong held = new AtomicLong();

    void routes(@Observes Router router) {
        // Before Quarkus' body handler, which Funqy requires and which reads every body into memory
        // before any later route sees the request: past it, the budget would bound nothing.
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1).handler(rc -> {
            if (admit(rc.vertx(), rc.request(), release -> rc.addEndHandler(ended -> release.run()))) {
                rc.next();
            }
        });
    }

    long maxBodyBytes() {
        return maxBodySize.asLongValue();
    }

    /** Request bytes held now (reserved for bodies being read or waiting for their answer). */
    long held() {
        return held.get();
    }

    /**
     * Lets a request's body in, or answers the request itself (and closes its connection); true when
     * it may go on. {@code whenDone} is given what must run once the response has ended or the
     * connection closed (it gives back what the request took from the budget).
     */
    boolean admit(Vertx vertx, HttpServerRequest request, Consumer<Runnable> whenDone) {
        if (request.isEnded()) {
            return true; // no body to come (a GET, or a body already read)
        }
        String length = request.getHeader("Content-Length");
        long bytes;
        if (length != null) {
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = maxBodyBytes();
            }
            if (bytes > maxBodyBytes()) {
                refuse(vertx, request, Errors.requestBodyTooLarge(operation(request)));
                return false;
            }
        } else {
            bytes = maxBodyBytes(); // chunked: as much as a body may grow
        }
        long budget = settings.http().maxBufferedRequestBytes().asLongValue();
        long limit = bytes > LARGE ? budget - budget / 4 : budget;
        long reserved = bytes;
        if (held.addAndGet(reserved) > limit) {
            held.addAndGet(-reserved);
            refuse(vertx, request, Errors.tooManyRequestBytes());
            return false;
        }
        AtomicBoolean released = new AtomicBoolean();
        long timer = vertx.setTimer(readTimeout.toMillis(), id -> {
            if (!request.isEnded()) {
                request.connection().close(); // a body not received in time: its connection goes
            }
        });
        whenDone.accept(() -> {
            if (released.compareAndSet(false, true)) {
                held.addAndGet(-reserved);
                vertx.cancelTimer(timer);
            }
        });
        return true;
    }

    /**
     * The request's body, read up to {@code max} bytes: a chunked body that grows past it fails with
     * DynamoDB's error for too large a request, and its connection is closed.
     */
    static Future<Buffer> read(HttpServerRequest request, long max) {
        Promise<Buffer> body = Promise.promise();
        Buffer buffer = Buffer.buffer();
        request.handler(chunk -> {
            if (buffer.length() + chunk.length() > max) {
                request.handler(null);
                body.tryFail(Errors.requestBodyTooLarge(operation(request)));
                request.response().putHeader("Connection", "close");
                return;
            }
            buffer.appendBuffer(chunk);
        });
        request.exceptionHandler(body::tryFail);
        request.endHandler(v -> body.tryComplete(buffer));
        request.resume();
        return body.future();
    }

    private static String operation(HttpServerRequest request) {
        String target = request.getHeader("X-Amz-Target");
        if (target != null && target.indexOf('.') > 0) {
            return target.substring(target.indexOf('.') + 1);
        }
        String path = request.path();
        return path != null && path.length() > 1 ? path.substring(1) : "The";
    }

    /**
     * Answers at once, then drops the body as it arrives (nothing of it is held), so that a client
     * still sending it reads the answer once it is done; the connection closes then, or when the read
     * timeout passes.
     */
    private void refuse(Vertx vertx, HttpServerRequest request, DynamoException error) {
        byte[] body = WireResponses.errorBody(error);
        request.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("x-amzn-RequestId", WireResponses.requestId())
                .putHeader("Connection", "close")
                .end(Buffer.buffer(body));
        long timer = vertx.setTimer(readTimeout.toMillis(), id -> request.connection().close());
        request.handler(dropped -> { });
        request.endHandler(ended -> {
            vertx.cancelTimer(timer);
            request.connection().close();
        });
        request.resume();
    }
}

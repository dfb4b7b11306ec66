package dev.eddy.functions.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A span per DynamoDB operation, {@code DynamoDB.PutItem} (the name the AWS SDKs give their client
 * spans), with the RPC attributes tracing backends group by and the DynamoDB error type of a refused
 * request. It is a child of the request's HTTP server span (Quarkus's Vert.x instrumentation, which
 * names that one after the route), covering the time the metrics measure. With tracing off there is
 * no valid current span and this costs one check.
 */
@ApplicationScoped
public class OperationSpans {
    private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    @Inject
    Tracer tracer;

    /**
     * @param nanos     how long the operation took, ending now
     * @param errorType the DynamoDB error type the request was answered with, or null
     */
    public void finished(String operation, long nanos, String errorType) {
        if (!Span.current().getSpanContext().isValid() || operation == null || operation.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Span span = tracer.spanBuilder("DynamoDB." + operation)
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(now.minusNanos(nanos))
                .setAttribute(RPC_SYSTEM, "aws-api")
                .setAttribute(RPC_SERVICE, "DynamoDB")
                .setAttribute(RPC_METHOD, operation)
                .startSpan();
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR, errorType);
        }
        span.end(now.getEpochSecond() * 1_000_000_000L + now.getNano(), TimeUnit.NANOSECONDS);
    }
}

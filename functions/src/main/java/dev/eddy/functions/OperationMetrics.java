package dev.eddy.functions;

import dev.eddy.functions.tracing.OperationSpans;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per operation: requests, errors by DynamoDB error type, and a latency histogram, for the wire
 * endpoint ({@code transport=wire}) and the Funqy functions ({@code transport=function}) alike.
 * Meters are made once per (operation, transport) and kept, so a request costs two map lookups
 * and the increments.
 */
@ApplicationScoped
public class OperationMetrics {
    static final String REQUESTS = "eddy.requests";
    static final String ERRORS = "eddy.errors";
    static final String DURATION = "eddy.request.duration";

    @Inject
    MeterRegistry registry;
    @Inject
    OperationSpans spans;

    private record Meters(Counter requests, Timer duration) {
    }

    /** By transport, then operation: a request looks its meters up without building a key. */
    private final Map<String, Map<String, Meters>> meters = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    /** One finished request; {@code errorType} is null for a success. */
    public void record(String operation, String transport, long startNanos, String errorType) {
        long nanos = System.nanoTime() - startNanos;
        spans.finished(operation, nanos, errorType);
        Meters m = meters.computeIfAbsent(transport, t -> new ConcurrentHashMap<>()).computeIfAbsent(operation, k -> new Meters(
                Counter.builder(REQUESTS).description("Requests by operation")
                        .tags("operation", operation, "transport", transport).register(registry),
                Timer.builder(DURATION).description("Time from request to response, by operation")
                        .tags("operation", operation, "transport", transport)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry)));
        m.requests().increment();
        m.duration().record(nanos, TimeUnit.NANOSECONDS);
        if (errorType != null) {
            errors.computeIfAbsent(operation + '|' + transport + '|' + errorType, k -> Counter.builder(ERRORS)
                    .description("Requests answered with an error, by operation and DynamoDB error type")
                    .tags("operation", operation, "transport", transport, "type", errorType)
                    .register(registry)).increment();
        }
    }
}

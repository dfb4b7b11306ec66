package dev.eddy.functions.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A stream record sent with tracing on carries its producer span's context in a traceparent header. */
class StreamRecordTracingTest {
    private final List<SpanData> exported = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        StreamRecordTracing.use(null);
    }

    @Test
    void aSentRecordCarriesItsSpanAsTraceparent() {
        SpanExporter collect = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                exported.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(collect)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build()) {
            StreamRecordTracing.use(sdk);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("eddy.stream.Orders.1", new byte[] {1}, new byte[] {2});
            // a record sent again (after a discarded producer) keeps one traceparent, the latest
            new StreamRecordTracing().onSend(record);
            ProducerRecord<byte[], byte[]> sent = new StreamRecordTracing().onSend(record);
            assertEquals(2, exported.size());
            SpanData span = exported.get(1);
            assertEquals("publish eddy.stream.Orders.1", span.getName());
            Header traceparent = sent.headers().lastHeader("traceparent");
            assertNotNull(traceparent);
            assertEquals(1, sent.headers().toArray().length);
            assertEquals("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01",
                    new String(traceparent.value(), StandardCharsets.UTF_8));
        }
    }
}

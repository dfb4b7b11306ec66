package dev.eddy.functions.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka's interceptor hook, set on Eddy's clients when tracing is on: each stream record sent gets
 * a producer span ({@code publish <topic>}) and carries its context in the record's headers
 * ({@code traceparent}, W3C trace context), so a consumer of the stream topic (a trigger, a Knative
 * KafkaSource, any Kafka client) continues the trace. A record published while a request is being
 * served is a child of that request's span; one the publisher sends later from a table's durable
 * outbox starts its own trace. It is a consumer interceptor too only because Eddy gives its
 * producers, consumers and admin clients one set of properties; consuming passes records through.
 */
public final class StreamRecordTracing implements ProducerInterceptor<byte[], byte[]>, ConsumerInterceptor<byte[], byte[]> {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final TextMapSetter<Headers> HEADERS = (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    };

    /** Set by the runtime to the application's OpenTelemetry; the global one (a no-op) until then. */
    private static volatile OpenTelemetry telemetry;

    public static void use(OpenTelemetry openTelemetry) {
        telemetry = openTelemetry;
    }

    private static OpenTelemetry telemetry() {
        OpenTelemetry t = telemetry;
        return t != null ? t : GlobalOpenTelemetry.get();
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        OpenTelemetry t = telemetry();
        Span span = t.getTracer("eddy.streams").spanBuilder("publish " + record.topic())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "publish")
                .startSpan();
        try {
            if (span.getSpanContext().isValid()) {
                t.getPropagators().getTextMapPropagator().inject(Context.current().with(span), record.headers(), HEADERS);
            }
        } finally {
            span.end();
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}

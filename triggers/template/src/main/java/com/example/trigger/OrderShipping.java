package com.example.trigger;

import dev.eddy.triggers.model.AttributeValue;
import dev.eddy.triggers.model.DynamodbEvent;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import dev.eddy.triggers.model.StreamsEventResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * A trigger on an orders table: when an order's {@code status} becomes {@code PAID}, ship it. Two
 * entry points, one logic:
 * <ul>
 * <li>{@code POST /shipping}: a batch, as an event source mapping (CreateEventSourceMapping against
 * Eddy) sends it: {@code {"Records":[...]}}. The answer names the first record that failed, so only
 * the rest is sent again (FunctionResponseTypes ReportBatchItemFailures).</li>
 * <li>{@code POST /} with a CloudEvent: one record, as a Knative KafkaSource on the table's changes
 * topic sends it (type aws.dynamodb.stream.INSERT, MODIFY or REMOVE; every type goes to
 * {@code shippingRecord}, see application.properties). A failure is an error answer, which the
 * source retries.</li>
 * </ul>
 * Records of one item arrive in order, and at least once: make the work idempotent (here, an
 * order is shipped once however often its change arrives).
 */
@ApplicationScoped
public class OrderShipping {
    private static final Logger LOG = Logger.getLogger(OrderShipping.class);

    /** What was shipped: stands for your real side effect (a message, a call, a write back to Eddy). */
    private final List<String> shipped = new CopyOnWriteArrayList<>();

    public List<String> shipped() {
        return shipped;
    }

    @Funq("shipping")
    public StreamsEventResponse shipping(DynamodbEvent event) {
        for (DynamodbStreamRecord record : event.records()) {
            try {
                handle(record);
            } catch (RuntimeException e) {
                LOG.warnf("Order change %s failed: %s", record.eventId(), e.getMessage());
                return StreamsEventResponse.failedFrom(record);
            }
        }
        return StreamsEventResponse.success();
    }

    @Funq("shippingRecord")
    public void shippingRecord(DynamodbStreamRecord record) {
        handle(record);
    }

    private void handle(DynamodbStreamRecord record) {
        if (DynamodbStreamRecord.REMOVE.equals(record.eventName())) {
            return;
        }
        Map<String, AttributeValue> order = record.dynamodb().newImage();
        if (order == null) {
            throw new IllegalStateException("the stream carries no new images: enable it with NEW_IMAGE or NEW_AND_OLD_IMAGES");
        }
        boolean paid = "PAID".equals(text(order, "status"));
        boolean wasPaid = record.dynamodb().oldImage() != null && "PAID".equals(text(record.dynamodb().oldImage(), "status"));
        String orderId = text(order, "orderId");
        if (paid && !wasPaid && !shipped.contains(orderId)) {
            shipped.add(orderId);
            LOG.infof("Shipping order %s of %s", orderId, record.tableName());
        }
    }

    private static String text(Map<String, AttributeValue> item, String attribute) {
        AttributeValue v = item.get(attribute);
        return v == null ? null : v.s();
    }
}

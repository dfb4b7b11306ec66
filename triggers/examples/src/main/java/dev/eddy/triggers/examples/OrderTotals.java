package dev.eddy.triggers.examples;

import dev.eddy.triggers.model.DynamodbEvent;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import dev.eddy.triggers.model.StreamsEventResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Per-customer order totals kept up to date from an orders table's stream. The orders table has
 * the customer as partition key ({@code order-totals.customer-attribute}, default
 * {@code customerId}) and an amount attribute ({@code order-totals.amount-attribute}, default
 * {@code total}); the totals go to {@code order-totals.table} (default {@code CustomerTotals}):
 * one item per customer with {@code OrderCount} and {@code OrderTotal}.
 *
 * <p>For each customer a batch touches, the trigger reads the customer's orders with a
 * consistent Query and writes the sum. Recomputing from the table instead of adding deltas makes
 * the trigger idempotent: a batch delivered twice, records arriving late, or a record given up on
 * cannot skew a total; the next change to any of the customer's orders puts it right.
 */
@ApplicationScoped
public class OrderTotals {

    private static final Logger LOG = Logger.getLogger(OrderTotals.class);

    @Inject
    DynamoDbClient dynamo;

    @ConfigProperty(name = "order-totals.table", defaultValue = "CustomerTotals")
    String totalsTable;
    @ConfigProperty(name = "order-totals.customer-attribute", defaultValue = "customerId")
    String customerAttribute;
    @ConfigProperty(name = "order-totals.amount-attribute", defaultValue = "total")
    String amountAttribute;

    /** A batch from the dispatcher: {@code POST /orderTotals}. */
    @Funq("orderTotals")
    public StreamsEventResponse orderTotals(DynamodbEvent event) {
        EddyTables.ensure(dynamo, totalsTable, customerAttribute, null);
        Set<String> done = new HashSet<>();
        for (DynamodbStreamRecord record : event.records()) {
            var customer = record.dynamodb().keys().get(customerAttribute);
            if (customer == null || customer.s() == null || !done.add(customer.s())) {
                continue;
            }
            try {
                recompute(record.tableName(), customer.s());
            } catch (SdkException e) {
                // customers of earlier records are done; retry from the first record of this one
                LOG.warnf("Totals of %s failed, asking for a retry from %s: %s", customer.s(), record.eventId(),
                        e.getMessage());
                return StreamsEventResponse.failedFrom(record);
            }
        }
        return StreamsEventResponse.success();
    }

    private void recompute(String ordersTable, String customer) {
        BigDecimal total = BigDecimal.ZERO;
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(q -> q.tableName(ordersTable).consistentRead(true)
                    .keyConditionExpression("#c = :c")
                    .projectionExpression("#a")
                    .expressionAttributeNames(Map.of("#c", customerAttribute, "#a", amountAttribute))
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(customer)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> order : page.items()) {
                AttributeValue amount = order.get(amountAttribute);
                if (amount != null && amount.n() != null) {
                    total = total.add(new BigDecimal(amount.n()));
                }
                count++;
            }
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        String sum = total.toPlainString();
        String orders = String.valueOf(count);
        dynamo.putItem(p -> p.tableName(totalsTable).item(Map.of(customerAttribute, AttributeValue.fromS(customer),
                "OrderCount", AttributeValue.fromN(orders), "OrderTotal", AttributeValue.fromN(sum))));
    }
}

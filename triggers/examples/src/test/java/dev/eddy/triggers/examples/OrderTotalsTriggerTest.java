package dev.eddy.triggers.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The aggregate trigger: per-customer order count and total, kept up to date in Eddy. */
@QuarkusTest
@QuarkusTestResource(value = EddyProcess.class, restrictToAnnotatedClass = false)
class OrderTotalsTriggerTest extends TriggerTestBase {

    @TestHTTPResource("/orderTotals")
    URL orderTotals;

    @Test
    void totalsFollowInsertsUpdatesAndDeletes() throws Exception {
        TableChanges orders = ordersTable();
        trigger(orders.topic(), orderTotals.toString());

        orders.put(order("alice", "o-1", "10.50"));
        orders.put(order("alice", "o-2", "4.25"));
        orders.put(order("bob", "o-9", "100"));
        eventually(() -> {
            assertTotals("alice", "2", "14.75");
            assertTotals("bob", "1", "100");
        });

        orders.update(orderKey("alice", "o-2"), "SET #t = :t", Map.of("#t", "total"), Map.of(":t", AttributeValue.fromN("5.25")));
        orders.delete(orderKey("alice", "o-1"));
        eventually(() -> assertTotals("alice", "1", "5.25"));

        orders.delete(orderKey("bob", "o-9"));
        eventually(() -> assertTotals("bob", "0", "0"));
    }

    private void assertTotals(String customer, String count, String total) {
        Map<String, AttributeValue> totals = dynamo.getItem(r -> r.tableName("CustomerTotals").consistentRead(true)
                .key(Map.of("customerId", AttributeValue.fromS(customer)))).item();
        assertEquals(count, totals.get("OrderCount").n(), customer + " order count");
        assertEquals(0, new java.math.BigDecimal(total).compareTo(new java.math.BigDecimal(totals.get("OrderTotal").n())),
                customer + " total " + totals.get("OrderTotal").n());
    }
}

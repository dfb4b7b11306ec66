package com.example.trigger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trigger over HTTP, as Eddy and a KafkaSource call it, fed a stream event recorded from Eddy
 * (src/test/resources/orders-stream-event.json): an order inserted, then paid, and another removed.
 */
@QuarkusTest
class OrderShippingTest {
    @Inject
    OrderShipping trigger;

    @BeforeEach
    void forget() {
        trigger.shipped().clear();
    }

    @Test
    void aBatchFromAnEventSourceMappingShipsThePaidOrderOnce() throws IOException {
        String event = recorded();
        for (int delivery = 0; delivery < 2; delivery++) { // at least once: the same batch may come again
            given().contentType("application/json").body(event)
                    .when().post("/shipping")
                    .then().statusCode(200).body("batchItemFailures", empty());
        }
        assertEquals(List.of("o-1"), trigger.shipped());
    }

    @Test
    void aFailingRecordIsReportedSoOnlyTheRestIsSentAgain() {
        String event = """
                {"Records":[{"eventID":"e-1","eventName":"INSERT","dynamodb":{"Keys":{"orderId":{"S":"o-5"}},
                  "SequenceNumber":"000000000000000000007","StreamViewType":"KEYS_ONLY"}}]}""";
        given().contentType("application/json").body(event)
                .when().post("/shipping")
                .then().statusCode(200).body("batchItemFailures[0].itemIdentifier", equalTo("000000000000000000007"));
    }

    @Test
    void oneRecordAsAKafkaSourceDeliversEddysCloudEvent() throws IOException {
        String paid = recorded().lines().filter(l -> l.contains("\"MODIFY\"")).findFirst().orElseThrow();
        paid = paid.endsWith(",") ? paid.substring(0, paid.length() - 1) : paid;
        given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-type", "aws.dynamodb.stream.MODIFY")
                .header("ce-source", "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-12-05T21:14:03.118")
                .header("ce-id", "a41d6c0b2e9f47d38c5b1e0f6a2d9c37")
                .body(paid)
                .when().post("/")
                .then().statusCode(204);
        assertEquals(List.of("o-1"), trigger.shipped());
    }

    private static String recorded() throws IOException {
        try (InputStream in = OrderShippingTest.class.getResourceAsStream("/orders-stream-event.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}

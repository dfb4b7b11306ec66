package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.core.error.Errors;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import org.infinispan.client.hotrod.exceptions.TransportException;
import org.junit.jupiter.api.Test;

/**
 * What a request is answered with when the store's servers cannot be reached (the whole Infinispan
 * cluster restarting): ServiceUnavailable with HTTP 503, which the AWS SDKs retry, not a 500.
 */
class StoreUnavailableAnswerTest {
    @Test
    void anUnreachableStoreIsServiceUnavailable() {
        Throwable failure = new CompletionException(new TransportException("connection refused",
                new java.net.ConnectException("Connection refused"), new InetSocketAddress("127.0.0.1", 11222)));
        var answer = WireResponses.answerFor(failure);
        assertEquals("ServiceUnavailable", answer.type());
        assertEquals(503, answer.status());
    }

    @Test
    void aTimedOutStoreRequestIsServiceUnavailable() {
        var answer = WireResponses.answerFor(new TransportException(new SocketTimeoutException("timed out after 2000 ms"),
                new InetSocketAddress("127.0.0.1", 11222)));
        assertEquals(503, answer.status());
    }

    @Test
    void anErrorOfItsOwnIsKept() {
        var answer = WireResponses.answerFor(new CompletionException(Errors.validation("bad")));
        assertEquals("ValidationException", answer.type());
        assertEquals(400, answer.status());
    }

    @Test
    void anythingElseIsAnInternalServerError() {
        var answer = WireResponses.answerFor(new IllegalStateException("a bug"));
        assertEquals("InternalServerError", answer.type());
        assertEquals(500, answer.status());
    }
}

package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.core.error.Errors;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import org.infinispan.client.hotrod.exceptions.HotRodClientException;
import org.infinispan.client.hotrod.exceptions.RemoteIllegalLifecycleStateException;
import org.infinispan.client.hotrod.exceptions.RemoteNodeSuspectException;
import org.infinispan.client.hotrod.exceptions.TransportException;
import org.junit.jupiter.api.Test;

/**
 * What a request is answered with when the store cannot serve it now (its servers out of reach, the
 * whole Infinispan cluster restarting, a cache degraded by a network partition, a node suspected or
 * stopping): ServiceUnavailable with HTTP 503, which the AWS SDKs retry, not a 500. The server errors
 * are written as Infinispan 16's Hot Rod server sends them (its exception and causes, as text);
 * PartitionedStoreTest meets the partition's for real.
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

    /** A server error as the Hot Rod client reports it: the server's exception and its causes, as text. */
    private static HotRodClientException serverError(String serverText, int status) {
        return new HotRodClientException(serverText, 7, status);
    }

    @Test
    void aCacheDegradedByAPartitionIsServiceUnavailable() {
        var answer = WireResponses.answerFor(new CompletionException(serverError(
                "org.infinispan.partitionhandling.AvailabilityException: ISPN000306: Key 'WrappedByteArray[0x01]' is "
                        + "not available. Not all owners are in this partition", 0x85)));
        assertEquals("ServiceUnavailable", answer.type());
        assertEquals(503, answer.status());
    }

    @Test
    void aClusterWaitingForItsMembersOrTimingOutIsServiceUnavailable() {
        assertEquals(503, WireResponses.answerFor(serverError("org.infinispan.commons.CacheException: "
                + "org.infinispan.topology.MissingMembersException: ISPN000689: Recovering cache 'eddy.catalog' but "
                + "there are missing members", 0x85)).status());
        assertEquals(503, WireResponses.answerFor(serverError("org.infinispan.util.concurrent.TimeoutException: "
                + "ISPN000476: Timed out waiting for responses for request 12 from node-2", 0x86)).status());
        // Infinispan 16's own class for a replication that timed out (seen in fault scenario 6 as a 500)
        assertEquals(503, WireResponses.answerFor(serverError("org.infinispan.commons.TimeoutException: "
                + "ISPN000427: Timeout after 15 seconds waiting for acks ([node1]). Id=89, Topology Id=9", 0x86)).status());
    }

    @Test
    void aNodeSuspectedOrStoppingIsServiceUnavailable() {
        assertEquals(503, WireResponses.answerFor(new RemoteNodeSuspectException(
                "org.infinispan.remoting.transport.jgroups.SuspectException: ISPN000400: Node node-2 was suspected", 7,
                (short) 0x87)).status());
        assertEquals(503, WireResponses.answerFor(new RemoteIllegalLifecycleStateException(
                "org.infinispan.commons.IllegalLifecycleStateException: ISPN000324: Cache 'eddy.catalog' is in "
                        + "'STOPPING' state", 7, (short) 0x88, new InetSocketAddress("127.0.0.1", 11222))).status());
    }

    @Test
    void anyOtherServerErrorIsAnInternalServerError() {
        var answer = WireResponses.answerFor(serverError("java.lang.NullPointerException: a bug on the server", 0x85));
        assertEquals("InternalServerError", answer.type());
        assertEquals(500, answer.status());
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

package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bound on request bytes an instance holds at once (issue 15, overload), at its defaults: a
 * chunked body may grow to the largest request (17 MB), large bodies may take three quarters of the
 * 64 MB budget, so two unfinished chunked bodies fill it and a third is refused with 503 before
 * any of its body is read, instead of being buffered until the heap runs out. Closing the two
 * gives their share back.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class RequestBodyLimitsTest extends DynamoTestBase {

    private Socket halfSentChunkedBody() throws Exception {
        Socket s = new Socket(endpoint.getHost(), endpoint.getPort());
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.BatchWriteItem\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** The status line the server answered with (before the body was sent in full). */
    private static String status(Socket s) throws Exception {
        byte[] head = new byte[12];
        try {
            int read = s.getInputStream().readNBytes(head, 0, head.length);
            return new String(head, 0, read, StandardCharsets.US_ASCII);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer in 30 s to a body that does not fit the budget", e);
        }
    }

    @Test
    void aBodyThatDoesNotFitTheBudgetIsRefusedUnreadAndTheBudgetComesBack() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            held.add(halfSentChunkedBody());
            held.add(halfSentChunkedBody());
            Thread.sleep(500); // both admitted and being read
            try (Socket third = halfSentChunkedBody()) {
                assertEquals("HTTP/1.1 503", status(third));
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        // the closed connections gave their share back: the next large body is admitted (and read)
        long deadline = System.currentTimeMillis() + 10_000;
        String text;
        do {
            Thread.sleep(200);
            try (Socket again = halfSentChunkedBody()) {
                again.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                again.getOutputStream().flush();
                text = status(again);
            }
        } while (text.startsWith("HTTP/1.1 503") && System.currentTimeMillis() < deadline);
        assertTrue(text.startsWith("HTTP/1.1 4"), "a finished body of spaces is read and refused as bad JSON: " + text);
    }
}

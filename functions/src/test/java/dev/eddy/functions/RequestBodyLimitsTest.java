package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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

    /** What the server answered on the connection, up to its close (which must come: the body was refused unread). */
    private static String answer(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer and no close in 30 s; got: " + all.toString(StandardCharsets.UTF_8), e);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBodyThatDoesNotFitTheBudgetIsRefusedUnreadAndTheBudgetComesBack() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            held.add(halfSentChunkedBody());
            held.add(halfSentChunkedBody());
            Thread.sleep(500); // both admitted and being read
            try (Socket third = halfSentChunkedBody()) {
                String text = answer(third);
                assertTrue(text.startsWith("HTTP/1.1 503"), text);
                assertTrue(text.contains("ServiceUnavailable"), text);
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
                again.setSoTimeout(10_000);
                byte[] head = new byte[12];
                int read = again.getInputStream().readNBytes(head, 0, head.length);
                text = new String(head, 0, read, StandardCharsets.US_ASCII);
            }
        } while (text.startsWith("HTTP/1.1 503") && System.currentTimeMillis() < deadline);
        assertTrue(text.startsWith("HTTP/1.1 4"), "a finished body of spaces is read and refused as bad JSON: " + text);
    }
}

package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection limit of one instance (issue 15, overload; fault suite scenario 7 found it closing
 * nothing): connections that never send a byte count against {@code quarkus.http.limits.max-connections}
 * from the moment they are accepted, those past the limit are closed at once, the others are closed
 * once idle for {@code quarkus.http.idle-timeout}, and then a new client is served again. Here the
 * limit is 50, and the idle timeout long enough that the ones within it are still open when counted.
 */
@QuarkusTest
@TestProfile(ConnectionLimitTest.FiftyConnections.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ConnectionLimitTest extends DynamoTestBase {
    static final int LIMIT = 50;
    static final int OPENED = 80;

    public static class FiftyConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-connections", Integer.toString(LIMIT),
                    "quarkus.http.idle-timeout", "15S");
        }
    }

    private Socket idleConnection() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 10_000);
        return s;
    }

    /** Whether the server has closed this connection: a read finds its end (or a reset) within the wait. */
    private static boolean closedByServer(Socket s, int waitMillis) throws IOException {
        s.setSoTimeout(waitMillis);
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnceIdleOnesLaterAndThenANewClientIsServed() throws Exception {
        List<Socket> open = new ArrayList<>();
        List<Socket> closed = new ArrayList<>();
        try {
            for (int i = 0; i < OPENED; i++) {
                open.add(idleConnection());
            }
            // those past the limit go as they arrive (the client's pooled connection, if still open, is one more)
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (closed.size() < OPENED - LIMIT && System.nanoTime() < until) {
                for (java.util.Iterator<Socket> it = open.iterator(); it.hasNext(); ) {
                    Socket s = it.next();
                    if (closedByServer(s, 10)) {
                        closed.add(s);
                        it.remove();
                    }
                }
            }
            assertTrue(closed.size() >= OPENED - LIMIT, closed.size() + " of " + OPENED
                    + " idle connections closed by the server at once, past a limit of " + LIMIT);
            assertFalse(open.isEmpty(), "the connections within the limit stay until they have been idle a while");
            // and those go once idle for the idle timeout
            for (Socket s : open) {
                assertTrue(closedByServer(s, 120_000), "an idle connection within the limit is closed after the idle timeout");
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
            for (Socket s : closed) {
                s.close();
            }
        }
        try (var fresh = client(endpoint.toURI())) {
            assertTrue(fresh.listTables().sdkHttpResponse().isSuccessful(), "a new client is served once the others went");
        }
    }
}

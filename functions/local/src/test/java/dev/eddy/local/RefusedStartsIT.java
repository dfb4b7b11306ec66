package dev.eddy.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start that cannot work is refused before anything starts, in one line that says why (issue 17,
 * item 12): a second app on a data directory in use, and a port another process holds.
 */
class RefusedStartsIT {

    @Test
    void aSecondAppOnTheSameDataDirectorySaysEddyIsRunningThere() throws Exception {
        Path work = Files.createTempDirectory("eddy-second");
        Path data = work.resolve("data");
        Map<String, String> first = new HashMap<>(LocalApp.embeddedPorts());
        first.put("eddy.data-dir", data.toString());
        try (LocalApp running = LocalApp.start(work, first)) {
            Map<String, String> second = new HashMap<>(LocalApp.embeddedPorts());
            second.put("eddy.data-dir", data.toString());
            LocalApp refused = LocalApp.launch(work, second, LocalApp.freePort());
            assertNotEquals(0, refused.awaitExit());
            String out = refused.output();
            assertTrue(out.contains("Eddy is already running on data directory " + data.toAbsolutePath().normalize()
                    + " (process " + running.pid() + ")"), out);
            assertQuietRefusal(out);
            // The running app is untouched.
            try (DynamoDbClient client = running.client()) {
                client.listTables();
            }
        }
    }

    @Test
    void aBusyEndpointPortIsNamedAndNothingStarts() throws Exception {
        Path work = Files.createTempDirectory("eddy-busy-http");
        Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", work.resolve("data").toString());
        try (ServerSocket taken = listener()) {
            LocalApp refused = LocalApp.launch(work, config, taken.getLocalPort());
            assertNotEquals(0, refused.awaitExit());
            String out = refused.output();
            assertTrue(out.contains("port 127.0.0.1:" + taken.getLocalPort() + " (quarkus.http.port, the DynamoDB endpoint)"
                    + " is in use by another process"), out);
            assertQuietRefusal(out);
            assertNothingStarted(work.resolve("data"), out);
        }
    }

    @Test
    void aBusyKafkaPortIsNamedBeforeInfinispanStarts() throws Exception {
        Path work = Files.createTempDirectory("eddy-busy-kafka");
        try (ServerSocket taken = listener()) {
            Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
            config.put("eddy.embedded.kafka-port", Integer.toString(taken.getLocalPort()));
            config.put("eddy.data-dir", work.resolve("data").toString());
            LocalApp refused = LocalApp.launch(work, config, LocalApp.freePort());
            assertNotEquals(0, refused.awaitExit());
            String out = refused.output();
            assertTrue(out.contains("port 127.0.0.1:" + taken.getLocalPort()
                    + " (eddy.embedded.kafka-port, the embedded Kafka) is in use by another process"), out);
            assertQuietRefusal(out);
            assertNothingStarted(work.resolve("data"), out);
        }
    }

    /** One line says why: no stack trace, nothing from Infinispan or Kafka. */
    private static void assertQuietRefusal(String out) {
        assertFalse(out.contains("\tat "), out);
        assertFalse(out.contains("ISPN"), out);
        assertFalse(out.contains("Exception"), out);
        assertTrue(out.lines().count() <= 3, out);
    }

    /** Neither the Infinispan node nor the Kafka broker began: no data of theirs, no start line. */
    private static void assertNothingStarted(Path data, String out) {
        assertFalse(Files.exists(data.resolve("infinispan")), "Infinispan started: " + out);
        assertFalse(Files.exists(data.resolve("kafka")), "Kafka started: " + out);
        assertEquals(-1, out.indexOf("Listening on"), out);
    }

    private static ServerSocket listener() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return s;
    }
}

package dev.eddy.functions;

import dev.eddy.functions.security.AuthModes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application's authentication modes, as an operator starts it: the embedded default
 * runs open but on loopback only and says so; one setting turns authentication on (and it then
 * listens on every interface); the function role refuses to start without credentials. Where it
 * listens is read from the kernel's socket table, not by connecting to another address.
 */
class AuthModesIT {
    private static final InfinispanCluster CLUSTER = new InfinispanCluster();
    private static String servers;

    @BeforeAll
    static void cluster() {
        servers = CLUSTER.startNodes(2);
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    private record Run(Process process, Path log, int port) {
        String output() throws Exception {
            return Files.readString(log);
        }
    }

    private static Run start(Path dir, Map<String, String> properties) throws Exception {
        int port = InfinispanCluster.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dquarkus.http.port=" + port, "-Deddy.infinispan.servers=" + servers));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(AppProcess.jar().toAbsolutePath().toString());
        Files.createDirectories(dir);
        Path log = Files.createTempFile(dir, "app-", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Run run = new Run(p, log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive() && !run.output().contains("Listening on")) {
            Thread.sleep(200);
        }
        return run;
    }

    private static void stop(Run run) throws Exception {
        run.process().destroy();
        if (!run.process().waitFor(60, TimeUnit.SECONDS)) {
            run.process().destroyForcibly().waitFor();
        }
    }

    /**
     * The local address a TCP port listens on, from the kernel's socket tables: "127.0.0.1", or
     * "0.0.0.0" for every interface. A JVM often listens on an IPv6 socket (/proc/net/tcp6): "::"
     * is every interface and ::ffff:a.b.c.d is the IPv4 address a.b.c.d.
     */
    private static String listeningAddress(int port) throws Exception {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                    String hex = f[1].substring(0, f[1].indexOf(':'));
                    if (hex.matches("0+")) {
                        return "0.0.0.0";
                    }
                    int a = (int) Long.parseLong(hex.substring(hex.length() - 8), 16); // the IPv4 word, little-endian
                    return (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >>> 24) & 0xff);
                }
            }
        }
        return "none for " + port;
    }

    @Test
    void theEmbeddedDefaultRunsOpenOnLoopbackOnlyAndSaysSo() throws Exception {
        Run run = start(Files.createTempDirectory("eddy-mode-open"), Map.of(AuthModes.ROLE, "all"));
        try {
            assertTrue(run.process().isAlive(), run.output());
            assertEquals("127.0.0.1", listeningAddress(run.port()), run.output());
            assertTrue(run.output().contains("authentication is OFF"), run.output());
            assertTrue(run.output().contains("HTTP on 127.0.0.1 (this machine only)"), run.output());
            served(run.port(), "anything", "at-all");
        } finally {
            stop(run);
        }
    }

    @Test
    void oneSettingTurnsAuthenticationOnAndThenItListensOnEveryInterface() throws Exception {
        Path dir = Files.createTempDirectory("eddy-mode-on");
        Path credentials = dir.resolve("credentials.json");
        Files.writeString(credentials, "{\"credentials\":[{\"accessKeyId\":\"AKIDOPS\",\"secretAccessKey\":\"ops-secret\"}]}");
        Run run = start(dir, Map.of(AuthModes.ROLE, "all", AuthModes.ENABLED, "true",
                AuthModes.CREDENTIALS_FILE, credentials.toString()));
        try {
            assertTrue(run.process().isAlive(), run.output());
            assertEquals("0.0.0.0", listeningAddress(run.port()), run.output());
            assertTrue(run.output().contains("authentication is ON"), run.output());
            assertFalse(run.output().contains("authentication is OFF"), "no start line says otherwise: " + run.output());
            served(run.port(), "AKIDOPS", "ops-secret");
            assertEquals("UnrecognizedClientException", answer(run.port(), "anything", "at-all"));

            // Rotating the key: the file is read again without a restart (as a mounted Secret is updated).
            Files.writeString(credentials, "{\"credentials\":[{\"accessKeyId\":\"AKIDROTATED\",\"secretAccessKey\":\"new\"}]}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!answer(run.port(), "AKIDROTATED", "new").equals("ResourceNotFoundException")
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            served(run.port(), "AKIDROTATED", "new");
            assertEquals("UnrecognizedClientException", answer(run.port(), "AKIDOPS", "ops-secret"));
            assertTrue(run.output().contains("credentials re-read from"), run.output());
        } finally {
            stop(run);
        }
    }

    @Test
    void theFunctionRoleRefusesToStartWithoutCredentials() throws Exception {
        Run run = start(Files.createTempDirectory("eddy-mode-function"), Map.of(AuthModes.ROLE, "function"));
        assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), run.output());
        assertFalse(run.process().exitValue() == 0, run.output());
        assertTrue(run.output().contains("Authentication is on (the default for role function) but no credentials are "
                + "configured"), run.output());
    }

    /** The error a DescribeTable of a table that is not there gets: past authentication, it is ResourceNotFound. */
    private static String answer(int port, String key, String secret) {
        try (DynamoDbClient c = client(port, key, secret)) {
            return org.junit.jupiter.api.Assertions.assertThrows(software.amazon.awssdk.awscore.exception.AwsServiceException.class,
                    () -> c.describeTable(b -> b.tableName("no-such-table"))).awsErrorDetails().errorCode();
        }
    }

    private static void served(int port, String key, String secret) {
        assertEquals("ResourceNotFoundException", answer(port, key, secret));
    }

    private static DynamoDbClient client(int port, String key, String secret) {
        return DynamoDbClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}

package dev.eddy.triggers.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real Eddy for the example triggers' tests: the packaged local app ({@code eddy.local.jar},
 * built by functions/local, what bin/eddy runs) run as a separate process with its embedded dev stack (an
 * Infinispan node and a Kafka broker) in a temporary folder. Its Kafka carries the change records
 * the tests feed the triggers with; its DynamoDB endpoint is where the triggers write, and is
 * given to the example app as {@code eddy.endpoint}.
 */
public class EddyProcess implements QuarkusTestResourceLifecycleManager {

    private static Process process;
    private static URI endpoint;
    private static String kafka;
    private static Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            Path jar = Path.of(System.getProperty("eddy.local.jar", "../../functions/local/target/quarkus-app/quarkus-run.jar"));
            if (!Files.exists(jar)) {
                throw new IllegalStateException("package Eddy's local app first (./mvnw package -pl functions/local -am): " + jar);
            }
            dataDir = Files.createTempDirectory("eddy-trigger-examples");
            int http = freePort();
            int kafkaPort = freePort();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.port=" + http,
                    "-Deddy.data-dir=" + dataDir.resolve("data"),
                    "-Deddy.embedded.hotrod-port=" + freePort(),
                    "-Deddy.embedded.kafka-port=" + kafkaPort,
                    "-jar", jar.toAbsolutePath().toString());
            process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("eddy.log").toFile()).start();
            endpoint = URI.create("http://127.0.0.1:" + http);
            kafka = "127.0.0.1:" + kafkaPort;
            awaitReady();
            // OrderChanges reads Eddy's Kafka too (its channel is off unless turned on)
            return Map.of("eddy.endpoint", endpoint.toString(), "kafka.bootstrap.servers", kafka,
                    "mp.messaging.incoming.order-changes.enabled", "true",
                    "mp.messaging.incoming.order-changes.metadata.max.age.ms", "1000");
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Eddy did not start", e);
        }
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // slow on a busy 2-core machine
        try (DynamoDbClient client = client()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Eddy exited: " + Files.readString(dataDir.resolve("eddy.log")));
                }
                try {
                    client.listTables();
                    return;
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Eddy did not answer: " + Files.readString(dataDir.resolve("eddy.log")));
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    /** Eddy's embedded Kafka. */
    static String kafkaBootstrapServers() {
        return kafka;
    }

    /**
     * What a Kafka client needs on Eddy's embedded broker, which asks for a password: the one Eddy
     * keeps in its data folder, readable by this user (README, "Security").
     */
    static Map<String, String> kafkaClientProperties() {
        java.util.Properties credentials = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(dataDir.resolve("data").resolve("internal-credentials.properties"))) {
            credentials.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + credentials.getProperty("kafka.username") + "\" password=\""
                        + credentials.getProperty("kafka.password") + "\";");
    }

    /** A DynamoDB client pointed at Eddy, as the tests read what the triggers wrote. */
    static DynamoDbClient client() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy(); // a graceful stop, so the embedded stack closes its stores
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}

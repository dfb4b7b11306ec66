package dev.eddy.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The packaged local app ({@code eddy.local.jar}, what {@code bin/eddy} runs) as a separate process,
 * with its output kept in a log file.
 */
final class LocalApp implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private LocalApp(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the app with these system properties and waits until it answers ListTables. */
    static LocalApp start(Path workDir, Map<String, String> properties) throws Exception {
        LocalApp app = launch(workDir, properties, freePort());
        app.awaitReady();
        return app;
    }

    /** Starts the app on this HTTP port and does not wait for it: for starts that are to fail. */
    static LocalApp launch(Path workDir, Map<String, String> properties, int port) throws IOException {
        Path jar = Path.of(System.getProperty("eddy.local.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the local app first: " + jar);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dquarkus.http.port=" + port));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        Files.createDirectories(workDir);
        Path log = Files.createTempFile(workDir, "local-", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LocalApp(p, log, port);
    }

    /** Waits for the process to end by itself (a refused start); its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the local app did not end by itself");
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** Ports for the embedded stack, so that runs never meet a fixed one. */
    static Map<String, String> embeddedPorts() throws IOException {
        return Map.of("eddy.embedded.hotrod-port", Integer.toString(freePort()),
                "eddy.embedded.kafka-port", Integer.toString(freePort()));
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try (DynamoDbClient client = client()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("local app exited: " + output());
                }
                try {
                    client.listTables();
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("local app did not answer in time: " + output());
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    DynamoDbClient client() {
        return DynamoDbClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** A graceful stop (SIGTERM). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: the process gets no chance to flush or close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}

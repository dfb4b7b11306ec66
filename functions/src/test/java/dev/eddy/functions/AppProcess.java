package dev.eddy.functions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The packaged application ({@code quarkus-run.jar}) run as a separate process, the way the README
 * runs it, with its output kept in a log file.
 */
final class AppProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private AppProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("eddy.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar);
        }
        return jar;
    }

    /** Starts the application with these system properties and waits until it answers. */
    static AppProcess start(Path workDir, Map<String, String> properties) throws Exception {
        return start(workDir, properties, List.of(), "-Xmx512m");
    }

    /** As {@link #start(Path, Map)}, the java command run through {@code launcher} (e.g. taskset -c 0). */
    static AppProcess start(Path workDir, Map<String, String> properties, List<String> launcher, String heap)
            throws Exception {
        int port = InfinispanCluster.freePort();
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        Files.createDirectories(workDir);
        Path log = Files.createTempFile(workDir, "app-", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AppProcess app = new AppProcess(p, log, port);
        app.awaitReady();
        return app;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (DynamoDbClient client = client()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("application exited: " + output());
                }
                try {
                    client.listTables();
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("application did not answer in time: " + output());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    DynamoDbClient client() {
        return DynamoTestBase.client(endpoint());
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** A graceful stop (SIGTERM), as an operator or Kubernetes stops it. */
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
}

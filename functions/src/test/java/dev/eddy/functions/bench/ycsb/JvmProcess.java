package dev.eddy.functions.bench.ycsb;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * A Java process of its own (a function instance) with its output in a log file.
 *
 * @param startNanos when it was started, on {@link System#nanoTime()}
 */
record JvmProcess(Process process, Path log, long startNanos) implements AutoCloseable {
    /** Runs {@code java} (this JVM's) with these arguments. */
    static JvmProcess start(List<String> arguments, Path log) throws IOException {
        return start(List.of(), arguments, log);
    }

    /** Runs {@code java} with these arguments in {@code directory}. */
    static JvmProcess startIn(Path directory, List<String> arguments, Path log) throws IOException {
        return start(List.of(), arguments, log, directory, null);
    }

    /** {@link #startIn(Path, List, Path)} with the {@code java} of another JDK ({@code javaHome}; null: this JVM's). */
    static JvmProcess startIn(Path directory, List<String> arguments, Path log, Path javaHome) throws IOException {
        return start(List.of(), arguments, log, directory, javaHome);
    }

    /** Runs {@code java} through {@code launcher} (e.g. taskset -c 0), or directly when it is empty. */
    static JvmProcess start(List<String> launcher, List<String> arguments, Path log) throws IOException {
        return start(launcher, arguments, log, null, null);
    }

    private static JvmProcess start(List<String> launcher, List<String> arguments, Path log, Path directory,
                                    Path javaHome) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add((javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome).resolve("bin").resolve("java").toString());
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new JvmProcess(p, log, start);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    ProcessUsage usage() {
        return new ProcessUsage(process.toHandle());
    }

    /**
     * Sends {@code request} every {@code pollMillis} until the process answers it, with a result or
     * a DynamoDB error (both are served requests), and returns the nanoseconds since it was started.
     */
    long awaitServed(DynamoDbClient client, Consumer<DynamoDbClient> request, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited:\n" + output());
            }
            try {
                request.accept(client);
                return System.nanoTime() - startNanos;
            } catch (DynamoDbException served) {
                return System.nanoTime() - startNanos;
            } catch (SdkClientException notListening) {
                Thread.sleep(pollMillis);
            }
        }
        throw new IllegalStateException("no answer in time:\n" + output());
    }

    /**
     * Asks {@code GET /q/health/ready} every {@code pollMillis} until it answers 200 (what Knative
     * waits for before it sends the instance requests) and returns the nanoseconds since the start.
     */
    long awaitReady(int port, long pollMillis) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return System.nanoTime() - startNanos;
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException("not ready in time:\n" + output());
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        close(60);
    }

    /** Stops the process (SIGTERM), waiting up to {@code seconds} for it to end before it is killed. */
    void close(int seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

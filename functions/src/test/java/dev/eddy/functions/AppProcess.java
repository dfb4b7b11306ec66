package dev.eddy.functions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A packaged application run as a separate process, with its output kept in a log file: the
 * function ({@code eddy.app.jar}, in role {@code all} unless told otherwise, pointed at the tests'
 * servers) or the local app with its embedded stack ({@code eddy.local.jar}, what bin/eddy runs).
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

    /** The packaged function. */
    static Path jar() {
        return packaged("eddy.app.jar", "target/quarkus-app/quarkus-run.jar");
    }

    /** The packaged local app (functions/local). */
    static Path localJar() {
        return packaged("eddy.local.jar", "local/target/quarkus-app/quarkus-run.jar");
    }

    private static Path packaged(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar);
        }
        return jar;
    }

    /**
     * Starts the function with these system properties and waits until it answers. It runs every
     * role ({@code eddy.role=all}) unless the properties say otherwise, as these tests need the
     * background duties of the engine beside the requests.
     */
    static AppProcess start(Path workDir, Map<String, String> properties) throws Exception {
        Map<String, String> withRole = new java.util.HashMap<>(properties);
        withRole.putIfAbsent("eddy.role", "all");
        return start(jar(), workDir, withRole, List.of(), "-Xmx512m");
    }

    /** Starts {@code jar}, the java command run through {@code launcher} (e.g. taskset -c 0). */
    static AppProcess start(Path jar, Path workDir, Map<String, String> properties, List<String> launcher, String heap)
            throws Exception {
        return start(jar, workDir, properties, Map.of(), launcher, heap);
    }

    /** As {@link #start(Path, Path, Map, List, String)}, with these environment variables added. */
    static AppProcess start(Path jar, Path workDir, Map<String, String> properties, Map<String, String> environment,
                            List<String> launcher, String heap) throws Exception {
        int port = InfinispanCluster.freePort();
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Files.createDirectories(workDir);
        Path log = Files.createTempFile(workDir, "app-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
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
                } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException answered) {
                    return; // an answer all the same (the maintenance role refuses requests)
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("application did not answer in time: " + output());
    }

    /** CPU time used so far (user and system), from /proc/&lt;pid&gt;/stat, in milliseconds. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * 10; // USER_HZ is 100 on Linux
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

    /**
     * The sum of a meter's samples (every tag set) in the process's Prometheus scrape, 0 while it
     * has none: lets a test act on observed progress of background work rather than a fixed sleep.
     */
    double meter(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint().resolve("/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Polls {@link #meter} until it reaches {@code atLeast} (two minutes at most); returns the value seen. */
    double awaitMeter(String name, double atLeast) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            double value = meter(name);
            if (value >= atLeast) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " did not reach " + atLeast + " in time");
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

package dev.eddy.functions.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One instance of the packaged application ({@code functions/target/quarkus-app}) in a role, with
 * its settings as system properties, as a pod runs the image.
 */
final class EddyInstance {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String role;
    private final int port;
    private final JavaProcess process;

    EddyInstance(String name, Path logs, String role, Map<String, String> settings, int port) {
        this.role = role;
        this.port = port;
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx384m");
        jvm.add("-XX:+ExitOnOutOfMemoryError"); // as the image runs it: a heap run out ends the pod
        jvm.add("-XX:+HeapDumpOnOutOfMemoryError"); // and leaves, here, what filled it next to the logs
        jvm.add("-XX:HeapDumpPath=" + logs.resolve(name + ".hprof"));
        jvm.add("-Dquarkus.http.port=" + port);
        jvm.add("-Deddy.role=" + role);
        new TreeMap<>(settings).forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        this.process = JavaProcess.of(name, logs, jvm, List.of("-jar", jar().toAbsolutePath().toString()));
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("eddy.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar);
        }
        return jar;
    }

    String name() {
        return process.name();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    JavaProcess process() {
        return process;
    }

    void start() throws Exception {
        process.start();
    }

    /**
     * Waits until the instance serves: a function answers a DynamoDB request, the maintenance role its
     * liveness probe. Returns the milliseconds from the process's start to that answer.
     */
    long awaitServing() throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        String path = role.equals("function") ? "/" : "/q/health/live";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited:\n" + process.currentRun());
            }
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint() + path)).timeout(Duration.ofSeconds(5));
                if (role.equals("function")) {
                    b.header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"));
                }
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - process.startedNanos()) / 1_000_000;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name() + " did not serve in time:\n" + process.currentRun());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    void stop() throws InterruptedException {
        process.stop();
    }
}

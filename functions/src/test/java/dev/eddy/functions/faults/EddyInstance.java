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

    /** Whether the instance served since its last start (the kubelet probes its liveness only then). */
    private volatile boolean served;

    synchronized void start() throws Exception {
        served = false;
        process.start();
    }

    boolean served() {
        return served;
    }

    /**
     * The liveness probe as the manifests have the kubelet send it: null when it answers 200 within
     * {@code timeoutMillis}, else what it answered or why not.
     */
    String liveness(long timeoutMillis) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/q/health/live"))
                    .timeout(Duration.ofMillis(timeoutMillis)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.io.IOException e) {
            return String.valueOf(e);
        }
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
                    served = true;
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

    synchronized void kill() throws InterruptedException {
        process.kill();
    }

    synchronized void stop() throws InterruptedException {
        process.stop();
    }
}

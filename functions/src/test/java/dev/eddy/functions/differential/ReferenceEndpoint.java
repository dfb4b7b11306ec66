package dev.eddy.functions.differential;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The DynamoDB the differential test compares Eddy with. By default moto's server (the machine's
 * python3 has moto, Apache-2.0: an open implementation, so the suite depends on nothing under a
 * vendor licence), started on a free port for the run; {@code -Ddifferential.endpoint=URL} points
 * the test at any other DynamoDB instead (real DynamoDB, or a DynamoDB Local one runs oneself).
 */
final class ReferenceEndpoint implements AutoCloseable {
    static final String ENDPOINT_PROPERTY = "differential.endpoint";

    private final URI uri;
    private final Process process;
    private final String name;

    private ReferenceEndpoint(URI uri, Process process, String name) {
        this.uri = uri;
        this.process = process;
        this.name = name;
    }

    static ReferenceEndpoint start() throws IOException, InterruptedException {
        String given = System.getProperty(ENDPOINT_PROPERTY);
        if (given != null && !given.isBlank()) {
            return new ReferenceEndpoint(URI.create(given), null, given);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto-server", ".log");
        Process p = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto's server did not start (python3 -m moto.server; pip install "
                        + "'moto[server]'): " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new ReferenceEndpoint(URI.create("http://127.0.0.1:" + port + "/"), p, "moto server");
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto's server did not listen within a minute: " + Files.readString(log));
    }

    URI uri() {
        return uri;
    }

    String name() {
        return name;
    }

    /** Whether the reference is moto, whose own deviations from DynamoDB the test allows for. */
    boolean isMoto() {
        return process != null;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

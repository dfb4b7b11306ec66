package dev.eddy.local;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold before the embedded stack starts anything: this process alone on its data directory,
 * and every port it will listen on free. Each failure is one line naming the directory or the port,
 * where starting regardless would end in hundreds of lines about Infinispan's lock files or a
 * BindException after half the stack is up.
 */
final class StartChecks {
    /** The file whose lock marks a data directory as in use; the holder's process id is written in it. */
    static final String LOCK_FILE = "eddy.lock";

    /** A port the app will listen on: where, and which setting chooses it. */
    record Port(String host, int port, String setting, String purpose) {
    }

    private StartChecks() {
    }

    /**
     * Locks {@code dataDir} for this process, as long as the returned lock is held (the operating
     * system releases it when the process ends, however it ends); refuses when another process holds it.
     */
    static FileLock lockDataDir(Path dataDir) {
        Path file = dataDir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new ConfigurationException("Eddy is already running on data directory " + dataDir
                        + (holder.isEmpty() ? "" : " (process " + holder + ")")
                        + ": stop it first, or give this one another directory (EDDY_DATA_DIR, eddy.data-dir)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return lock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigurationException("Eddy cannot use data directory " + dataDir + ": " + e.getMessage());
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    /** The process id the lock holder wrote, or "" when it cannot be read. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Refuses, naming each one, when any of these ports is taken. */
    static void requireFree(List<Port> ports) {
        List<String> taken = new ArrayList<>();
        for (Port p : ports) {
            if (p.port() > 0 && !free(p)) {
                taken.add(p.host() + ":" + p.port() + " (" + p.setting() + ", " + p.purpose() + ")");
            }
        }
        if (!taken.isEmpty()) {
            throw new ConfigurationException("Eddy cannot start: " + (taken.size() == 1 ? "port " : "ports ")
                    + String.join(", ", taken) + (taken.size() == 1 ? " is" : " are")
                    + " in use by another process; stop it or choose another port");
        }
    }

    /** Whether a listener could bind there now, as the servers will (address reuse on, as Vert.x and Kafka set it). */
    private static boolean free(Port p) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(p.host()), p.port()));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            // An address this machine cannot bind is the server's own error to report.
            return true;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}

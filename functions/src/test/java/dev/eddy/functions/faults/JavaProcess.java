package dev.eddy.functions.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own started by the suite (an Infinispan node, a Kafka node, an Eddy instance, a load
 * process), its output appended to one log file across restarts, so that it can be killed
 * ({@code kill -9}), stopped (SIGTERM) and started again with the same command.
 */
final class JavaProcess {
    private final String name;
    private final List<String> command;
    private final Path log;
    private volatile Process process;
    /** When the current process was started, on {@link System#nanoTime()}. */
    private volatile long startedNanos;

    private JavaProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = command;
        this.log = log;
    }

    /** {@code java <jvm options> <arguments>} with this JVM's java; not started yet. */
    static JavaProcess of(String name, Path logDir, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.addAll(arguments);
        return new JavaProcess(name, command, logDir.resolve(name + ".log"));
    }

    /** A main class of the suite's own classpath (this JVM's). */
    static JavaProcess main(String name, Path logDir, List<String> jvmOptions, Class<?> main, List<String> arguments) {
        List<String> all = new ArrayList<>();
        all.add("-cp");
        all.add(System.getProperty("java.class.path"));
        all.add(main.getName());
        all.addAll(arguments);
        return of(name, logDir, jvmOptions, all);
    }

    String name() {
        return name;
    }

    synchronized JavaProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        Files.createDirectories(log.getParent());
        Files.writeString(log, "---- start " + java.time.Instant.now() + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        startedNanos = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the log (of this run) has a line containing {@code marker}, or the process ends. */
    void awaitLine(String marker, long timeoutMillis) throws Exception {
        if (saysWithin(marker, timeoutMillis)) {
            return;
        }
        String out = currentRun();
        if (!isAlive()) {
            throw new IllegalStateException(name + " exited before '" + marker + "':\n" + tail(out));
        }
        throw new IllegalStateException(name + " did not say '" + marker + "' in time:\n" + tail(out)
                + "\n---- its busy threads then:\n" + busyThreads(threadDump()));
    }

    /** Whether the log of this run has a line containing {@code marker} within {@code timeoutMillis}; false if not (or if the process ended). */
    boolean saysWithin(String marker, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (currentRun().contains(marker)) {
                return true;
            }
            if (!isAlive()) {
                return false;
            }
            Thread.sleep(100);
        }
        return currentRun().contains(marker);
    }

    /** The process's threads (jcmd Thread.print, the JDK's own tool), also appended to its log; "" if unavailable. */
    String threadDump() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return "";
        }
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(p.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            Files.writeString(log, "---- thread dump (the suite's)\n" + dump, java.nio.file.StandardOpenOption.APPEND);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /**
     * The main thread and every thread that is in Infinispan's, JGroups' or Kafka's code other than
     * waiting for work (an idle pool thread's stack is its pool's), each cut to 40 frames: what a hang
     * waits on, without the hundred idle threads of a dump.
     */
    static String busyThreads(String dump) {
        StringBuilder out = new StringBuilder();
        for (String thread : dump.split("\n\n")) {
            boolean main = thread.startsWith("\"main\"");
            boolean ours = thread.contains("at org.infinispan") || thread.contains("at org.jgroups")
                    || thread.contains("at org.apache.kafka") || thread.contains("at dev.eddy");
            boolean idle = thread.contains("ThreadPoolExecutor.getTask") || thread.contains("ForkJoinPool.awaitWork")
                    || thread.contains("sun.nio.ch.EPoll.wait") || thread.contains("ScheduledThreadPoolExecutor$DelayedWorkQueue.take")
                    || thread.contains("Thread.State: RUNNABLE") && thread.contains("socketAccept");
            if (main || ours && !idle) {
                String[] lines = thread.split("\n");
                for (int i = 0; i < Math.min(lines.length, 42); i++) {
                    out.append(lines[i]).append('\n');
                }
                out.append('\n');
            }
            if (out.length() > 40_000) {
                out.append("(more threads in the log)\n");
                break;
            }
        }
        return out.toString();
    }

    /** The log of the current run. */
    String currentRun() throws IOException {
        String all = Files.readString(log);
        int start = all.lastIndexOf("---- start ");
        return start < 0 ? all : all.substring(start);
    }

    Path log() {
        return log;
    }

    /** SIGKILL: no chance to flush or close anything. */
    void kill() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly().waitFor();
        }
    }

    /** SIGTERM, waiting for the process to end (killed after two minutes). */
    void stop() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static String tail(String out) {
        return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
    }
}

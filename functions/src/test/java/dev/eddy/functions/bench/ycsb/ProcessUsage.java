package dev.eddy.functions.bench.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time and resident memory of one process, and the machine's load, as the operating system counts them. */
record ProcessUsage(ProcessHandle process) {
    /** User plus system time of all its threads so far (on Linux: utime + stime of /proc/pid/stat). */
    Duration cpu() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()));
    }

    /** Resident set size in bytes (VmRSS of /proc/pid/status), or -1 where there is no /proc. */
    long residentBytes() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException notLinux) {
            return -1;
        }
        return -1;
    }

    /**
     * Binds every thread of the process, and the threads it starts later, to these CPUs (a list as
     * {@code taskset} takes it, "0" or "0-1"), with util-linux's taskset.
     */
    void pin(String cpus) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String output = new String(taskset.getInputStream().readAllBytes());
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset failed for process " + process.pid() + ": " + output);
        }
    }

    /** The machine's one-minute load average (Linux; NaN elsewhere): other work on it skews every figure. */
    static double machineLoadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

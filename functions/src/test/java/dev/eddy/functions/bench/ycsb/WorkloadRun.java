package dev.eddy.functions.bench.ycsb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import site.ycsb.ClientThread;
import site.ycsb.WorkloadException;
import site.ycsb.workloads.CoreWorkload;

/**
 * One YCSB run against one target: YCSB's CoreWorkload chooses keys, values and operations and its
 * client threads drive the DynamoDB binding, timed per call. A run ends when each thread has done
 * its share of operations or when its time is up, whichever comes first; the target's server CPU
 * is read just before the threads start and after the last one stops, the machine's load average
 * at the end.
 */
final class WorkloadRun {
    /** What a run measured. */
    record Result(Map<String, Histogram> latencies, long errors, Duration elapsed, Duration serverCpu,
                  Duration clientCpu, double loadAverage) {
        long operations() {
            return latencies.values().stream().mapToLong(Histogram::getTotalCount).sum();
        }

        double throughput() {
            return throughput(operations());
        }

        double throughput(long operations) {
            return operations / (elapsed.toNanos() / 1e9);
        }

        /** Server CPU time per completed operation, in microseconds. */
        double serverCpuMicrosPerOperation() {
            return serverCpu.toNanos() / 1e3 / Math.max(1, operations());
        }

        /** The client JVM's CPU time (all its threads: YCSB, the SDK, HTTP) per completed operation, in microseconds. */
        double clientCpuMicrosPerOperation() {
            return clientCpu.toNanos() / 1e3 / Math.max(1, operations());
        }

        /** All operations' latencies together. */
        Histogram combined() {
            Histogram all = new Histogram(3);
            latencies.values().forEach(all::add);
            return all;
        }
    }

    private WorkloadRun() {
    }

    /**
     * @param load       YCSB's load phase (insert {@code operations} records) instead of its transactions
     * @param operations operations over all threads; 0 for as many as fit in {@code limit}
     */
    static Result run(Target target, Properties properties, boolean load, boolean consistentReads, int threads,
                      long operations, Duration limit) throws WorkloadException, InterruptedException {
        CoreWorkload workload = new CoreWorkload();
        workload.init(properties);
        Latencies latencies = new Latencies();
        CountDownLatch finished = new CountDownLatch(threads);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TimedDb db = new TimedDb(new DynamoDbBinding(target.client(), consistentReads), latencies);
            db.setProperties(properties);
            // YCSB's client splits the operations the same way: the first threads take the remainder.
            int share = (int) (operations / threads + (t < operations % threads ? 1 : 0));
            ClientThread client = new ClientThread(db, !load, workload, properties, share, -1, finished);
            client.setThreadId(t);
            client.setThreadCount(threads);
            running.add(new Thread(client, "ycsb-" + t));
        }
        ProcessUsage client = new ProcessUsage(ProcessHandle.current());
        Duration cpuBefore = target.serverCpu();
        Duration clientBefore = client.cpu();
        long start = System.nanoTime();
        running.forEach(Thread::start);
        if (!finished.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
            workload.requestStop();
        }
        for (Thread thread : running) {
            thread.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Duration cpu = target.serverCpu().minus(cpuBefore);
        Duration clientCpu = client.cpu().minus(clientBefore);
        workload.cleanup();
        if (latencies.firstFailure() != null) {
            System.out.println("  first failure: " + latencies.firstFailure());
        }
        return new Result(latencies.histograms(), latencies.errors(), elapsed, cpu, clientCpu, ProcessUsage.machineLoadAverage());
    }
}

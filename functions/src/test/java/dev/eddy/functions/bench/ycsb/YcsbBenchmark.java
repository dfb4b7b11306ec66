package dev.eddy.functions.bench.ycsb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import site.ycsb.measurements.Measurements;

/**
 * YCSB workloads A, B, C and E against Eddy and, when one is given, against a baseline: any
 * DynamoDB-compatible server the user runs (an earlier Eddy build, for a before/after), alternating
 * between them, through one client JVM (AWS SDK for Java v2, one shared client per target, the
 * same threads, records and workloads for both). Each measured run follows a warm-up run of the
 * same workload whose figures are discarded. Then serial GetItem and PutItem latency, and the start
 * time and memory of a function instance. Run: {@code bin/bench-ycsb --help}.
 */
public final class YcsbBenchmark {
    static final String TABLE = "usertable";
    private static final String USAGE = """
            bin/bench-ycsb [options]
              --records N          records loaded into each target (100000)
              --field-count N      fields per record (10)
              --field-length N     bytes per field (100)
              --threads N          client threads (8)
              --warmup SECONDS     warm-up run before each measured run, discarded (10)
              --seconds SECONDS    measured run per workload, read mode and target (40)
              --workloads LIST     YCSB core workloads, of A,B,C,E, or none (A,B,C,E)
              --reads LIST         read modes, of eventual,strong (eventual,strong)
              --serial N           serial GetItem/PutItem samples per target, 0 to skip (2000)
              --startup-runs N     function instance starts per JVM option set, 0 to skip (5)
              --startup-jvm OPTS   a JVM option set for the starts, repeatable (the image's, in a 256 MiB pod)
              --server-cpus LIST   start each server bound to these CPUs (taskset list), or any (0 on 2+ cores)
              --client-cpus LIST   bind the client JVM and wrk to these CPUs, or any (1 on 2+ cores)
              --capacity-seconds S each server's capacity on one core under wrk, per mix, 0 to skip (30)
              --baseline-endpoint URL  also run everything against this DynamoDB-compatible server (none)
              --baseline-pid PID   the baseline server's process: its CPU time, memory and CPU binding (none)
            """;

    private YcsbBenchmark() {
    }

    /** What to run; every figure has a default that fits a 2-core machine in about 20 minutes. */
    record Options(int records, int fieldCount, int fieldLength, int threads, Duration warmup, Duration measured,
                   List<Mix> workloads, List<Boolean> strongReads, int serialSamples, int startupRuns,
                   List<String> startupJvmOptions, String serverCpus, String clientCpus, int capacitySeconds,
                   java.net.URI baselineEndpoint, Long baselinePid) {
        static Options parse(String[] args) {
            int records = 100_000;
            int fieldCount = 10;
            int fieldLength = 100;
            int threads = 8;
            int warmup = 10;
            int seconds = 40;
            List<Mix> workloads = List.of(Mix.A, Mix.B, Mix.C, Mix.E);
            List<Boolean> strong = List.of(false, true);
            int serial = 2_000;
            int startupRuns = 5;
            List<String> startupJvm = new ArrayList<>();
            // On 2 cores or more each server gets CPU 0 from its start (like a one-vCPU function instance)
            // and the client CPU 1, so neither takes CPU from the other; "any" leaves them unbound.
            String serverCpus = CORES >= 2 ? "0" : null;
            String clientCpus = CORES >= 2 ? "1" : null;
            int capacitySeconds = 30;
            java.net.URI baselineEndpoint = null;
            Long baselinePid = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || i + 1 >= args.length) {
                    System.out.print(USAGE);
                    System.exit(option.equals("--help") ? 0 : 2);
                }
                String value = args[++i];
                switch (option) {
                    case "--records" -> records = Integer.parseInt(value);
                    case "--field-count" -> fieldCount = Integer.parseInt(value);
                    case "--field-length" -> fieldLength = Integer.parseInt(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--workloads" -> workloads = value.equals("none") ? List.of()
                            : Arrays.stream(value.split(",")).map(w -> Mix.valueOf(w.trim())).toList();
                    case "--reads" -> strong = Arrays.stream(value.split(",")).map(r -> switch (r.trim()) {
                        case "eventual" -> false;
                        case "strong" -> true;
                        default -> throw new IllegalArgumentException("--reads takes eventual and/or strong: " + r);
                    }).toList();
                    case "--serial" -> serial = Integer.parseInt(value);
                    case "--startup-runs" -> startupRuns = Integer.parseInt(value);
                    case "--startup-jvm" -> startupJvm.add(value);
                    case "--server-cpus" -> serverCpus = value.equals("any") ? null : value;
                    case "--client-cpus" -> clientCpus = value.equals("any") ? null : value;
                    case "--capacity-seconds" -> capacitySeconds = Integer.parseInt(value);
                    case "--baseline-endpoint" -> baselineEndpoint = java.net.URI.create(value);
                    case "--baseline-pid" -> baselinePid = Long.parseLong(value);
                    default -> {
                        System.out.print(USAGE);
                        throw new IllegalArgumentException("unknown option " + option);
                    }
                }
            }
            if (startupJvm.isEmpty()) {
                // as the image runs a function instance, in a JVM sized as its pod
                startupJvm = List.of(FunctionStartup.IMAGE_JVM_OPTIONS);
            }
            return new Options(records, fieldCount, fieldLength, threads, Duration.ofSeconds(warmup),
                    Duration.ofSeconds(seconds), workloads, strong, serial, startupRuns, startupJvm, serverCpus, clientCpus,
                    capacitySeconds, baselineEndpoint, baselinePid);
        }

        /** CoreWorkload properties every mix shares: the records and how they are read and written. */
        Properties ycsb() {
            Properties p = new Properties();
            p.putAll(Map.of("table", TABLE, "recordcount", Integer.toString(records),
                    "insertcount", Integer.toString(records), "fieldcount", Integer.toString(fieldCount),
                    "fieldlength", Integer.toString(fieldLength), "readallfields", "true", "writeallfields", "false",
                    "insertorder", "hashed",
                    // Zipfian key choice sizes its key space by the inserts it expects (operationcount x
                    // insertproportion); runs here end by time, so assume as many operations as records.
                    "operationcount", Integer.toString(records)));
            return p;
        }
    }

    /** The machine's cores, read before the client binds itself to some of them. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // The servers are this JVM's children: never leave them running, however it ends.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children()
                .forEach(ProcessHandle::destroy)));
        Path jar = Path.of(requiredProperty("eddy.app.jar"));
        // Every thread keeps its HTTP connection open between calls (the JDK keeps 5 by default).
        System.setProperty("http.maxConnections", Integer.toString(Math.max(16, 2 * o.threads())));
        Measurements.setProperties(new Properties());
        Path work = Files.createTempDirectory("eddy-ycsb");
        System.out.printf("YCSB %s: %d records of %d fields x %d bytes, %d threads, zipfian; per run %d s warm-up "
                        + "(discarded), then %d s measured; work folder %s%n", "core 0.17.0", o.records(), o.fieldCount(),
                o.fieldLength(), o.threads(), o.warmup().toSeconds(), o.measured().toSeconds(), work);

        ComparisonTable table = new ComparisonTable();
        List<String> setups = compare(o, work, table);
        List<FunctionStartup.Variant> startups = o.startupRuns() > 0
                ? FunctionStartup.measure(jar, work, o.startupRuns(), o.startupJvmOptions()) : List.of();
        printReport(o, setups, table, startups);
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Loads the targets, runs the workloads alternating between them, then the serial latencies. */
    private static List<String> compare(Options o, Path work, ComparisonTable table)
            throws Exception {
        List<String> setups = new ArrayList<>();
        if (o.workloads().isEmpty() && o.serialSamples() == 0 && o.capacitySeconds() <= 0) {
            return setups; // only the function start was asked for
        }
        try (Target eddy = Target.eddy(work.resolve("eddy"), o.serverCpus());
             Target baseline = o.baselineEndpoint() == null ? null : Target.baseline(o.baselineEndpoint(), o.baselinePid())) {
            List<Target> targets = baseline == null ? List.of(eddy) : List.of(eddy, baseline);
            if (o.clientCpus() != null) {
                new ProcessUsage(ProcessHandle.current()).pin(o.clientCpus());
                System.out.printf("client JVM bound to CPUs %s%n", o.clientCpus());
            }
            for (Target t : targets) {
                System.out.printf("%s: %s%n", t.name(), t.setup());
                setups.add(t.name() + ": " + t.setup());
                t.createTable(TABLE);
            }
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                WorkloadRun.Result load = WorkloadRun.run(t, o.ycsb(), true, false, o.threads(), o.records(),
                        Duration.ofHours(2));
                report("load", "-", t, load);
                table.addWorkload("load (PutItem)", "-", i, t.name(), load);
            }
            for (Mix mix : o.workloads()) {
                Properties properties = mix.properties(o.ycsb());
                for (boolean strong : o.strongReads()) {
                    for (int i = 0; i < targets.size(); i++) {
                        Target t = targets.get(i);
                        WorkloadRun.run(t, properties, false, strong, o.threads(), 0, o.warmup());
                        WorkloadRun.Result r = WorkloadRun.run(t, properties, false, strong, o.threads(), 0, o.measured());
                        report(mix.name(), reads(strong), t, r);
                        table.addWorkload(mix.name(), reads(strong), i, t.name(), r);
                    }
                }
            }
            capacity(o, work, targets, table);
            if (o.serialSamples() > 0) {
                for (int i = 0; i < targets.size(); i++) {
                    serial(table, o, targets.get(i), i);
                }
            }
            for (Target t : targets) {
                if (t.serverResidentBytes() > 0) {
                    System.out.printf("%s server resident memory at the end: %d MB%n", t.name(), t.serverResidentBytes() >> 20);
                }
            }
        }
        return setups;
    }

    private static void printReport(Options o, List<String> setups, ComparisonTable table,
                                    List<FunctionStartup.Variant> startups) {
        if (!setups.isEmpty()) {
            printComparison(o, setups, table);
        }
        if (!startups.isEmpty()) {
            System.out.printf("%n## Function instance start (JVM mode, external Infinispan), %d starts each%n%n",
                    o.startupRuns());
            System.out.print(FunctionStartup.table(startups));
        }
    }

    private static void printComparison(Options o, List<String> setups, ComparisonTable table) {
        System.out.printf("%n## YCSB: %d records of %d x %d bytes, %d client threads, %d s measured after %d s warm-up"
                        + "%n%n", o.records(), o.fieldCount(), o.fieldLength(), o.threads(), o.measured().toSeconds(),
                o.warmup().toSeconds());
        setups.forEach(s -> System.out.println("- " + s));
        System.out.println("- driven by one client JVM: AWS SDK for Java v2, URLConnection HTTP client"
                + (o.baselineEndpoint() == null ? "; no baseline (--baseline-endpoint): its columns are empty" : ""));
        System.out.printf("- %d cores; the machine's one-minute load average after the runs: %s%n",
                CORES, table.loadAverages());
        if (o.serverCpus() != null || o.clientCpus() != null) {
            System.out.printf("- each server started bound to CPUs %s, the client JVM bound to CPUs %s (taskset)%n",
                    o.serverCpus() == null ? "(any)" : o.serverCpus(), o.clientCpus() == null ? "(any)" : o.clientCpus());
        }
        System.out.println("- x = Eddy / base; server CPU = the server process's user + system time over the run, "
                + "per operation; client CPU = the client JVM's, per operation (the same client for both)\n");
        System.out.print(table.workloads());
        if (table.hasCapacity()) {
            System.out.printf("%n## Capacity on one core: each server on CPU 0, wrk (1 thread, 8 connections, "
                    + "uniform keys) on CPU %s, %d s after %d s warm-up%n%n", o.clientCpus() == null ? "1" : o.clientCpus(),
                    o.capacitySeconds(), o.warmup().toSeconds());
            System.out.print(table.capacity());
        }
        if (o.serialSamples() > 0) {
            System.out.printf("%n## Serial latency: %d samples after %d discarded%n%n", o.serialSamples(),
                    o.serialSamples() / 4);
            System.out.print(table.serial());
        }
        System.out.println(table.errors().isEmpty() ? "\nNo failed operations." : "\nFailed operations:");
        table.errors().forEach(e -> System.out.println("- " + e));
    }

    /** Each server on CPU 0 under wrk on CPU 1 (see {@link ServerCapacity}), alternating per mix. */
    private static void capacity(Options o, Path work, List<Target> targets, ComparisonTable table) throws Exception {
        if (o.capacitySeconds() <= 0) {
            return;
        }
        String missing = CORES < 2 ? "it needs 2 cores, one for the server and one for wrk" : ServerCapacity.unavailable();
        if (missing != null) {
            table.capacitySkipped(missing);
            System.out.println("capacity: skipped, " + missing);
            return;
        }
        // Servers started unbound are bound to CPU 0 for these runs only; wrk runs where the client does, or on CPU 1.
        String serverCpus = o.serverCpus() == null ? "0" : null;
        String wrkCpus = o.clientCpus() == null ? "1" : o.clientCpus();
        String all = "0-" + (CORES - 1);
        for (ServerCapacity.RequestMix mix : ServerCapacity.MIXES) {
            Path script = ServerCapacity.script(work.resolve("wrk"), mix, o.ycsb(), o.records(), o.fieldLength());
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                ServerCapacity.Result r = ServerCapacity.run(t, t.endpoint().toString(), script, o.warmup(),
                        Duration.ofSeconds(o.capacitySeconds()), serverCpus, wrkCpus, all);
                System.out.printf("capacity %s %s on %s: %.0f requests/s, p50 %.2f ms, "
                                + "p99 %.2f ms, server CPU %.0f us/request, wrk CPU %.0f us/request, non-2xx %d, socket errors %d%n",
                        mix.name(), reads(mix.consistent()), t.name(), r.requestsPerSecond(), r.p50Millis(), r.p99Millis(),
                        r.serverCpuMicrosPerRequest(), r.clientCpuMicrosPerRequest(), r.non2xx(), r.socketErrors());
                table.addCapacity(mix.name() + " | " + reads(mix.consistent()), i, t.name(), r);
            }
        }
    }

    private static void serial(ComparisonTable table, Options o, Target t, int index) throws Exception {
        record Serial(String operation, Mix mix, boolean strong) {
        }
        for (Serial s : List.of(new Serial("GetItem, eventual", Mix.C, false), new Serial("GetItem, strong", Mix.C, true),
                new Serial("PutItem", Mix.INSERT, false))) {
            Properties properties = s.mix.properties(o.ycsb());
            WorkloadRun.run(t, properties, false, s.strong, 1, o.serialSamples() / 4, Duration.ofMinutes(10));
            WorkloadRun.Result r = WorkloadRun.run(t, properties, false, s.strong, 1, o.serialSamples(), Duration.ofMinutes(10));
            report("serial " + s.operation, "", t, r);
            table.addSerial(s.operation, index, t.name(), r);
        }
    }

    private static String reads(boolean strong) {
        return strong ? "strong" : "eventual";
    }

    private static void report(String workload, String reads, Target t, WorkloadRun.Result r) {
        StringBuilder line = new StringBuilder(String.format("%s %s on %s: %d ops in %.1f s = %.0f ops/s, server CPU %.0f us/op, "
                        + "client CPU %.0f us/op, load average %.1f", workload, reads, t.name(), r.operations(),
                r.elapsed().toNanos() / 1e9, r.throughput(), r.serverCpuMicrosPerOperation(), r.clientCpuMicrosPerOperation(),
                r.loadAverage()));
        r.latencies().forEach((op, h) -> line.append(String.format("; %s p50 %.2f ms p99 %.2f ms", op,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0)));
        if (r.errors() > 0) {
            line.append("; FAILED ").append(r.errors());
        }
        System.out.println(line);
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("set -D" + name + " (bin/bench-ycsb does)");
        }
        return value;
    }
}

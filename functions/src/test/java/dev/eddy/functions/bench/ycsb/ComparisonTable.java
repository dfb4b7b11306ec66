package dev.eddy.functions.bench.ycsb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The runs of both targets side by side, as Markdown tables with the ratio x = Eddy / DynamoDB
 * Local (above 1: Eddy does more operations per second, or takes longer or more CPU per operation).
 */
final class ComparisonTable {
    static final int EDDY = 0;
    static final int LOCAL = 1;

    private static final String HEADER = "| workload | reads | operation | ops/s Eddy | ops/s Local | x "
            + "| p50 ms Eddy | p50 ms Local | x | p99 ms Eddy | p99 ms Local | x "
            + "| server CPU us/op Eddy | server CPU us/op Local | x | client CPU us/op Eddy | client CPU us/op Local |\n"
            + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    private static final String SERIAL_HEADER = "| operation (one thread) | p50 ms Eddy | p50 ms Local | x "
            + "| p99 ms Eddy | p99 ms Local | x |\n|---|---:|---:|---:|---:|---:|---:|\n";

    private static final String CAPACITY_HEADER = "| mix | reads | requests/s Eddy | requests/s Local | x "
            + "| p50 ms Eddy | p50 ms Local | x | p99 ms Eddy | p99 ms Local | x "
            + "| server CPU us/request Eddy | server CPU us/request Local | x | wrk CPU us/request Eddy "
            + "| wrk CPU us/request Local |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    private final Map<String, ServerCapacity.Result[]> capacity = new LinkedHashMap<>();

    void addCapacity(String label, int target, String targetName, ServerCapacity.Result result) {
        capacity.computeIfAbsent(label, l -> new ServerCapacity.Result[2])[target] = result;
        if (result.non2xx() > 0 || result.socketErrors() > 0) {
            errors.add(String.format("capacity %s on %s: %d non-2xx responses, %d socket errors",
                    label.replace(" | ", ", "), targetName, result.non2xx(), result.socketErrors()));
        }
    }

    void capacitySkipped(String why) {
        errors.add("capacity runs skipped: " + why);
    }

    boolean hasCapacity() {
        return capacity.values().stream().anyMatch(r -> r[EDDY] != null && r[LOCAL] != null);
    }

    String capacity() {
        StringBuilder t = new StringBuilder(CAPACITY_HEADER);
        capacity.forEach((label, r) -> {
            if (r[EDDY] == null || r[LOCAL] == null) {
                return;
            }
            ServerCapacity.Result e = r[EDDY];
            ServerCapacity.Result l = r[LOCAL];
            t.append("| ").append(label).append(" | ").append(number(e.requestsPerSecond())).append(" | ")
                    .append(number(l.requestsPerSecond())).append(" | ").append(ratio(e.requestsPerSecond() / l.requestsPerSecond()));
            t.append(String.format(" | %.2f | %.2f | %s", e.p50Millis(), l.p50Millis(), ratio(e.p50Millis() / l.p50Millis())));
            t.append(String.format(" | %.2f | %.2f | %s", e.p99Millis(), l.p99Millis(), ratio(e.p99Millis() / l.p99Millis())));
            t.append(String.format(" | %.0f | %.0f | %s | %.1f | %.1f |%n", e.serverCpuMicrosPerRequest(),
                    l.serverCpuMicrosPerRequest(), ratio(e.serverCpuMicrosPerRequest() / l.serverCpuMicrosPerRequest()),
                    e.clientCpuMicrosPerRequest(), l.clientCpuMicrosPerRequest()));
        });
        return t.toString();
    }

    /** Results by row label, each Eddy's then DynamoDB Local's. */
    private final Map<String, WorkloadRun.Result[]> workloads = new LinkedHashMap<>();
    private final Map<String, WorkloadRun.Result[]> serial = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    void addWorkload(String workload, String reads, int target, String targetName, WorkloadRun.Result result) {
        add(workloads, workload + " | " + reads, target, targetName, result);
    }

    void addSerial(String operation, int target, String targetName, WorkloadRun.Result result) {
        add(serial, operation, target, targetName, result);
    }

    private void add(Map<String, WorkloadRun.Result[]> rows, String label, int target, String targetName,
                     WorkloadRun.Result result) {
        rows.computeIfAbsent(label, l -> new WorkloadRun.Result[2])[target] = result;
        if (result.errors() > 0) {
            errors.add(String.format("%s on %s: %d failed operations", label.replace(" | ", ", "), targetName,
                    result.errors()));
        }
    }

    String workloads() {
        StringBuilder t = new StringBuilder(HEADER);
        complete(workloads).forEach((label, r) -> {
            WorkloadRun.Result eddy = r[EDDY];
            WorkloadRun.Result local = r[LOCAL];
            boolean mixed = eddy.latencies().size() > 1;
            if (mixed) {
                row(t, label + " | all", eddy.throughput(), local.throughput(), eddy.combined(), local.combined(),
                        cpu(eddy, local));
            }
            eddy.latencies().forEach((operation, e) -> {
                Histogram l = local.latencies().get(operation);
                if (l != null) {
                    row(t, label + " | " + operation, eddy.throughput(e.getTotalCount()),
                            local.throughput(l.getTotalCount()), e, l, mixed ? "| | | | | |" : cpu(eddy, local));
                }
            });
        });
        return t.toString();
    }

    String serial() {
        StringBuilder t = new StringBuilder(SERIAL_HEADER);
        complete(serial).forEach((label, r) -> {
            t.append("| ").append(label).append(' ');
            latency(t, r[EDDY].combined(), r[LOCAL].combined(), 50);
            latency(t, r[EDDY].combined(), r[LOCAL].combined(), 99);
            t.append("|\n");
        });
        return t.toString();
    }

    /** The lowest and highest load average seen after a run, "low-high". */
    String loadAverages() {
        DoubleSummaryStatistics load = Stream.concat(workloads.values().stream(), serial.values().stream())
                .flatMap(Arrays::stream).filter(Objects::nonNull).mapToDouble(WorkloadRun.Result::loadAverage)
                .summaryStatistics();
        return String.format("%.1f-%.1f", load.getMin(), load.getMax());
    }

    List<String> errors() {
        return errors;
    }

    /** Rows measured on both targets. */
    private static Map<String, WorkloadRun.Result[]> complete(Map<String, WorkloadRun.Result[]> rows) {
        Map<String, WorkloadRun.Result[]> out = new LinkedHashMap<>();
        rows.forEach((label, r) -> {
            if (r[EDDY] != null && r[LOCAL] != null) {
                out.put(label, r);
            }
        });
        return out;
    }

    private static void row(StringBuilder t, String label, double opsEddy, double opsLocal, Histogram eddy,
                            Histogram local, String cpu) {
        t.append("| ").append(label).append(" | ").append(number(opsEddy)).append(" | ").append(number(opsLocal))
                .append(" | ").append(ratio(opsEddy / opsLocal)).append(' ');
        latency(t, eddy, local, 50);
        latency(t, eddy, local, 99);
        t.append(cpu).append('\n');
    }

    private static void latency(StringBuilder t, Histogram eddy, Histogram local, double percentile) {
        double e = eddy.getValueAtPercentile(percentile) / 1000.0;
        double l = local.getValueAtPercentile(percentile) / 1000.0;
        t.append(String.format("| %.2f | %.2f | %s ", e, l, ratio(e / l)));
    }

    private static String cpu(WorkloadRun.Result eddy, WorkloadRun.Result local) {
        double e = eddy.serverCpuMicrosPerOperation();
        double l = local.serverCpuMicrosPerOperation();
        return String.format("| %.0f | %.0f | %s | %.0f | %.0f |", e, l, ratio(e / l), eddy.clientCpuMicrosPerOperation(),
                local.clientCpuMicrosPerOperation());
    }

    /** Whole numbers, with a decimal below 10 so that a rate of 0.4 does not print as 0. */
    private static String number(double v) {
        return String.format(v < 10 ? "%.1f" : "%.0f", v);
    }

    /** Two decimals, or three significant digits where two decimals would hide the difference. */
    private static String ratio(double x) {
        return String.format(x < 0.1 ? "%.3g" : x >= 100 ? "%.0f" : "%.2f", x);
    }
}

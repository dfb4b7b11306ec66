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
 * The runs as Markdown tables: Eddy's figures, and where a baseline server was given, its figures
 * beside them with the ratio x = Eddy / baseline (above 1: Eddy does more operations per second, or
 * takes longer or more CPU per operation). Without a baseline those columns show "-".
 */
final class ComparisonTable {
    static final int EDDY = 0;
    static final int BASELINE = 1;

    private static final String HEADER = "| workload | reads | operation | ops/s Eddy | ops/s base | x "
            + "| p50 ms Eddy | p50 ms base | x | p99 ms Eddy | p99 ms base | x "
            + "| server CPU us/op Eddy | server CPU us/op base | x | client CPU us/op Eddy | client CPU us/op base |\n"
            + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    private static final String SERIAL_HEADER = "| operation (one thread) | p50 ms Eddy | p50 ms base | x "
            + "| p99 ms Eddy | p99 ms base | x |\n|---|---:|---:|---:|---:|---:|---:|\n";
    private static final String CAPACITY_HEADER = "| mix | reads | requests/s Eddy | requests/s base | x "
            + "| p50 ms Eddy | p50 ms base | x | p99 ms Eddy | p99 ms base | x "
            + "| server CPU us/request Eddy | server CPU us/request base | x | wrk CPU us/request Eddy "
            + "| wrk CPU us/request base |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    private final Map<String, ServerCapacity.Result[]> capacity = new LinkedHashMap<>();
    /** Results by row label, each Eddy's then the baseline's (null without one). */
    private final Map<String, WorkloadRun.Result[]> workloads = new LinkedHashMap<>();
    private final Map<String, WorkloadRun.Result[]> serial = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

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
        return capacity.values().stream().anyMatch(r -> r[EDDY] != null);
    }

    String capacity() {
        StringBuilder t = new StringBuilder(CAPACITY_HEADER);
        capacity.forEach((label, r) -> {
            ServerCapacity.Result e = r[EDDY];
            ServerCapacity.Result b = r[BASELINE];
            if (e == null) {
                return;
            }
            t.append("| ").append(label);
            triple(t, e.requestsPerSecond(), b == null ? Double.NaN : b.requestsPerSecond(), "%.0f");
            triple(t, e.p50Millis(), b == null ? Double.NaN : b.p50Millis(), "%.2f");
            triple(t, e.p99Millis(), b == null ? Double.NaN : b.p99Millis(), "%.2f");
            triple(t, e.serverCpuMicrosPerRequest(), b == null ? Double.NaN : b.serverCpuMicrosPerRequest(), "%.0f");
            t.append(" | ").append(cell(e.clientCpuMicrosPerRequest(), "%.1f")).append(" | ")
                    .append(cell(b == null ? Double.NaN : b.clientCpuMicrosPerRequest(), "%.1f")).append(" |\n");
        });
        return t.toString();
    }

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
        workloads.forEach((label, r) -> {
            WorkloadRun.Result eddy = r[EDDY];
            WorkloadRun.Result base = r[BASELINE];
            if (eddy == null) {
                return;
            }
            boolean mixed = eddy.latencies().size() > 1;
            if (mixed) {
                row(t, label + " | all", eddy.throughput(), base == null ? Double.NaN : base.throughput(),
                        eddy.combined(), base == null ? null : base.combined(), cpu(eddy, base));
            }
            eddy.latencies().forEach((operation, e) -> {
                Histogram b = base == null ? null : base.latencies().get(operation);
                row(t, label + " | " + operation, eddy.throughput(e.getTotalCount()),
                        b == null ? Double.NaN : base.throughput(b.getTotalCount()), e, b,
                        mixed ? "| | | | | |" : cpu(eddy, base));
            });
        });
        return t.toString();
    }

    String serial() {
        StringBuilder t = new StringBuilder(SERIAL_HEADER);
        serial.forEach((label, r) -> {
            if (r[EDDY] == null) {
                return;
            }
            Histogram base = r[BASELINE] == null ? null : r[BASELINE].combined();
            t.append("| ").append(label);
            latency(t, r[EDDY].combined(), base, 50);
            latency(t, r[EDDY].combined(), base, 99);
            t.append(" |\n");
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

    private static void row(StringBuilder t, String label, double opsEddy, double opsBase, Histogram eddy,
                            Histogram base, String cpu) {
        t.append("| ").append(label);
        triple(t, opsEddy, opsBase, null);
        latency(t, eddy, base, 50);
        latency(t, eddy, base, 99);
        t.append(' ').append(cpu).append('\n');
    }

    private static void latency(StringBuilder t, Histogram eddy, Histogram base, double percentile) {
        triple(t, eddy.getValueAtPercentile(percentile) / 1000.0,
                base == null ? Double.NaN : base.getValueAtPercentile(percentile) / 1000.0, "%.2f");
    }

    private static String cpu(WorkloadRun.Result eddy, WorkloadRun.Result base) {
        StringBuilder t = new StringBuilder();
        double b = base == null ? Double.NaN : base.serverCpuMicrosPerOperation();
        triple(t, eddy.serverCpuMicrosPerOperation(), b, "%.0f");
        t.append(" | ").append(cell(eddy.clientCpuMicrosPerOperation(), "%.0f")).append(" | ")
                .append(cell(base == null ? Double.NaN : base.clientCpuMicrosPerOperation(), "%.0f")).append(" |");
        return t.substring(1);
    }

    /** " | eddy | base | x" (base and x "-" where there is no baseline figure). */
    private static void triple(StringBuilder t, double eddy, double base, String format) {
        t.append(" | ").append(cell(eddy, format)).append(" | ").append(cell(base, format)).append(" | ")
                .append(base > 0 ? ratio(eddy / base) : "-");
    }

    /** A figure; "-" for none (NaN, or zero CPU from a process that is not known). null: a rate's format. */
    private static String cell(double v, String format) {
        if (Double.isNaN(v) || v <= 0) {
            return "-";
        }
        return String.format(format != null ? format : v < 10 ? "%.1f" : "%.0f", v);
    }

    /** Two decimals, or three significant digits where two decimals would hide the difference. */
    private static String ratio(double x) {
        return String.format(x < 0.1 ? "%.3g" : x >= 100 ? "%.0f" : "%.2f", x);
    }
}

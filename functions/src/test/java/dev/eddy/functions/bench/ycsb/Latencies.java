package dev.eddy.functions.bench.ycsb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of successful operations, one histogram per operation (READ, UPDATE, ...), recorded in
 * microseconds from any number of threads; failed operations are only counted.
 */
final class Latencies {
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private volatile String firstFailure;

    void record(String operation, long micros) {
        recorders.computeIfAbsent(operation, o -> new Recorder(3)).recordValue(Math.max(1, micros));
    }

    /** A failed call: a status other than OK, or an exception (its text kept for the report). */
    void error(String failure) {
        errors.increment();
        if (firstFailure == null) {
            firstFailure = failure;
        }
    }

    String firstFailure() {
        return firstFailure;
    }

    long errors() {
        return errors.sum();
    }

    /** What was recorded, per operation in name order. */
    Map<String, Histogram> histograms() {
        Map<String, Histogram> out = new TreeMap<>();
        recorders.forEach((operation, recorder) -> out.put(operation, recorder.getIntervalHistogram()));
        return out;
    }
}

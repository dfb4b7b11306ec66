package dev.eddy.functions.bench.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.function.Supplier;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/** Times every call into a binding, as YCSB's own wrapper does, into the run's {@link Latencies}. */
final class TimedDb extends DB {
    private final DB binding;
    private final Latencies latencies;

    TimedDb(DB binding, Latencies latencies) {
        this.binding = binding;
        this.latencies = latencies;
    }

    @Override
    public void setProperties(Properties p) {
        binding.setProperties(p);
    }

    @Override
    public void init() throws DBException {
        binding.init();
    }

    @Override
    public void cleanup() throws DBException {
        binding.cleanup();
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return timed("READ", () -> binding.read(table, key, fields, result));
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return timed("SCAN", () -> binding.scan(table, startkey, recordcount, fields, result));
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return timed("UPDATE", () -> binding.update(table, key, values));
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return timed("INSERT", () -> binding.insert(table, key, values));
    }

    @Override
    public Status delete(String table, String key) {
        return timed("DELETE", () -> binding.delete(table, key));
    }

    private Status timed(String operation, Supplier<Status> call) {
        long start = System.nanoTime();
        Status status;
        try {
            status = call.get();
        } catch (RuntimeException e) {
            // YCSB's client thread exits the JVM on an exception; count it and go on instead.
            latencies.error(operation + ": " + e);
            return Status.ERROR;
        }
        long micros = (System.nanoTime() - start) / 1000;
        if (status.isOk()) {
            latencies.record(operation, micros);
        } else {
            latencies.error(operation + ": " + status.getName());
        }
        return status;
    }
}

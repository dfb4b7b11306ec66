package dev.eddy.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The engine's own counts and gauges (CAS retries, background failures, outbox backlog, index lag,
 * ...), kept without a metrics library so the core stays plain Java. The application exposes them
 * (Micrometer, Prometheus); tests read them directly. Names are dotted, lower case, with an
 * optional tag set ("table" = name, ...).
 */
public final class Meters {
    /** One meter's identity: its name and tags, in the order given. */
    public record Id(String name, List<String> tags) {
    }

    private final Map<Id, LongAdder> counters = new ConcurrentHashMap<>();
    private final BackgroundFailures failures = new BackgroundFailures(this);
    private final Map<Id, Supplier<Number>> gauges = new ConcurrentHashMap<>();

    /** Where background work reports its failures (counted, and logged at WARN with what retries them). */
    public BackgroundFailures failures() {
        return failures;
    }

    /** The counter with this name and tags ({@code key, value, key, value, ...}), created on first use. */
    public LongAdder counter(String name, String... tags) {
        return counters.computeIfAbsent(new Id(name, List.of(tags)), id -> new LongAdder());
    }

    /** Registers (or replaces) a gauge read when the meters are collected. */
    public void gauge(String name, Supplier<Number> value, String... tags) {
        gauges.put(new Id(name, List.of(tags)), value);
    }

    public void removeGauge(String name, String... tags) {
        gauges.remove(new Id(name, List.of(tags)));
    }

    /** The counter's value now (0 when it was never counted). */
    public long count(String name, String... tags) {
        LongAdder c = counters.get(new Id(name, List.of(tags)));
        return c == null ? 0 : c.sum();
    }

    public Map<Id, LongAdder> counters() {
        return counters;
    }

    public Map<Id, Supplier<Number>> gauges() {
        return gauges;
    }
}

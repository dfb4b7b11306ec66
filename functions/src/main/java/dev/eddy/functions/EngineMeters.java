package dev.eddy.functions;

import dev.eddy.core.Meters;
import dev.eddy.triggers.dispatcher.TriggerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.infinispan.client.hotrod.jmx.RemoteCacheClientStatisticsMXBean;

/**
 * The engine's own meters ({@link Meters}: every counter and gauge the core keeps, whatever it adds
 * later), the near cache's hits and misses, and each trigger's lag and failures, as Micrometer
 * meters named {@code eddy.<core name>}. The core creates meters as it goes, so they are bound
 * again just before each scrape of {@code /q/metrics} (and once at start); gauges the core removed
 * are removed too.
 */
@ApplicationScoped
public class EngineMeters {
    @Inject
    MeterRegistry registry;
    @Inject
    EddyRuntime runtime;

    private final Map<Meters.Id, Meter> bound = new HashMap<>();
    /** The meters of each trigger dispatched here, by trigger (a mapping's UUID, a configured trigger's name). */
    private final Map<String, java.util.List<Meter>> triggers = new HashMap<>();
    private boolean fixedBound;

    void routes(@Observes Router router) {
        router.get("/q/metrics").order(-100).handler(rc -> {
            bind();
            rc.next();
        });
    }

    /** Registers what is new since the last call. */
    synchronized void bind() {
        if (runtime.eddy() == null) {
            return;
        }
        if (!fixedBound) {
            bindNearCache();
            fixedBound = true;
        }
        Meters meters = runtime.eddy().meters();
        for (Map.Entry<Meters.Id, LongAdder> c : meters.counters().entrySet()) {
            bound.computeIfAbsent(c.getKey(), id -> FunctionCounter.builder(name(id), c.getValue(), LongAdder::sum)
                    .tags(tags(id)).register(registry));
        }
        for (Map.Entry<Meters.Id, Supplier<Number>> g : meters.gauges().entrySet()) {
            bound.computeIfAbsent(g.getKey(), id -> Gauge.builder(name(id), meters,
                    m -> read(m.gauges().get(id))).tags(tags(id)).register(registry));
        }
        bound.entrySet().removeIf(e -> {
            boolean gone = !meters.counters().containsKey(e.getKey()) && !meters.gauges().containsKey(e.getKey());
            if (gone) {
                registry.remove(e.getValue());
            }
            return gone;
        });
        Map<String, TriggerStats> running = runtime.triggerDuties() == null ? Map.of()
                : runtime.triggerDuties().running();
        running.forEach((name, stats) -> triggers.computeIfAbsent(name, n -> bindTrigger(n, stats)));
        triggers.entrySet().removeIf(e -> {
            boolean gone = !running.containsKey(e.getKey());
            if (gone) {
                e.getValue().forEach(registry::remove);
            }
            return gone;
        });
    }

    private void bindNearCache() {
        ToDoubleFunction<EddyRuntime> hits = r -> r.eddy().storage().nearCacheStatistics().stream()
                .mapToLong(RemoteCacheClientStatisticsMXBean::getNearCacheHits).sum();
        ToDoubleFunction<EddyRuntime> misses = r -> r.eddy().storage().nearCacheStatistics().stream()
                .mapToLong(RemoteCacheClientStatisticsMXBean::getNearCacheMisses).sum();
        FunctionCounter.builder("eddy.near_cache.hits", runtime, hits)
                .description("Eventually consistent reads the near cache answered").register(registry);
        FunctionCounter.builder("eddy.near_cache.misses", runtime, misses)
                .description("Eventually consistent reads that went to a server").register(registry);
        Gauge.builder("eddy.near_cache.hit_ratio", runtime, r -> {
            double h = hits.applyAsDouble(r);
            double total = h + misses.applyAsDouble(r);
            return total == 0 ? Double.NaN : h / total;
        }).description("Near-cache hits over all near-cache lookups since start").register(registry);
    }

    /** A trigger's meters (the dispatcher keeps one TriggerStats per trigger across its restarts). */
    private java.util.List<Meter> bindTrigger(String name, TriggerStats stats) {
        Tags tags = Tags.of("trigger", name);
        return java.util.List.of(
                Gauge.builder("eddy.trigger.lag", stats, TriggerStats::lag).tags(tags)
                        .description("Records of the topic the trigger's function has not yet taken").register(registry),
                Gauge.builder("eddy.trigger.iterator.age.seconds", stats, s -> s.iteratorAgeMillis() / 1000.0).tags(tags)
                        .description("Lambda's IteratorAge: how old the last record of the latest batch was when sent")
                        .register(registry),
                FunctionCounter.builder("eddy.trigger.records.delivered", stats, TriggerStats::delivered).tags(tags)
                        .register(registry),
                FunctionCounter.builder("eddy.trigger.invocations", stats, TriggerStats::invocations).tags(tags)
                        .description("Batches sent to the function").register(registry),
                FunctionCounter.builder("eddy.trigger.invocations.failed", stats, TriggerStats::failedInvocations)
                        .tags(tags).register(registry),
                FunctionCounter.builder("eddy.trigger.retries", stats, TriggerStats::retries).tags(tags)
                        .description("Batches sent again after a function error or a partial failure")
                        .register(registry),
                FunctionCounter.builder("eddy.trigger.records.dead_lettered", stats, TriggerStats::deadLettered)
                        .tags(tags).register(registry),
                FunctionCounter.builder("eddy.trigger.records.discarded", stats, TriggerStats::discarded).tags(tags)
                        .register(registry));
    }

    /** The core names most of its meters eddy.* already: those keep their name (never eddy.eddy.*). */
    private static String name(Meters.Id id) {
        return id.name().startsWith("eddy.") ? id.name() : "eddy." + id.name();
    }

    private static Tags tags(Meters.Id id) {
        Tags t = Tags.empty();
        for (int i = 0; i + 1 < id.tags().size(); i += 2) {
            t = t.and(id.tags().get(i), id.tags().get(i + 1));
        }
        return t;
    }

    private static double read(Supplier<Number> gauge) {
        if (gauge == null) {
            return Double.NaN;
        }
        Number n = gauge.get();
        return n == null ? Double.NaN : n.doubleValue();
    }
}

package dev.eddy.triggers.mappings;

import dev.eddy.core.lease.Duty;
import dev.eddy.core.lease.Leases;
import dev.eddy.triggers.dispatcher.RecordCheck;
import dev.eddy.triggers.dispatcher.TriggerConfig;
import dev.eddy.triggers.dispatcher.TriggerStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The triggers as maintenance duties: one per event source mapping in the cluster (re-listed at most
 * once a second, so a mapping created by any function instance runs within about a second, with no
 * restart) and one per trigger in this process's configuration. Added to the maintenance role's duty
 * sources; the function role runs none.
 */
public final class MappingDuties implements Supplier<Collection<Duty>> {
    private static final long REFRESH_MILLIS = 1_000;

    private final MappingContext context;
    private final Leases leases;
    private final String bootstrapServers;
    private final Map<String, String> kafkaClient;
    private final RecordCheck check;
    private final List<ConfiguredTriggerDuty> configured;
    private final Map<String, MappingDuty> mappingDuties = new ConcurrentHashMap<>();
    private volatile List<Duty> current = List.of();
    private volatile long refreshedAt;

    public MappingDuties(MappingContext context, Leases leases, List<TriggerConfig> configuredTriggers,
                         String bootstrapServers, Map<String, String> kafkaClient, RecordCheck check) {
        this.check = check;
        this.context = context;
        this.leases = leases;
        this.bootstrapServers = bootstrapServers;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.configured = configuredTriggers.stream().filter(TriggerConfig::enabled)
                .map(c -> new ConfiguredTriggerDuty(c, bootstrapServers, this.kafkaClient, check)).toList();
    }

    @Override
    public Collection<Duty> get() {
        long now = System.currentTimeMillis();
        if (now - refreshedAt < REFRESH_MILLIS) {
            return current;
        }
        List<Duty> duties = new ArrayList<>(configured);
        Map<String, MappingDuty> seen = new TreeMap<>();
        for (EventSourceMapping m : context.mappings().all()) {
            seen.put(m.uuid(), mappingDuties.computeIfAbsent(m.uuid(),
                    uuid -> new MappingDuty(uuid, context, leases, bootstrapServers, kafkaClient, check)));
        }
        mappingDuties.keySet().retainAll(seen.keySet());
        duties.addAll(seen.values());
        current = List.copyOf(duties);
        refreshedAt = now;
        return current;
    }

    /** Lists the mappings again at the next tick (after a change this process made). */
    public void refresh() {
        refreshedAt = 0;
    }

    /** Each trigger dispatched in this process now (mappings by UUID, configured ones by name), with its counts. */
    public Map<String, TriggerStats> running() {
        Map<String, TriggerStats> out = new TreeMap<>();
        for (DispatcherDuty d : configured) {
            if (d.isRunning()) {
                out.put(d.trigger(), d.stats);
            }
        }
        for (MappingDuty d : mappingDuties.values()) {
            if (d.isRunning()) {
                out.put(d.trigger(), d.stats);
            }
        }
        return out;
    }
}

package dev.eddy.triggers.mappings;

import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The event source mappings of the cluster, in the {@value #CACHE} cache beside the engine's own
 * system caches: one entry per mapping ({@code m/<uuid>}), changed only by compare-and-set, and one
 * claim per stream and function ({@code p/<stream arn> <function arn>}, holding the mapping's UUID)
 * that makes Lambda's one-mapping-per-pair rule hold for concurrent creates too.
 */
public final class EventSourceMappings {
    public static final String CACHE = Storage.PREFIX + "event-source-mappings";
    private static final String MAPPING = "m/";
    private static final String PAIR = "p/";

    private final Storage storage;

    /** A mapping as read, with the version the next compare-and-set names. */
    public record Versioned(EventSourceMapping mapping, long version) {
    }

    public EventSourceMappings(Storage storage) {
        this.storage = storage;
        storage.createCache(CACHE);
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private static byte[] key(String prefix, String id) {
        return (prefix + id).getBytes(StandardCharsets.UTF_8);
    }

    private static String pair(String eventSourceArn, String functionArn) {
        return eventSourceArn + " " + functionArn;
    }

    public Versioned find(String uuid) {
        Entries.Versioned v = cache().getVersioned(key(MAPPING, uuid));
        return v == null ? null : new Versioned(EventSourceMapping.decode(v.value()), v.version());
    }

    /** The UUID of the mapping of this stream and function, or null. */
    public String claimant(String eventSourceArn, String functionArn) {
        byte[] uuid = cache().get(key(PAIR, pair(eventSourceArn, functionArn)));
        return uuid == null ? null : new String(uuid, StandardCharsets.UTF_8);
    }

    /** Stores a new mapping; false when its stream and function already have one. */
    public boolean create(EventSourceMapping m) {
        byte[] uuid = m.uuid().getBytes(StandardCharsets.UTF_8);
        if (!cache().putIfAbsent(key(PAIR, pair(m.eventSourceArn(), m.functionArn())), uuid)) {
            return false;
        }
        cache().put(key(MAPPING, m.uuid()), m.encode());
        return true;
    }

    /**
     * Replaces a mapping read at {@code version}; false when it changed meanwhile. A new function
     * moves the pair's claim (refused, and nothing changed, when the new pair is taken).
     */
    public boolean replace(EventSourceMapping before, EventSourceMapping after, long version) {
        boolean moved = !before.functionArn().equals(after.functionArn());
        if (moved && !cache().putIfAbsent(key(PAIR, pair(after.eventSourceArn(), after.functionArn())),
                after.uuid().getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        if (!cache().replace(key(MAPPING, after.uuid()), after.encode(), version)) {
            if (moved) {
                cache().remove(key(PAIR, pair(after.eventSourceArn(), after.functionArn())));
            }
            return false;
        }
        if (moved) {
            cache().remove(key(PAIR, pair(before.eventSourceArn(), before.functionArn())));
        }
        return true;
    }

    /** Forgets a mapping whose deletion is done, with its claim. */
    public void remove(EventSourceMapping m) {
        cache().remove(key(MAPPING, m.uuid()));
        cache().remove(key(PAIR, pair(m.eventSourceArn(), m.functionArn())));
    }

    /** Every mapping, oldest first (the order ListEventSourceMappings pages in). */
    public List<EventSourceMapping> all() {
        List<EventSourceMapping> out = new ArrayList<>();
        cache().forEachEntry((k, v) -> {
            if (new String(k, StandardCharsets.UTF_8).startsWith(MAPPING)) {
                out.add(EventSourceMapping.decode(v));
            }
        });
        out.sort(Comparator.comparingLong(EventSourceMapping::createdMillis).thenComparing(EventSourceMapping::uuid));
        return out;
    }
}

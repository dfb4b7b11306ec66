package dev.eddy.core.storage.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.configuration.NearCacheConfiguration;
import org.infinispan.client.hotrod.near.NearCache;
import org.infinispan.client.hotrod.near.NearCacheFactory;
import org.infinispan.commons.marshall.WrappedByteArray;

/**
 * The Hot Rod near caches of one process held to one memory budget in bytes (DESIGN.md,
 * "Consistency and the near cache"), whatever number of tables they serve: every cache's entries
 * live in one Caffeine cache weighed by their key and value bytes, evicted by Caffeine's
 * frequency-aware policy when the total passes the budget. Hot Rod's own near cache bounds each
 * cache by an entry count, which says nothing of memory when items are 100 bytes or 400 KB.
 * Caffeine is the library Hot Rod's near cache is built on already.
 *
 * <p>Every entry is also dropped a maximum age after it was read from the servers. The servers'
 * invalidations alone do not keep a near cache current: the client caches the answer to a read
 * unless an invalidation arrived while it was on its way, and a read a backup owner answers just
 * after the primary owner's invalidation, before the backup applied the write, brings back the old
 * value after its invalidation (a client sends a read to a backup whenever it has no topology, or a
 * failure rules the primary out for a retry). Such an entry would stay until the key's next change;
 * with the age bound it stays at most that long, as DynamoDB's eventually consistent reads converge
 * within about a second. An expiry is an eviction to Hot Rod and to the entry counts (the same
 * removal path), and a read whose placeholder expires on its way is simply not cached.
 */
public final class ByteBudget implements NearCacheFactory {
    /** What an entry costs beyond its bytes: the map node, the wrappers, the metadata. */
    private static final int OVERHEAD = 96;

    private record Key(int view, WrappedByteArray key) {
    }

    private final Cache<Key, MetadataValue<Object>> entries;
    private final long maxBytes;
    /** Bytes readers' views of the values hold (see {@link StoredBytes}): the entries get what is left. */
    private final java.util.concurrent.atomic.AtomicLong viewBytes = new java.util.concurrent.atomic.AtomicLong();
    private final List<View<?, ?>> views = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger nextView = new AtomicInteger();

    /**
     * @param maxBytes      what all the near caches' entries may weigh together
     * @param maxAgeMillis  how long after it was read from the servers an entry is dropped, however
     *                      often it is read; 0 keeps entries until invalidated or evicted
     */
    public ByteBudget(long maxBytes, long maxAgeMillis) {
        this.maxBytes = maxBytes;
        Caffeine<Object, Object> builder = Caffeine.newBuilder();
        if (maxAgeMillis > 0) {
            builder.expireAfterWrite(java.time.Duration.ofMillis(maxAgeMillis));
        }
        this.entries = builder
                .maximumWeight(maxBytes)
                .weigher((Key k, MetadataValue<Object> v) -> OVERHEAD + k.key().getLength() + weight(v.getValue()))
                .removalListener(this::removed)
                .executor(Runnable::run)
                .build();
    }

    private static int weight(Object value) {
        return value instanceof WrappedByteArray w ? w.getLength() : 64;
    }

    private void removed(Key key, MetadataValue<Object> value, RemovalCause cause) {
        if (value != null && value.getValue() instanceof StoredBytes stored) {
            stored.released();
        }
        if (key == null || !cause.wasEvicted()) { // evicted: by size, or expired (see the class comment)
            return;
        }
        for (View<?, ?> v : views) {
            if (v.id == key.view()) {
                v.evicted(key.key(), value);
            }
        }
    }

    /**
     * A view of a value was attached (positive) or let go (negative): the entries' share of the
     * budget shrinks or grows by as much, evicting entries when it shrinks below what they hold.
     */
    void charge(long bytes) {
        long views = viewBytes.addAndGet(bytes);
        entries.policy().eviction().ifPresent(e -> e.setMaximum(Math.max(0, maxBytes - Math.max(0, views))));
    }

    /** Bytes held now, as weighed, with the views of the values. */
    public long weight() {
        return entries.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L) + viewBytes.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> NearCache<K, V> createNearCache(NearCacheConfiguration config, BiConsumer<K, MetadataValue<V>> removed) {
        View<K, V> view = new View<>(nextView.getAndIncrement(), (BiConsumer<K, MetadataValue<V>>) removed);
        views.add(view);
        return view;
    }

    /** One Hot Rod cache's near cache: its share of the shared entries, told apart by a view id. */
    private final class View<K, V> implements NearCache<K, V> {
        final int id;
        final BiConsumer<K, MetadataValue<V>> removedConsumer;
        final AtomicInteger size = new AtomicInteger();

        View(int id, BiConsumer<K, MetadataValue<V>> removedConsumer) {
            this.id = id;
            this.removedConsumer = removedConsumer;
        }

        private Key key(K k) {
            return new Key(id, (WrappedByteArray) k);
        }

        @SuppressWarnings("unchecked")
        void evicted(WrappedByteArray k, MetadataValue<Object> v) {
            size.decrementAndGet();
            if (removedConsumer != null) {
                removedConsumer.accept((K) k, (MetadataValue<V>) (MetadataValue<?>) v);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean putIfAbsent(K k, MetadataValue<V> v) {
            boolean[] added = {false};
            entries.asMap().computeIfAbsent(key(k), x -> {
                added[0] = true;
                return (MetadataValue<Object>) (MetadataValue<?>) v;
            });
            if (added[0]) {
                size.incrementAndGet();
            }
            return added[0];
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean replace(K k, MetadataValue<V> prev, MetadataValue<V> v) {
            return entries.asMap().replace(key(k), (MetadataValue<Object>) (MetadataValue<?>) prev,
                    (MetadataValue<Object>) (MetadataValue<?>) v);
        }

        @Override
        public boolean remove(K k) {
            boolean gone = entries.asMap().remove(key(k)) != null;
            if (gone) {
                size.decrementAndGet();
            }
            return gone;
        }

        @Override
        public boolean remove(K k, MetadataValue<V> v) {
            boolean gone = entries.asMap().remove(key(k), v);
            if (gone) {
                size.decrementAndGet();
            }
            return gone;
        }

        @Override
        @SuppressWarnings("unchecked")
        public MetadataValue<V> get(K k) {
            return (MetadataValue<V>) (MetadataValue<?>) entries.getIfPresent(key(k));
        }

        @Override
        public void clear() {
            entries.asMap().keySet().removeIf(k -> k.view() == id);
            size.set(0);
        }

        @Override
        public int size() {
            return Math.max(0, size.get());
        }

        @Override
        @SuppressWarnings("unchecked")
        public Iterator<Map.Entry<K, MetadataValue<V>>> iterator() {
            List<Map.Entry<K, MetadataValue<V>>> out = new ArrayList<>();
            entries.asMap().forEach((k, v) -> {
                if (k.view() == id) {
                    out.add(Map.entry((K) k.key(), (MetadataValue<V>) (MetadataValue<?>) v));
                }
            });
            return out.iterator();
        }
    }
}

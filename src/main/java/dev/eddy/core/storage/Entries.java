package dev.eddy.core.storage;

import java.util.Map;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.jmx.RemoteCacheClientStatisticsMXBean;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.commons.util.CloseableIterator;

/**
 * One cache seen as bytes to bytes: the Hot Rod operations the storage engine uses, with keys
 * wrapped for value equality (see {@link OctetStreamMarshaller}) so the rest of the engine deals in
 * plain arrays.
 */
public final class Entries {
    private final RemoteCache<WrappedByteArray, WrappedByteArray> cache;
    private final RemoteCache<WrappedByteArray, WrappedByteArray> returning;

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache) {
        this.cache = cache;
        this.returning = cache.withFlags(Flag.FORCE_RETURN_VALUE);
    }

    /** A value with the version a compare-and-set must name. */
    public record Versioned(byte[] value, long version) {
    }

    private static WrappedByteArray wrap(byte[] b) {
        return new WrappedByteArray(b);
    }

    private static byte[] bytes(WrappedByteArray w) {
        return w == null ? null : w.getBytes();
    }

    public byte[] get(byte[] key) {
        return bytes(cache.get(wrap(key)));
    }

    public Versioned getVersioned(byte[] key) {
        MetadataValue<WrappedByteArray> mv = cache.getWithMetadata(wrap(key));
        return mv == null ? null : new Versioned(mv.getValue().getBytes(), mv.getVersion());
    }

    /** Stores the value when the key is absent; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        return returning.putIfAbsent(wrap(key), wrap(value)) == null;
    }

    public boolean replace(byte[] key, byte[] value, long version) {
        return cache.replaceWithVersion(wrap(key), wrap(value), version);
    }

    public boolean remove(byte[] key, long version) {
        return cache.removeWithVersion(wrap(key), version);
    }

    public void put(byte[] key, byte[] value) {
        cache.put(wrap(key), wrap(value));
    }

    public void remove(byte[] key) {
        cache.remove(wrap(key));
    }

    /** Every key, streamed from the servers. */
    public CloseableIterator<byte[]> keys() {
        CloseableIterator<WrappedByteArray> it = cache.keySet().iterator();
        return new CloseableIterator<>() {
            @Override
            public void close() {
                it.close();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public byte[] next() {
                return it.next().getBytes();
            }
        };
    }

    /** Every value, streamed from the servers in batches. */
    public void forEachEntry(java.util.function.BiConsumer<byte[], byte[]> action) {
        try (CloseableIterator<Map.Entry<Object, Object>> it = cache.retrieveEntries(null, 1000)) {
            while (it.hasNext()) {
                Map.Entry<Object, Object> e = it.next();
                action.accept(((WrappedByteArray) e.getKey()).getBytes(), ((WrappedByteArray) e.getValue()).getBytes());
            }
        }
    }

    public RemoteCacheClientStatisticsMXBean clientStatistics() {
        return cache.clientStatistics();
    }

}

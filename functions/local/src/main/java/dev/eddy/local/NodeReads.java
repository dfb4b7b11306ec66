package dev.eddy.local;

import dev.eddy.core.storage.LocalNode;
import dev.eddy.core.storage.Storage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.commons.IllegalLifecycleStateException;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.server.hotrod.MetadataUtils;

/**
 * Strongly consistent reads from the standalone node of the embedded default, in this process (see
 * {@link LocalNode}). The node is the only one, so its entry is the entry; it is looked up as its Hot
 * Rod server looks it up, raw bytes both ways, with the version Hot Rod would report.
 */
final class NodeReads implements LocalNode {
    private final EmbeddedCacheManager manager;
    private final Map<String, AdvancedCache<Object, Object>> caches = new ConcurrentHashMap<>();

    NodeReads(EmbeddedCacheManager manager) {
        this.manager = manager;
    }

    @Override
    public Stored read(String cacheName, byte[] key) {
        AdvancedCache<Object, Object> cache = cache(cacheName);
        try {
            return stored(cache.getCacheEntry(key));
        } catch (IllegalLifecycleStateException stopped) {
            throw gone(cacheName, cache);
        }
    }

    @Override
    public CompletableFuture<Stored> readAsync(String cacheName, byte[] key) {
        AdvancedCache<Object, Object> cache;
        try {
            cache = cache(cacheName);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return cache.getCacheEntryAsync(key).handle((entry, failure) -> {
            if (failure == null) {
                return stored(entry);
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            throw cause instanceof IllegalLifecycleStateException ? gone(cacheName, cache)
                    : failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    private static Stored stored(CacheEntry<Object, Object> entry) {
        if (entry == null || entry.getValue() == null) {
            return null;
        }
        Object value = entry.getValue();
        byte[] bytes = value instanceof WrappedByteArray w ? w.getBytes() : (byte[]) value;
        return new Stored(bytes, MetadataUtils.extractVersion(entry));
    }

    /** The running cache by name, or {@link Storage.MissingCacheException}: removed caches are looked up again. */
    private AdvancedCache<Object, Object> cache(String name) {
        AdvancedCache<Object, Object> cache = caches.get(name);
        if (cache != null && cache.getStatus().allowInvocations()) {
            return cache;
        }
        Cache<Object, Object> found = manager.cacheExists(name) ? manager.getCache(name, false) : null;
        if (found == null || !found.getStatus().allowInvocations()) {
            caches.remove(name);
            throw new Storage.MissingCacheException(name);
        }
        cache = found.getAdvancedCache().withMediaType(MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_OCTET_STREAM);
        caches.put(name, cache);
        return cache;
    }

    private RuntimeException gone(String name, AdvancedCache<Object, Object> cache) {
        caches.remove(name, cache);
        return new Storage.MissingCacheException(name);
    }
}

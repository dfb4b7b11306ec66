package dev.eddy.core.storage;

/**
 * The Infinispan node that runs in this very process, when there is one (the embedded default of
 * {@code bin/eddy}): strongly consistent reads ask it directly instead of over Hot Rod on loopback,
 * which saves the round trip, the encoding on both sides and two thread hand-offs. Such a read is as
 * strong as a Hot Rod read: the Hot Rod server answers a read with the same lookup on its node.
 * Writes keep going through Hot Rod, so that the servers' versions and the near caches'
 * invalidations stay as they are.
 */
public interface LocalNode {
    /**
     * The entry as the node stores it, or null when absent.
     *
     * @throws Storage.MissingCacheException when the node has no such cache (never created, or removed)
     */
    Stored read(String cache, byte[] key);

    /**
     * {@link #read} without waiting: complete at once when the entry is in the node's memory, later
     * (on the node's own threads) when it must be loaded from the node's store.
     */
    java.util.concurrent.CompletableFuture<Stored> readAsync(String cache, byte[] key);

    /** An entry's stored bytes (sealed, for a cache encrypted at rest) and the version Hot Rod reports for it. */
    record Stored(byte[] bytes, long version) {
    }
}

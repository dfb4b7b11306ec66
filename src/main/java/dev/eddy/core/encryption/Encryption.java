package dev.eddy.core.encryption;

import dev.eddy.core.storage.EntrySeal;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.transaction.TransactionLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encryption at rest (DESIGN.md, "Security"): what Infinispan holds of items and change records,
 * in memory and in its file stores, is sealed with AES-GCM under a data key of its table, and each
 * data key is wrapped under a master key that never leaves Eddy's processes (envelope encryption,
 * as DynamoDB does with a table key under a KMS key). Encrypted are every value of each table's
 * cache (items, index entries, directories, upkeep timers, transaction locks and the outbox of change
 * records, in pages and in overflow entries), the transaction records, and any cache but the few
 * that hold no item data ({@link #UNSEALED}); cache keys are not (they route entries to their
 * owners), so partition key values stay visible to whoever reads the servers.
 *
 * <p>The near cache holds values as the servers do, sealed: it is a copy the Hot Rod client keeps
 * of the servers' bytes, invalidated by them, and opening a value costs a few microseconds where
 * keeping a second, plain copy of each entry would cost the memory the near cache is bounded by.
 * Measured in README "Performance".
 */
public final class Encryption {
    /** The data keys of the stream records' seal ({@code stream.RecordSeal}). */
    public static final String STREAM_SEAL = "stream-seal";
    /** Every table's cache is named so (see CreateTable). */
    public static final String TABLE_CACHE_PREFIX = Storage.PREFIX + "t.";
    /**
     * The engine's caches that hold no item data: their values stay as they are. Every other cache is
     * encrypted, so a cache added later (backups, say) is encrypted unless it is named here. The
     * data keys' own cache must be here: its values are what opens the others.
     */
    static final Set<String> UNSEALED = Set.of(DataKeys.CACHE, Storage.PREFIX + "catalog", Storage.PREFIX + "leases",
            Storage.PREFIX + "instances", Storage.PREFIX + "pending", Storage.PREFIX + "statistics",
            Storage.PREFIX + "system", TransactionLog.TOKENS);

    private final MasterKeys masters;
    private final DataKeys keys;

    public Encryption(Storage storage, MasterKeys masters) {
        this.masters = masters;
        this.keys = new DataKeys(storage, masters);
    }

    /** Whether values are encrypted at rest (a master key is configured). */
    public boolean atRest() {
        return !masters.isEmpty();
    }

    public DataKeys keys() {
        return keys;
    }

    /** Whether a cache's values are encrypted when encryption at rest is on: every cache but {@link #UNSEALED}. */
    public static boolean encrypts(String cacheName) {
        return cacheName.startsWith(Storage.PREFIX) && !UNSEALED.contains(cacheName);
    }

    /** The seal of a cache's values, for {@link Storage#sealWith}. */
    public EntrySeal sealOf(String cacheName) {
        return atRest() && encrypts(cacheName) ? new CacheSeal(keys, cacheName) : EntrySeal.NONE;
    }

    /** Gives a new table's cache its data key before the cache holds anything: none of its values is ever plain. */
    public void tableCreated(String cacheName) {
        if (atRest()) {
            keys.create(cacheName, false);
        }
    }

    /** The ARN of the master key that wraps data keys now, as DynamoDB names a table's KMS key; null when off. */
    public String masterKeyArn(String region, String accountId) {
        return atRest() ? "arn:aws:kms:" + region + ":" + accountId + ":key/" + masters.primary().id() : null;
    }

    /** The master key that wraps data keys now, or null when encryption at rest is off. */
    public String masterKeyId() {
        return atRest() ? masters.primary().id() : null;
    }

    /**
     * Checks, before anything is served, that every master key a data key is wrapped under is
     * configured and is the right key (one data key per master key is unwrapped); throws
     * {@link MasterKeyException} saying which is not.
     */
    public void checkAtStart() {
        Map<String, KeyRecord> sample = new HashMap<>();
        for (KeyRecord r : keys.all()) {
            for (KeyRecord.Version v : r.versions()) {
                sample.putIfAbsent(v.master(), r);
            }
        }
        for (Map.Entry<String, KeyRecord> e : sample.entrySet()) {
            if (e.getKey().isEmpty()) {
                continue; // a seal key made while encryption at rest was off: kept as it is
            }
            KeyRecord r = e.getValue();
            List<KeyRecord.Version> under = r.versions().stream().filter(v -> v.master().equals(e.getKey())).toList();
            keys.unwrap(r.name(), under.get(0));
        }
    }
}

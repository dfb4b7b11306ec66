package dev.eddy.core.encryption;

import dev.eddy.core.Meters;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.transaction.TransactionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the data keys (a duty of the maintenance role, {@code encryption-keys}), without downtime:
 * <ul>
 * <li>a data key wrapped under a master key other than the primary one is wrapped again (a new
 * master key put first in the file);</li>
 * <li>a data key older than the rotation age gets a new version: new values are sealed under it
 * within a second, and old values still open under the version they name;</li>
 * <li>a cache whose values are not all under the current version (after a rotation, or a table that
 * held values before encryption was turned on) is passed over, segment by segment, each stale value
 * sealed again by compare-and-set. The cursor (cache, round, segment, values found) is saved with the
 * lease after each segment, so another process resumes where a dead one stopped. A round that finds
 * nothing to seal again closes the pass: only then is every value known to be under the version
 * (a writer may seal under the version before for up to a second after a rotation, so the first
 * round after one is never the last);</li>
 * <li>tables whose keys were made before they were encrypted get a record, and records of caches
 * that are gone are removed.</li>
 * </ul>
 */
public final class KeyUpkeep implements Duty {
    private static final Logger LOG = Logger.getLogger(KeyUpkeep.class);
    /** A record whose cache is not there yet may belong to a table being created: left alone this long. */
    private static final long ORPHAN_AGE_MILLIS = 10 * 60 * 1000;

    private final Encryption encryption;
    private final Storage storage;
    private final TableCatalog catalog;
    private final Supplier<List<TableDefinition>> tables;
    private final long rotationMillis;
    private final String region;
    private final String accountId;
    private final Meters meters;

    public KeyUpkeep(Encryption encryption, Storage storage, TableCatalog catalog, Supplier<List<TableDefinition>> tables,
                     long rotationMillis, String region, String accountId, Meters meters) {
        this.encryption = encryption;
        this.storage = storage;
        this.catalog = catalog;
        this.tables = tables;
        this.rotationMillis = rotationMillis;
        this.region = region;
        this.accountId = accountId;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "encryption-keys";
    }

    @Override
    public long intervalMillis() {
        return 2 * DataKeys.REFRESH_MILLIS;
    }

    @Override
    public boolean run(Held held) {
        DataKeys keys = encryption.keys();
        List<TableDefinition> known = tables.get();
        Set<String> names = new HashSet<>();
        long now = System.currentTimeMillis();
        for (KeyRecord r : keys.all()) {
            names.add(r.name());
            if (keys.rewrapOwed(r)) {
                keys.rewrap(r.name());
                meters.counter("eddy.encryption.rewrapped").increment();
                LOG.infof("Data keys of %s wrapped under master key %s", r.name(), encryption.masterKeyId());
            }
            if (rotationMillis > 0 && now - r.rotatedMillis() >= rotationMillis) {
                KeyRecord rotated = keys.rotate(r.name());
                if (r.name().equals(Encryption.STREAM_SEAL)) {
                    keys.markSealed(r.name(), rotated.current()); // nothing stored to pass over
                }
                meters.counter("eddy.encryption.rotations").increment();
                LOG.infof("Data key of %s rotated to version %d", r.name(), rotated.current());
            }
            if (Encryption.encrypts(r.name()) && r.rotatedMillis() < now - ORPHAN_AGE_MILLIS
                    && known.stream().noneMatch(t -> t.cacheName().equals(r.name()))
                    && !r.name().equals(TransactionLog.CACHE) && !storage.cacheExists(r.name())) {
                keys.remove(r.name());
            }
        }
        if (!encryption.atRest()) {
            return false;
        }
        String arn = encryption.masterKeyArn(region, accountId);
        for (TableDefinition t : known) {
            if (!names.contains(t.cacheName()) && TableDefinition.ACTIVE.equals(t.status())) {
                keys.create(t.cacheName(), true); // a table from before encryption: its values are sealed by a pass
            }
            if (t.sseKmsMasterKeyArn() != null && !t.sseKmsMasterKeyArn().equals(arn) && !keys.rewrapOwed(keys.find(t.cacheName()))) {
                catalog.update(t.tableName(), d -> d.tableId().equals(t.tableId()) ? d.withSseKmsMasterKeyArn(arn) : d);
            }
        }
        if (!names.contains(TransactionLog.CACHE)) {
            keys.create(TransactionLog.CACHE, true);
        }
        return pass(held, keys);
    }

    /** One segment of the pass owed (resuming the saved cursor); true when more is waiting at once. */
    private boolean pass(Held held, DataKeys keys) {
        Cursor cursor = Cursor.of(held.state());
        KeyRecord r = cursor == null ? null : keys.find(cursor.name);
        if (r == null || !r.passOwed() || !storage.cacheExists(cursor.name)) {
            cursor = null;
            for (KeyRecord candidate : keys.all()) {
                if (Encryption.encrypts(candidate.name()) && candidate.passOwed() && storage.cacheExists(candidate.name())) {
                    r = candidate;
                    cursor = new Cursor(candidate.name(), candidate.current(), 0, 0, 0, 0);
                    break;
                }
            }
            if (cursor == null) {
                return false;
            }
            LOG.infof("Sealing the values of %s under data key version %d", cursor.name, cursor.target);
        }
        if (r.current() != cursor.target) {
            cursor = new Cursor(cursor.name, r.current(), 0, 0, 0, 0); // rotated again meanwhile: start over
        }
        if (cursor.segment == 0) {
            cursor = cursor.startedAt(System.currentTimeMillis());
        }
        Entries cache = storage.strong(cursor.name);
        int segments = Math.max(1, cache.segmentCount());
        int stale = cache.reseal(cache.segmentCount() == 0 ? null : Set.of(cursor.segment), held::stillHeld);
        if (!held.stillHeld()) {
            return false; // the segment may be unfinished: whoever holds the lease now does it again
        }
        meters.counter("eddy.encryption.resealed").add(stale);
        int found = cursor.found + stale;
        if (cursor.segment + 1 < segments) {
            held.saveState(new Cursor(cursor.name, cursor.target, cursor.round, cursor.segment + 1, found,
                    cursor.startedMillis).encode());
            return true;
        }
        // A round without a stale value, begun once every process had seen the version (they re-read
        // the record each second), proves every value is under it: later writers can only seal under it.
        if (found == 0 && cursor.startedMillis > r.rotatedMillis() + 2 * DataKeys.REFRESH_MILLIS) {
            keys.markSealed(cursor.name, cursor.target);
            LOG.infof("Every value of %s is sealed under data key version %d", cursor.name, cursor.target);
            held.saveState(new byte[0]);
            return false;
        }
        held.saveState(new Cursor(cursor.name, cursor.target, cursor.round + 1, 0, 0, 0).encode());
        return false; // the next round after the interval
    }

    /** Where a pass is: cache, the version it seals under, round, next segment, stale values found and start of the round. */
    private record Cursor(String name, int target, int round, int segment, int found, long startedMillis) {
        static Cursor of(byte[] state) {
            if (state == null || state.length < 24) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(state);
            int target = b.getInt();
            int round = b.getInt();
            int segment = b.getInt();
            int found = b.getInt();
            long started = b.getLong();
            byte[] name = new byte[b.remaining()];
            b.get(name);
            return new Cursor(new String(name, StandardCharsets.UTF_8), target, round, segment, found, started);
        }

        byte[] encode() {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(24 + n.length).putInt(target).putInt(round).putInt(segment).putInt(found)
                    .putLong(startedMillis).put(n).array();
        }

        Cursor startedAt(long millis) {
            return new Cursor(name, target, round, segment, found, millis);
        }
    }
}

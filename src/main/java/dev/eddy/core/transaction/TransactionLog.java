package dev.eddy.core.transaction;

import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.storage.Storage;
import java.nio.charset.StandardCharsets;

/**
 * Transaction records, in the {@value #CACHE} cache: each transaction's state (PENDING, then
 * COMMITTED or ABORTED, changed only by compare-and-set) and, for a ClientRequestToken, the
 * request's hash. The commit point of a transaction is its record turning COMMITTED; a
 * transaction still PENDING after {@code timeoutMillis} is taken to have lost its coordinator and
 * is aborted by whoever meets one of its locks.
 */
public final class TransactionLog {
    public static final String CACHE = Storage.PREFIX + "transactions";

    private final Storage storage;
    private final long timeoutMillis;

    public TransactionLog(Storage storage, long timeoutMillis) {
        this.storage = storage;
        this.timeoutMillis = timeoutMillis;
        storage.createCache(CACHE);
    }

    /** A record as stored: state, creation time, request hash (empty without a token), transaction id. */
    public record Entry(TransactionState state, long createdMillis, String requestHash, String transactionId) {
        byte[] encode() {
            return (state + "|" + createdMillis + "|" + requestHash + "|" + transactionId).getBytes(StandardCharsets.UTF_8);
        }

        static Entry decode(byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\\|", 4);
            return new Entry(TransactionState.valueOf(parts[0]), Long.parseLong(parts[1]), parts[2], parts[3]);
        }
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** Records a new transaction as PENDING under its id; false when the id is taken. */
    public boolean begin(String id, String requestHash) {
        return cache().putIfAbsent(key(id), new Entry(TransactionState.PENDING, System.currentTimeMillis(), requestHash,
                id).encode());
    }

    public Entry find(String id) {
        byte[] bytes = cache().get(key(id));
        return bytes == null ? null : Entry.decode(bytes);
    }

    /** Moves PENDING to the given end state; false when the transaction was already decided otherwise. */
    public boolean decide(String id, TransactionState end) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Entries.Versioned current = cache().getVersioned(key(id));
            if (current == null) {
                return end == TransactionState.ABORTED;
            }
            Entry e = Entry.decode(current.value());
            if (e.state() != TransactionState.PENDING) {
                return e.state() == end;
            }
            Entry next = new Entry(end, e.createdMillis(), e.requestHash(), e.transactionId());
            if (cache().replace(key(id), next.encode(), current.version())) {
                return true;
            }
        }
        throw new IllegalStateException("transaction record " + id + " did not settle");
    }

    /** The state a lock's holder is in; a PENDING one past the timeout is aborted here. No record: aborted. */
    public TransactionState state(String id) {
        Entry e = find(id);
        if (e == null) {
            return TransactionState.ABORTED;
        }
        if (e.state() == TransactionState.PENDING && System.currentTimeMillis() - e.createdMillis() > timeoutMillis) {
            decide(id, TransactionState.ABORTED);
            return find(id).state();
        }
        return e.state();
    }

    /** Forgets a record (a token's, when its ten minutes are over). */
    public void remove(String id) {
        cache().remove(key(id));
    }
}

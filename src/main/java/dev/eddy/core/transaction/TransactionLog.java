package dev.eddy.core.transaction;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Transaction records, in the {@value #CACHE} cache: each transaction's state (PENDING, then
 * COMMITTED or ABORTED, changed only by compare-and-set) and the items it holds, written before
 * the first lock is taken. The commit point of a transaction is its record turning COMMITTED. A
 * record lives only until every lock it names is settled (by its coordinator, or by
 * {@link TransactionRecovery} when the coordinator died), so the cache holds the transactions in
 * flight, not the history; a lock whose record is gone belongs to a transaction that was aborted.
 *
 * <p>ClientRequestTokens live in the {@value #TOKENS} cache, each expiring by itself (Infinispan's
 * own entry lifespan) ten minutes after the call that took it, as DynamoDB's idempotency window.
 */
public final class TransactionLog {
    private static final Logger LOG = Logger.getLogger(TransactionLog.class);
    public static final String CACHE = Storage.PREFIX + "transactions";
    public static final String TOKENS = Storage.PREFIX + "tokens";
    /** ClientRequestToken makes a call idempotent for ten minutes. */
    public static final long TOKEN_LIFETIME_MILLIS = 10 * 60 * 1000;

    private final Storage storage;
    private final long timeoutMillis;

    public TransactionLog(Storage storage, long timeoutMillis) {
        this.storage = storage;
        this.timeoutMillis = timeoutMillis;
        storage.createCache(CACHE);
        storage.createCache(TOKENS);
    }

    /** One item a transaction holds: its table (by name and cache) and key. */
    public record Item(String table, String cacheName, PrimaryKey key) {
    }

    /**
     * A record as stored: state, creation time, id, the items it holds, and when it was decided (the
     * clock in microseconds, on the scale of page sequence numbers; 0 while PENDING, and for records
     * from before it was kept), which tells an on-demand backup whether the transaction belongs in it.
     */
    public record Entry(TransactionState state, long createdMillis, String transactionId, List<Item> items,
                        long decidedMicros) {
        Entry(TransactionState state, long createdMillis, String transactionId, List<Item> items) {
            this(state, createdMillis, transactionId, items, 0);
        }

        byte[] encode() {
            ByteWriter w = new ByteWriter(64 + items.size() * 48).write(state.ordinal()).int64(createdMillis)
                    .string(transactionId).varint(items.size());
            for (Item i : items) {
                w.string(i.table()).string(i.cacheName());
                ItemCodec.writeValue(w, i.key().hash());
                if (i.key().range() == null) {
                    w.write(0);
                } else {
                    w.write(1);
                    ItemCodec.writeValue(w, i.key().range());
                }
            }
            w.int64(decidedMicros);
            return w.toByteArray();
        }

        static Entry decode(byte[] bytes) {
            ByteReader r = new ByteReader(bytes);
            TransactionState state = TransactionState.values()[r.read()];
            long created = r.int64();
            String id = r.string();
            int n = (int) r.varint();
            List<Item> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String table = r.string();
                String cache = r.string();
                AttributeValue hash = ItemCodec.readValue(r);
                AttributeValue range = r.read() == 1 ? ItemCodec.readValue(r) : null;
                items.add(new Item(table, cache, new PrimaryKey(hash, range)));
            }
            return new Entry(state, created, id, items, r.hasMore() ? r.int64() : 0);
        }

        Entry with(TransactionState next) {
            return new Entry(next, createdMillis, transactionId, items, System.currentTimeMillis() * 1000);
        }
    }

    /** A ClientRequestToken as stored: the call's hash, its transaction, and whether that committed. */
    public record Token(String requestHash, String transactionId, boolean committed, long createdMillis) {
        byte[] encode() {
            return new ByteWriter(96).string(requestHash).string(transactionId).write(committed ? 1 : 0)
                    .int64(createdMillis).toByteArray();
        }

        static Token decode(byte[] bytes) {
            ByteReader r = new ByteReader(bytes);
            return new Token(r.string(), r.string(), r.read() == 1, r.int64());
        }
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private Entries tokens() {
        return storage.strong(TOKENS);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** Records a new transaction as PENDING with the items it will hold; false when the id is taken. */
    public boolean begin(String id, List<Item> items) {
        return cache().putIfAbsent(key(id), new Entry(TransactionState.PENDING, System.currentTimeMillis(), id, items)
                .encode());
    }

    public Entry find(String id) {
        byte[] bytes = cache().get(key(id));
        return bytes == null ? null : Entry.decode(bytes);
    }

    /**
     * How long {@link #decide} tries a record whose compare-and-set keeps failing before it answers that
     * the store is unavailable. Only decide writes a PENDING record, and two deciders settle it at the
     * first attempt after they meet, so a failure that lasts is the store's: around a topology change a
     * read can give a version the owners have moved past (a rolling restart's rebalance showed it for
     * long enough to use up a hundred attempts made back to back).
     */
    static final long DECIDE_PATIENCE_MILLIS = 5_000;

    /**
     * Moves PENDING to the given end state; false when the transaction was already decided otherwise.
     * Attempts pause between them ({@link Storage#pause}); when the record has not settled within
     * {@link #DECIDE_PATIENCE_MILLIS}, ServiceUnavailable (503): the decision may or may not have been
     * made, and the transaction's recovery settles it either way.
     */
    public boolean decide(String id, TransactionState end) {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DECIDE_PATIENCE_MILLIS);
        for (int attempt = 0; ; attempt++) {
            Entries.Versioned current = cache().getVersioned(key(id));
            if (current == null) {
                return end == TransactionState.ABORTED;
            }
            Entry e = Entry.decode(current.value());
            if (e.state() != TransactionState.PENDING) {
                return e.state() == end;
            }
            if (cache().replace(key(id), e.with(end).encode(), current)) {
                return true;
            }
            if (System.nanoTime() - giveUp > 0) {
                LOG.warnf(
                        "Transaction record %s did not settle in %d attempts over %d ms; answering 503", id,
                        attempt + 1, DECIDE_PATIENCE_MILLIS);
                throw Errors.storeUnavailable();
            }
            Storage.pause(attempt);
        }
    }

    /** The state a lock's holder is in; a PENDING one past the timeout is aborted here. No record: aborted. */
    public TransactionState state(String id) {
        Entry e = find(id);
        if (e == null) {
            return TransactionState.ABORTED;
        }
        if (e.state() == TransactionState.PENDING && expired(e, System.currentTimeMillis())) {
            decide(id, TransactionState.ABORTED);
            Entry after = find(id);
            return after == null ? TransactionState.ABORTED : after.state();
        }
        return e.state();
    }

    /** Whether a transaction still PENDING is past the time its coordinator had. */
    public boolean expired(Entry e, long nowMillis) {
        return nowMillis - e.createdMillis() > timeoutMillis;
    }

    /** Forgets a settled transaction: every lock it named is gone. */
    public void remove(String id) {
        cache().remove(key(id));
    }

    /** Every record (for recovery): the transactions in flight and those whose settling was interrupted. */
    public void forEach(BiConsumer<String, Entry> visitor) {
        cache().forEachEntry((k, v) -> visitor.accept(new String(k, StandardCharsets.UTF_8), Entry.decode(v)));
    }

    // --- ClientRequestTokens --------------------------------------------------------------------

    public Token findToken(String token) {
        byte[] bytes = tokens().get(key(token));
        return bytes == null ? null : Token.decode(bytes);
    }

    /** Takes a token for a call; false when it is taken already. It expires by itself after ten minutes. */
    public boolean claimToken(String token, String requestHash, String transactionId) {
        return tokens().putIfAbsent(key(token), new Token(requestHash, transactionId, false, System.currentTimeMillis())
                .encode(), TOKEN_LIFETIME_MILLIS);
    }

    /** The token's call committed: later calls with the same token and request succeed without effect. */
    public void tokenCommitted(String token) {
        Entries.Versioned current = tokens().getVersioned(key(token));
        if (current == null) {
            return;
        }
        Token t = Token.decode(current.value());
        long left = TOKEN_LIFETIME_MILLIS - (System.currentTimeMillis() - t.createdMillis());
        tokens().replace(key(token), new Token(t.requestHash(), t.transactionId(), true, t.createdMillis()).encode(),
                current.version(), Math.max(1000, left));
    }

    public void releaseToken(String token) {
        tokens().remove(key(token));
    }
}

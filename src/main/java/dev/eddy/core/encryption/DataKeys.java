package dev.eddy.core.encryption;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.infinispan.commons.util.CloseableIterator;

/**
 * Data keys, in the {@value #CACHE} cache: per encrypted cache (and per other named use) a
 * {@link KeyRecord} of key versions, each 32 random bytes wrapped under a master key with AES-GCM
 * (bound to its name and version, so a wrapped key cannot be passed off as another). Records change
 * only by compare-and-set. A process unwraps a version the first time it needs it and keeps it in
 * memory; it reads a record again at most once a second to learn of a new current version, so
 * within about a second of a rotation every process seals new values under the new version.
 */
public final class DataKeys {
    public static final String CACHE = Storage.PREFIX + "keys";
    /** How stale this process's view of a record's current version may get. */
    static final long REFRESH_MILLIS = 1000;
    private static final int KEY_BYTES = 32;
    private static final int WRAP_NONCE = 12;
    private static final int MAX_ATTEMPTS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Storage storage;
    private final MasterKeys masters;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    /** The version new values are sealed under, unwrapped. */
    public record Current(int version, SecretKey key) {
    }

    /** What this process knows of one name's keys. */
    private static final class Known {
        final ConcurrentHashMap<Integer, SecretKey> keys = new ConcurrentHashMap<>();
        volatile KeyRecord record;
        volatile Current current;
        volatile long readAt;
    }

    public DataKeys(Storage storage, MasterKeys masters) {
        this.storage = storage;
        this.masters = masters;
        storage.createCache(CACHE);
    }

    public MasterKeys masters() {
        return masters;
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private Known known(String name) {
        return known.computeIfAbsent(name, n -> new Known());
    }

    /** The record as stored now, or null. */
    public KeyRecord find(String name) {
        byte[] bytes = cache().get(key(name));
        return bytes == null ? null : decode(bytes);
    }

    /** The record as this process last read it, read again when older than {@link #REFRESH_MILLIS}; null if none. */
    KeyRecord recent(String name) {
        Known k = known(name);
        long now = System.currentTimeMillis();
        if (k.record == null || now - k.readAt >= REFRESH_MILLIS) {
            KeyRecord r = find(name);
            if (r == null) {
                return null;
            }
            k.record = r;
            k.readAt = now;
        }
        return k.record;
    }

    /** The version new values of {@code name} are sealed under; made now (version 1) when it has none. */
    public Current current(String name, boolean plaintextIfNew) {
        Known k = known(name);
        Current c = k.current;
        long now = System.currentTimeMillis();
        if (c != null && now - k.readAt < REFRESH_MILLIS) {
            return c;
        }
        KeyRecord r = find(name);
        if (r == null) {
            r = create(name, plaintextIfNew);
        }
        c = new Current(r.current(), unwrapped(k, r, r.current()));
        k.record = r;
        k.current = c;
        k.readAt = now;
        return c;
    }

    /**
     * Version {@code version} of {@code name}'s key, unwrapped (from memory after the first time);
     * throws IllegalStateException when there is no such version.
     */
    public SecretKey key(String name, int version) {
        Known k = known(name);
        SecretKey s = k.keys.get(version);
        if (s != null) {
            return s;
        }
        KeyRecord r = find(name);
        if (r == null || r.version(version) == null) {
            throw new ValueCipher.SealBrokenException("a value of " + name + " names data key version " + version
                    + ", which " + CACHE + " does not hold", null);
        }
        return unwrapped(k, r, version);
    }

    private SecretKey unwrapped(Known k, KeyRecord r, int version) {
        return k.keys.computeIfAbsent(version, v -> unwrap(r.name(), r.version(v)));
    }

    /** Whether plain values of {@code name} are still to be expected (no record yet, or a pass is owed). */
    boolean plaintextAllowed(String name) {
        KeyRecord r = recent(name);
        return r == null || r.plaintext();
    }

    /**
     * Makes {@code name}'s record with a first version, unless it has one; returns the stored record.
     * {@code plaintext}: plain values may already be there (the cache held values before).
     */
    public KeyRecord create(String name, boolean plaintext) {
        long now = System.currentTimeMillis();
        KeyRecord fresh = new KeyRecord(name, 1, plaintext, plaintext ? 0 : 1, now, List.of(newVersion(name, 1, now)));
        if (cache().putIfAbsent(key(name), encode(fresh))) {
            return fresh;
        }
        return find(name);
    }

    /** Applies a change by compare-and-set; returns the stored record, or null when there is none. */
    public KeyRecord update(String name, UnaryOperator<KeyRecord> change) {
        Entries cache = cache();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned current = cache.getVersioned(key(name));
            if (current == null) {
                return null;
            }
            KeyRecord before = decode(current.value());
            KeyRecord after = change.apply(before);
            if (after.equals(before) || cache.replace(key(name), encode(after), current)) {
                Known k = known(name);
                k.readAt = 0; // this process sees its own change at once
                return after;
            }
        }
        throw new IllegalStateException("key record " + name + " did not settle");
    }

    /** A new current version: new values are sealed under it, and a pass over the old ones is owed. */
    public KeyRecord rotate(String name) {
        return update(name, r -> r.withVersion(newVersion(name, r.current() + 1, System.currentTimeMillis())));
    }

    /** Wraps every version that another master key wrapped under the primary one (nothing when encryption is off). */
    public KeyRecord rewrap(String name) {
        if (masters.isEmpty()) {
            return find(name);
        }
        String primary = masters.primary().id();
        return update(name, r -> {
            List<KeyRecord.Version> rewrapped = new ArrayList<>();
            for (KeyRecord.Version v : r.versions()) {
                rewrapped.add(v.master().equals(primary) ? v : new KeyRecord.Version(v.number(), primary,
                        wrap(name, v.number(), unwrap(name, v).getEncoded()), v.createdMillis()));
            }
            return r.withVersions(rewrapped);
        });
    }

    /** Whether some version is wrapped otherwise than the primary master key would wrap it now. */
    public boolean rewrapOwed(KeyRecord r) {
        String primary = masters.isEmpty() ? "" : masters.primary().id();
        return r.versions().stream().anyMatch(v -> !v.master().equals(primary));
    }

    /** Records that a complete pass found every value sealed under {@code version}. */
    public KeyRecord markSealed(String name, int version) {
        return update(name, r -> r.current() == version ? r.sealedAt(version) : r);
    }

    /** Every record. */
    public List<KeyRecord> all() {
        List<KeyRecord> out = new ArrayList<>();
        cache().forEachEntry((k, v) -> out.add(decode(v)));
        return out;
    }

    public void remove(String name) {
        cache().remove(key(name));
        known.remove(name);
    }

    /** Unwraps one version with its master key; throws {@link MasterKeyException} when that cannot be done. */
    SecretKey unwrap(String name, KeyRecord.Version v) {
        byte[] wrapped = Base64.getDecoder().decode(v.wrapped());
        if (v.master().isEmpty()) {
            return new SecretKeySpec(wrapped, "AES");
        }
        MasterKeys.MasterKey master = masters.find(v.master());
        if (master == null) {
            throw new MasterKeyException(masters.isEmpty()
                    ? "Data keys are wrapped under master key '" + v.master() + "' and encryption at rest is not "
                            + "configured: set eddy.encryption.master-key-file to the file that holds that key"
                    : "Data keys are wrapped under master key '" + v.master() + "', which " + masters.file()
                            + " does not hold (it holds " + masters.ids() + "): keep the old key in the file, after "
                            + "the new one, until the maintenance role has wrapped every data key again");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, master.key(), new GCMParameterSpec(128, wrapped, 0, WRAP_NONCE));
            c.updateAAD(context(name, v.number(), master.id()));
            return new SecretKeySpec(c.doFinal(wrapped, WRAP_NONCE, wrapped.length - WRAP_NONCE), "AES");
        } catch (GeneralSecurityException e) {
            throw new MasterKeyException("Master key '" + master.id() + "' in " + masters.file() + " does not unwrap "
                    + "the data keys wrapped under that id: it is not the key they were wrapped with");
        }
    }

    private KeyRecord.Version newVersion(String name, int number, long now) {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        String master = masters.isEmpty() ? "" : masters.primary().id();
        return new KeyRecord.Version(number, master, wrap(name, number, raw), now);
    }

    private String wrap(String name, int number, byte[] raw) {
        if (masters.isEmpty()) {
            return Base64.getEncoder().encodeToString(raw);
        }
        MasterKeys.MasterKey master = masters.primary();
        byte[] out = new byte[WRAP_NONCE + raw.length + 16];
        RANDOM.nextBytes(out); // the nonce: wrapping is rare, a random one is safe
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, master.key(), new GCMParameterSpec(128, out, 0, WRAP_NONCE));
            c.updateAAD(context(name, number, master.id()));
            c.doFinal(raw, 0, raw.length, out, WRAP_NONCE);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        }
    }

    private static byte[] context(String name, int number, String masterId) {
        return ("eddy data key\u0000" + name + "\u0000" + number + "\u0000" + masterId).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encode(KeyRecord r) {
        try {
            return json.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KeyRecord decode(byte[] bytes) {
        try {
            return json.readValue(bytes, KeyRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every name with a record, without reading the records (for lists of what exists). */
    List<String> names() {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<byte[]> it = cache().keys()) {
            it.forEachRemaining(k -> out.add(new String(k, StandardCharsets.UTF_8)));
        }
        return out;
    }
}

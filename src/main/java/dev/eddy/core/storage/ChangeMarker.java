package dev.eddy.core.storage;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One entry that every change of something replaces with a fresh random value, read through the
 * near cache: a watcher reads this single entry per pass and looks further only when it differs from
 * what it saw last. It exists so that watching many things idle costs one near-cached read, since a
 * near cache holds no absence and a per-thing entry that is absent would cost a request per pass.
 * Created when missing, so it is always present once read.
 */
public final class ChangeMarker {
    private final Storage storage;
    private final String cache;
    private final byte[] key;

    public ChangeMarker(Storage storage, String cache, byte[] key) {
        this.storage = storage;
        this.cache = cache;
        this.key = key.clone();
    }

    /** The current value (near-cached; created when missing). */
    public byte[] read() {
        byte[] marker = storage.eventual(cache).get(key);
        if (marker == null) {
            storage.strong(cache).putIfAbsent(key, new byte[] {0});
            marker = storage.strong(cache).get(key);
        }
        return marker;
    }

    /** Replaces the value; call after the change it announces is stored, so a reader of it sees the change. */
    public void bump() {
        byte[] marker = new byte[16];
        ThreadLocalRandom.current().nextBytes(marker);
        storage.strong(cache).put(key, marker);
    }

    /** Whether a key of the shared cache is this marker's (listings skip it). */
    public boolean is(byte[] other) {
        return Arrays.equals(key, other);
    }
}

package dev.eddy.core.encryption;

import dev.eddy.core.storage.EntrySeal;

/**
 * The seal of one encrypted cache: every value stored is sealed ({@link ValueCipher}) under the
 * cache's current data key version, every value read opened under the version it names. A plain
 * value is taken as it is only while the cache's record says plain values may remain (a cache that
 * held values before it was encrypted, until the maintenance role has sealed them all); otherwise
 * it is refused, as a value that does not open is.
 */
final class CacheSeal implements EntrySeal {
    private final DataKeys keys;
    private final String name;

    CacheSeal(DataKeys keys, String name) {
        this.keys = keys;
        this.name = name;
    }

    @Override
    public byte[] seal(byte[] key, byte[] value) {
        DataKeys.Current current = keys.current(name, true);
        return ValueCipher.seal(current.key(), current.version(), key, value);
    }

    @Override
    public byte[] open(byte[] key, byte[] stored) {
        if (!ValueCipher.isSealed(stored)) {
            if (keys.plaintextAllowed(name)) {
                return stored;
            }
            throw new ValueCipher.SealBrokenException("a value of " + name + " is not sealed, and every value of "
                    + "it has been", null);
        }
        return ValueCipher.open(keys.key(name, ValueCipher.versionOf(stored)), key, stored);
    }

    @Override
    public boolean isStale(byte[] stored) {
        return !ValueCipher.isSealed(stored) || ValueCipher.versionOf(stored) != keys.current(name, true).version();
    }
}

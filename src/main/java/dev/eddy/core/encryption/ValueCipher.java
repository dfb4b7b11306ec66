package dev.eddy.core.encryption;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM, from the JDK's {@code javax.crypto}: the cipher every JVM ships and keeps patched,
 * with AES-NI and carry-less multiply intrinsics on current CPUs, so no third-party provider (Bouncy
 * Castle, Tink) is needed for what is one well-known construction.
 *
 * <p>A sealed value is {@code E5 C1}, the data key's version (4 bytes), a 12-byte nonce, then the
 * ciphertext and its 16-byte tag: 34 bytes more than the value. The header and the entry's cache key
 * are authenticated with it, so a value copied under another key, or given another key version,
 * does not open. No plain value of an encrypted cache starts with {@code E5 C1} (item pages and page
 * indexes start with a format byte below 7, transaction records with a state below 3, outbox
 * overflow entries with a record count whose second byte is below 2).
 *
 * <p>Nonces are never random alone: 8 random bytes drawn when the process starts, then a 4-byte
 * counter (8 fresh random bytes after 2^32 values). Random 12-byte nonces would limit a key to about
 * 2^32 values (NIST SP 800-38D); here values only collide if two processes draw the same 8 bytes.
 */
final class ValueCipher {
    static final byte MAGIC0 = (byte) 0xE5;
    static final byte MAGIC1 = (byte) 0xC1;
    static final int HEADER = 6;
    static final int NONCE = 12;
    static final int TAG = 16;
    static final int OVERHEAD = HEADER + NONCE + TAG;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long FIRST_PREFIX = RANDOM.nextLong();
    private static final ConcurrentHashMap<Long, Long> LATER_PREFIXES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(ValueCipher::newCipher);

    private ValueCipher() {
    }

    static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM", e);
        }
    }

    static boolean isSealed(byte[] stored) {
        return stored.length >= OVERHEAD && stored[0] == MAGIC0 && stored[1] == MAGIC1;
    }

    /** The data key version a sealed value names. */
    static int versionOf(byte[] sealed) {
        return ((sealed[2] & 0xFF) << 24) | ((sealed[3] & 0xFF) << 16) | ((sealed[4] & 0xFF) << 8) | (sealed[5] & 0xFF);
    }

    static byte[] seal(SecretKey key, int version, byte[] entryKey, byte[] value) {
        byte[] out = new byte[OVERHEAD + value.length];
        out[0] = MAGIC0;
        out[1] = MAGIC1;
        out[2] = (byte) (version >>> 24);
        out[3] = (byte) (version >>> 16);
        out[4] = (byte) (version >>> 8);
        out[5] = (byte) version;
        nonce(out, HEADER);
        Cipher c = CIPHERS.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, out, HEADER, NONCE));
            c.updateAAD(out, 0, HEADER);
            c.updateAAD(entryKey);
            c.doFinal(value, 0, value.length, out, HEADER + NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            CIPHERS.remove();
            throw new IllegalStateException("sealing a value failed", e);
        }
    }

    /** The value a sealed entry holds; throws when it does not open under this key (wrong key, altered bytes). */
    static byte[] open(SecretKey key, byte[] entryKey, byte[] sealed) {
        Cipher c = CIPHERS.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, sealed, HEADER, NONCE));
            c.updateAAD(sealed, 0, HEADER);
            c.updateAAD(entryKey);
            return c.doFinal(sealed, HEADER + NONCE, sealed.length - HEADER - NONCE);
        } catch (GeneralSecurityException e) {
            CIPHERS.remove();
            throw new SealBrokenException("a stored value does not open under its data key (version "
                    + versionOf(sealed) + "): it was altered, or stored under another key", e);
        }
    }

    private static void nonce(byte[] out, int at) {
        long n = COUNTER.getAndIncrement();
        long epoch = n >>> 32;
        long prefix = epoch == 0 ? FIRST_PREFIX : LATER_PREFIXES.computeIfAbsent(epoch, e -> RANDOM.nextLong());
        for (int i = 0; i < 8; i++) {
            out[at + i] = (byte) (prefix >>> (56 - 8 * i));
        }
        int count = (int) n;
        out[at + 8] = (byte) (count >>> 24);
        out[at + 9] = (byte) (count >>> 16);
        out[at + 10] = (byte) (count >>> 8);
        out[at + 11] = (byte) count;
    }

    /** A stored value that cannot be trusted: it does not open, or is plain where only sealed values may be. */
    static final class SealBrokenException extends IllegalStateException {
        SealBrokenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

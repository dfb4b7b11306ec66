package dev.eddy.core.encryption;

import java.util.ArrayList;
import java.util.List;

/**
 * The data keys of one encrypted cache (a table's, the transaction records'), or of another named
 * use (the stream records' seal), as the {@link DataKeys#CACHE} cache keeps them: every version
 * ever made, each wrapped under a master key, so any value sealed under any of them still opens.
 *
 * @param name          the cache (or use) the keys belong to
 * @param current       the version new values are sealed under
 * @param plaintext     whether plain values may still be met (a cache that held values before it
 *                      was encrypted, until a pass has sealed them all)
 * @param sealedThrough the version every value was found sealed under by the last complete pass (0:
 *                      none yet); equal to {@code current} when no pass is owed
 * @param rotatedMillis when {@code current} was made
 * @param versions      every version, oldest first
 */
public record KeyRecord(String name, int current, boolean plaintext, int sealedThrough, long rotatedMillis,
                        List<Version> versions) {
    /**
     * One data key version: 32 random bytes wrapped (AES-GCM) under master key {@code master}, or
     * kept as they are when {@code master} is empty (a stream seal made with encryption at rest off).
     */
    public record Version(int number, String master, String wrapped, long createdMillis) {
    }

    public KeyRecord {
        versions = List.copyOf(versions);
    }

    public Version version(int number) {
        for (Version v : versions) {
            if (v.number() == number) {
                return v;
            }
        }
        return null;
    }

    /** Whether a pass over the cache's values is owed: plain values, or values under an older version. */
    public boolean passOwed() {
        return plaintext || sealedThrough != current;
    }

    KeyRecord withVersion(Version v) {
        List<Version> all = new ArrayList<>(versions);
        all.add(v);
        return new KeyRecord(name, v.number(), plaintext, sealedThrough, v.createdMillis(), all);
    }

    KeyRecord withVersions(List<Version> replaced) {
        return new KeyRecord(name, current, plaintext, sealedThrough, rotatedMillis, replaced);
    }

    KeyRecord sealedAt(int version) {
        return new KeyRecord(name, current, false, version, rotatedMillis, versions);
    }
}

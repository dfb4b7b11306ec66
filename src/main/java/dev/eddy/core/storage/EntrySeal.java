package dev.eddy.core.storage;

/**
 * What becomes of a cache's values on their way to and from the servers: the one place stored bytes
 * are transformed, so that encryption at rest ({@code dev.eddy.core.encryption}) is a layer under the
 * whole engine, not a concern of each structure. {@link Entries} seals every value it stores and
 * opens every value it reads; keys stay as they are (they route entries to their owners).
 */
public interface EntrySeal {
    /** The bytes to store for {@code value} under {@code key}. */
    byte[] seal(byte[] key, byte[] value);

    /** The value stored as {@code stored} under {@code key}; throws when it cannot be trusted. */
    byte[] open(byte[] key, byte[] stored);

    /** Whether a stored value is sealed otherwise than {@link #seal} would seal it now (see {@link Entries#reseal}). */
    default boolean isStale(byte[] stored) {
        return false;
    }

    /** Values pass through unchanged: caches that hold no item data. */
    EntrySeal NONE = new EntrySeal() {
        @Override
        public byte[] seal(byte[] key, byte[] value) {
            return value;
        }

        @Override
        public byte[] open(byte[] key, byte[] stored) {
            return stored;
        }
    };
}

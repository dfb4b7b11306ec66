package dev.eddy.core.encryption;

/**
 * Data keys that cannot be unwrapped with the configured master keys: a master key missing from the
 * file, the wrong key under a known id, or encryption at rest turned off over encrypted data. The
 * process cannot serve the data it guards, so it says why and does not start.
 */
public final class MasterKeyException extends IllegalStateException {
    MasterKeyException(String message) {
        super(message);
    }
}

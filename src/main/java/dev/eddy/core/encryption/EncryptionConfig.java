package dev.eddy.core.encryption;

/**
 * How values are encrypted at rest.
 *
 * @param masterKeys     the master keys (none: encryption at rest is off)
 * @param rotationMillis how old a data key gets before a new version replaces it (0: never by age)
 */
public record EncryptionConfig(MasterKeys masterKeys, long rotationMillis) {
    /** Encryption at rest off. */
    public static final EncryptionConfig NONE = new EncryptionConfig(MasterKeys.NONE, 0);
    /** KMS rotates the key material of its keys once a year by default; data keys follow that. */
    public static final long DEFAULT_ROTATION_MILLIS = 365L * 24 * 3600 * 1000;
}

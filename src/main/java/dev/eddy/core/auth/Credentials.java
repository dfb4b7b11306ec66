package dev.eddy.core.auth;

/** Where the verifier looks access keys up: a file, a Secret mounted as one, or (later) a generated internal key. */
public interface Credentials {
    /** The credential with this access key, or null. */
    Credential find(String accessKeyId);

    /** How many credentials there are; a process that requires authentication refuses to start with none. */
    int size();
}

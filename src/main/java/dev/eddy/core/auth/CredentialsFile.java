package dev.eddy.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.auth.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Credentials kept in a JSON file, {@code {"credentials":[{"accessKeyId", "secretAccessKey",
 * "sessionToken"?, "expiration"?, "user"?, "arn"?, "policy"?}]}}, read again when it changes, so keys
 * can be added, rotated or revoked without a restart. A Kubernetes Secret mounted as a volume is
 * such a file: the kubelet swaps it in place when the Secret changes. A file that no longer reads
 * is reported and the last good credentials stay in force: a typo must not lock everyone out.
 */
public final class CredentialsFile implements Credentials {
    private static final Logger LOG = Logger.getLogger(CredentialsFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often at most the file is looked at again (one stat call). */
    private static final long RECHECK_MILLIS = 1000;

    private final Path file;
    private final String accountId;
    private volatile Map<String, Credential> byKey;
    private volatile Object version;
    private volatile long checkedAt;

    private CredentialsFile(Path file, String accountId) {
        this.file = file;
        this.accountId = accountId;
    }

    /** Reads the file now; a missing or malformed file fails here, at startup. */
    public static CredentialsFile load(Path file, String accountId) {
        CredentialsFile f = new CredentialsFile(file, accountId);
        f.version = f.stat();
        f.byKey = parse(f.read(), accountId, file);
        f.checkedAt = System.currentTimeMillis();
        return f;
    }

    @Override
    public Credential find(String accessKeyId) {
        refreshIfChanged();
        return byKey.get(accessKeyId);
    }

    @Override
    public int size() {
        return byKey.size();
    }

    private void refreshIfChanged() {
        long now = System.currentTimeMillis();
        if (now - checkedAt < RECHECK_MILLIS) {
            return;
        }
        synchronized (this) {
            if (now - checkedAt < RECHECK_MILLIS) {
                return;
            }
            checkedAt = now;
            try {
                Object current = stat();
                if (Objects.equals(current, version)) {
                    return;
                }
                Map<String, Credential> fresh = parse(read(), accountId, file);
                byKey = fresh;
                version = current;
                LOG.infof("Eddy: credentials re-read from %s (%d)", file, fresh.size());
            } catch (RuntimeException e) {
                LOG.warnf("Eddy: credentials in %s not re-read, the previous ones stay in force: %s", file,
                        e.getMessage());
            }
        }
    }

    /** What changes when the file does: its modification time, size and identity (a Secret's swapped link). */
    private Object stat() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Credential> parse(byte[] content, String accountId, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("credentials");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(file + " needs {\"credentials\": [...]}");
        }
        Map<String, Credential> out = new HashMap<>();
        int i = 0;
        for (JsonNode c : list) {
            String where = file + ", credentials[" + i++ + "]";
            String key = text(c, "accessKeyId", where, true);
            String secret = text(c, "secretAccessKey", where, true);
            String token = text(c, "sessionToken", where, false);
            String expirationText = text(c, "expiration", where, false);
            Instant expiration = null;
            if (expirationText != null) {
                try {
                    expiration = Instant.parse(expirationText);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(where + ": expiration must be an ISO-8601 instant, like "
                            + "2030-01-01T00:00:00Z");
                }
            }
            String user = text(c, "user", where, false);
            String arn = text(c, "arn", where, false);
            if (arn == null) {
                arn = "arn:aws:iam::" + accountId + ":user/" + (user != null ? user : key);
            }
            Policy policy;
            try {
                policy = c.hasNonNull("policy") ? Policy.parse(c.get("policy")) : null;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": policy: " + e.getMessage(), e);
            }
            if (out.put(key, new Credential(key, secret, token, expiration, arn, policy)) != null) {
                throw new IllegalArgumentException(where + ": access key " + key + " is listed twice");
            }
        }
        return Map.copyOf(out);
    }

    private static String text(JsonNode c, String member, String where, boolean required) {
        JsonNode n = c.get(member);
        if (n == null || n.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": " + member + " is required");
            }
            return null;
        }
        if (!n.isTextual() || n.textValue().isEmpty()) {
            throw new IllegalArgumentException(where + ": " + member + " must be a non-empty string");
        }
        return n.textValue();
    }
}

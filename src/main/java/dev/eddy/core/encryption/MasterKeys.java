package dev.eddy.core.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that wrap the data keys (envelope encryption), from a JSON file that a Kubernetes
 * Secret can be mounted as: {@code {"keys":[{"id":"2026-12","key":"<32 random bytes, base64>"}, ...]}}.
 * The first key wraps every data key; the others still unwrap what they wrapped, so a new master key
 * is put first and the old one kept until every data key is wrapped again (the maintenance role does
 * that), as Kubernetes' own encryption configuration for Secrets rotates its keys.
 */
public final class MasterKeys {
    /** Key ids become part of key ARNs: letters, digits and {@code . _ -}, as KMS key ids are. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One master key: AES-256. */
    public record MasterKey(String id, SecretKey key) {
        @Override
        public String toString() {
            return "MasterKey[" + id + "]"; // never the key
        }
    }

    /** No master keys: encryption at rest is off. */
    public static final MasterKeys NONE = new MasterKeys(List.of(), null);

    private final List<MasterKey> keys;
    private final Path file;

    private MasterKeys(List<MasterKey> keys, Path file) {
        this.keys = List.copyOf(keys);
        this.file = file;
    }

    /** Reads and checks the file; throws IllegalArgumentException saying what is wrong with it. */
    public static MasterKeys read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read as JSON: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("keys");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(file + " has no master keys: {\"keys\":[{\"id\":...,\"key\":...}]}");
        }
        List<MasterKey> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int n = 0;
        for (JsonNode k : list) {
            n++;
            String id = k.path("id").asText("");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(file + ": key " + n + " needs an id of 1 to 64 letters, digits, "
                        + "'.', '_' or '-'");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(file + ": master key id " + id + " appears twice");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(k.path("key").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": master key " + id + " is not base64", e);
            }
            if (material.length != 32) {
                throw new IllegalArgumentException(file + ": master key " + id + " has " + material.length
                        + " bytes; it must be 32 (AES-256), e.g. head -c 32 /dev/urandom | base64");
            }
            keys.add(new MasterKey(id, new SecretKeySpec(material, "AES")));
        }
        return new MasterKeys(keys, file);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key that wraps data keys now. */
    public MasterKey primary() {
        return keys.get(0);
    }

    /** The key of that id, or null. */
    public MasterKey find(String id) {
        for (MasterKey k : keys) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }

    public List<String> ids() {
        return keys.stream().map(MasterKey::id).toList();
    }

    /** Where the keys were read from, for messages; null when there are none. */
    public Path file() {
        return file;
    }
}

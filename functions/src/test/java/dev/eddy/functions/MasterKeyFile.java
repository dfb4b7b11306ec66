package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A master key file made for the run, so the in-process application (and every test that runs
 * against it) keeps its items and change records encrypted at rest, as a deployment does.
 */
public final class MasterKeyFile implements QuarkusTestResourceLifecycleManager {
    /** The master key's id in the file the run uses. */
    public static final String ID = "test-master-1";

    @Override
    public Map<String, String> start() {
        try {
            Path file = Files.createTempDirectory("eddy-master-key").resolve("master-keys.json");
            write(file, ID);
            return Map.of("eddy.encryption.master-key-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file of fresh keys with these ids, the first one primary; returns their base64 material. */
    public static String[] write(Path file, String... ids) throws IOException {
        SecureRandom random = new SecureRandom();
        String[] material = new String[ids.length];
        StringBuilder json = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < ids.length; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            material[i] = Base64.getEncoder().encodeToString(key);
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\",\"key\":\"")
                    .append(material[i]).append("\"}");
        }
        Files.writeString(file, json.append("]}").toString(), StandardCharsets.UTF_8);
        return material;
    }

    /** Writes a file of the given keys (id, base64 material pairs), the first one primary. */
    public static void writeKeys(Path file, String... idsAndMaterial) throws IOException {
        StringBuilder json = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < idsAndMaterial.length; i += 2) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(idsAndMaterial[i]).append("\",\"key\":\"")
                    .append(idsAndMaterial[i + 1]).append("\"}");
        }
        Files.writeString(file, json.append("]}").toString(), StandardCharsets.UTF_8);
    }

    @Override
    public void stop() {
    }
}

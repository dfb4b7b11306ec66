package dev.eddy.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image tarballs the {@code image} profile built: each has the entrypoint that runs the packaged
 * application, the port it listens on, a non-root user, and the application's files in its layers.
 */
class ImageConfigIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of(System.getProperty("eddy.images.dir", "target"));

    @Test
    void eddysImageRunsTheFunctionAsANonRootUserOnPort8000() throws Exception {
        Map<String, byte[]> tar = read(DIR.resolve("eddy-image.tar"));
        JsonNode config = config(tar);
        assertEntrypointRunsTheApplication(config);
        assertTrue(config.path("ExposedPorts").has("8000/tcp"), config.toString());
        assertNonRoot(config);
        assertTrue(env(config).contains("EDDY_ROLE=function"), config.toString());
        assertTrue(layersHold(tar, "deployments/quarkus-run.jar"), "the application jar is in a layer");
        assertTrue(layersHold(tar, "deployments/lib/main/"), "its libraries are in a layer");
        // the function's class data sharing archive (quarkus.package.jar.appcds), and the JVM told to map it
        assertTrue(layersHold(tar, "deployments/app-cds.jsa"), "the class archive is in a layer");
        assertTrue(entrypoint(config).contains("-XX:SharedArchiveFile=/deployments/app-cds.jsa"), config.toString());
        // the JVM maps the archive only if the jars on the class path keep the times they had when it
        // was made (not Jib's epoch): quarkus-run.jar and lib/boot
        Map<String, Long> times = layerFileTimes(tar);
        times.forEach((file, seconds) -> {
            if (file.equals("deployments/quarkus-run.jar") || file.startsWith("deployments/lib/boot/") && file.endsWith(".jar")) {
                assertTrue(seconds > 946_684_800L, file + "'s time in the image, seconds since the epoch: " + seconds);
            }
        });
        assertTrue(times.keySet().stream().anyMatch(f -> f.startsWith("deployments/lib/boot/")), times.keySet().toString());
    }

    @Test
    void theTriggerExamplesImageListensOnKnativesPort() throws Exception {
        JsonNode config = config(read(DIR.resolve("eddy-trigger-examples-image.tar")));
        assertEntrypointRunsTheApplication(config);
        assertTrue(config.path("ExposedPorts").has("8080/tcp"), config.toString());
        assertNonRoot(config);
        assertTrue(env(config).contains("QUARKUS_HTTP_PORT=8080"), config.toString());
    }

    private static List<String> entrypoint(JsonNode config) {
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        return entrypoint;
    }

    private static void assertEntrypointRunsTheApplication(JsonNode config) {
        List<String> entrypoint = entrypoint(config);
        assertEquals("java", entrypoint.get(0), entrypoint.toString());
        // relative to the working directory, as the build named the jar when it made the class archive
        assertEquals(List.of("-jar", "quarkus-run.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertTrue(entrypoint.containsAll(ImageBuilder.JVM_OPTIONS), entrypoint.toString());
        assertEquals("/deployments", config.path("WorkingDir").asText());
    }

    private static void assertNonRoot(JsonNode config) {
        String user = config.path("User").asText();
        assertTrue(!user.isEmpty() && !user.equals("0") && !user.startsWith("root") && !user.startsWith("0:"),
                "user " + user);
    }

    private static List<String> env(JsonNode config) {
        List<String> env = new ArrayList<>();
        config.path("Env").forEach(e -> env.add(e.asText()));
        return env;
    }

    /** The image's config: manifest.json (docker save's format) names its file. */
    private static JsonNode config(Map<String, byte[]> tar) throws IOException {
        JsonNode manifest = JSON.readTree(tar.get("manifest.json")).get(0);
        return JSON.readTree(tar.get(manifest.get("Config").asText())).get("config");
    }

    private static boolean layersHold(Map<String, byte[]> tar, String prefix) throws IOException {
        for (JsonNode layer : JSON.readTree(tar.get("manifest.json")).get(0).get("Layers")) {
            byte[] gz = tar.get(layer.asText());
            try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                if (read(in).keySet().stream().anyMatch(n -> n.startsWith(prefix))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The modification time (seconds since the epoch) of every regular file in the image's layers. */
    private static Map<String, Long> layerFileTimes(Map<String, byte[]> tar) throws IOException {
        Map<String, Long> times = new HashMap<>();
        for (JsonNode layer : JSON.readTree(tar.get("manifest.json")).get(0).get("Layers")) {
            try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(tar.get(layer.asText())))) {
                byte[] header = new byte[512];
                while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                    String name = text(header, 0, 100);
                    String prefix = text(header, 345, 155);
                    name = prefix.isEmpty() ? name : prefix + "/" + name;
                    long size = Long.parseLong(text(header, 124, 12).isEmpty() ? "0" : text(header, 124, 12), 8);
                    in.skipNBytes(size + (512 - size % 512) % 512);
                    times.put(name.startsWith("./") ? name.substring(2) : name, Long.parseLong(text(header, 136, 12), 8));
                }
            }
        }
        return times;
    }

    private static Map<String, byte[]> read(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "built by the image profile: " + file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** A ustar archive's regular files by name (the tarball and its layers are plain tar). */
    private static Map<String, byte[]> read(InputStream in) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(text(header, 124, 12).isEmpty() ? "0" : text(header, 124, 12), 8);
            byte[] data = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            files.put(name.startsWith("./") ? name.substring(2) : name, data);
        }
        return files;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII).trim();
    }
}

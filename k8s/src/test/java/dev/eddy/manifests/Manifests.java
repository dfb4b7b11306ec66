package dev.eddy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Every resource in {@code k8s/} and {@code knative/}: the files {@code kubectl apply -f <dir>}
 * would read (.yaml and .yml directly in the folder, in name order), each split into its resources.
 */
public final class Manifests {
    /** The folders a user applies, in the order the README applies them. */
    public static final List<String> FOLDERS = List.of("k8s", "knative");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static List<Manifest> all;

    private Manifests() {
    }

    /** The repository root, as the build passes it (eddy.repository), else the parent of this module. */
    public static Path repository() {
        String configured = System.getProperty("eddy.repository");
        return (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
    }

    public static synchronized List<Manifest> all() {
        if (all == null) {
            List<Manifest> found = new ArrayList<>();
            for (String folder : FOLDERS) {
                for (Path file : files(folder)) {
                    found.addAll(read(file));
                }
            }
            all = List.copyOf(found);
        }
        return all;
    }

    /** The resources of another folder of manifests (a template's, not applied with the deployment). */
    public static List<Manifest> in(String folder) {
        List<Manifest> found = new ArrayList<>();
        for (Path file : files(folder)) {
            found.addAll(read(file));
        }
        return found;
    }

    public static List<Manifest> where(Predicate<Manifest> test) {
        return all().stream().filter(test).toList();
    }

    public static List<Manifest> ofKind(String apiVersion, String kind) {
        return where(m -> m.is(apiVersion, kind));
    }

    /** The manifest files of a folder, in the order kubectl applies them. */
    public static List<Path> files(String folder) {
        Path dir = repository().resolve(folder);
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Manifest> read(Path file) {
        Path relative = repository().relativize(file);
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            ObjectReader reader = YAML.readerFor(JsonNode.class);
            List<JsonNode> trees = reader.<JsonNode>readValues(parser).readAll();
            List<Manifest> manifests = new ArrayList<>();
            for (JsonNode tree : trees.stream().filter(Objects::nonNull).filter(t -> !t.isMissingNode()).toList()) {
                manifests.add(new Manifest(relative, manifests.size(), tree));
            }
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }
}

package dev.eddy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One resource of a manifest file: a file may hold several, separated by {@code ---}.
 *
 * @param file  the file, relative to the repository root (k8s/21-infinispan.yaml)
 * @param index the resource's place in the file, from 0
 * @param tree  the resource as written
 */
public record Manifest(Path file, int index, JsonNode tree) {

    public String apiVersion() {
        return tree.path("apiVersion").asText();
    }

    public String kind() {
        return tree.path("kind").asText();
    }

    public String name() {
        return tree.path("metadata").path("name").asText();
    }

    public Optional<String> namespace() {
        JsonNode ns = tree.path("metadata").path("namespace");
        return ns.isTextual() ? Optional.of(ns.asText()) : Optional.empty();
    }

    public boolean is(String apiVersion, String kind) {
        return apiVersion().equals(apiVersion) && kind().equals(kind);
    }

    /** Where it is and what it is, for messages: {@code k8s/31-kafka.yaml Kafka eddy}. */
    @Override
    public String toString() {
        return file + (index > 0 ? "#" + index : "") + " " + kind() + " " + name();
    }
}

package dev.eddy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The containers the manifests run: in Deployments and in Knative Services. */
final class Workloads {

    /** One container and the resource that runs it. */
    record Container(Manifest owner, JsonNode spec) {
        String image() {
            return spec.path("image").asText();
        }

        @Override
        public String toString() {
            return owner + " container " + spec.path("name").asText(image());
        }
    }

    private Workloads() {
    }

    static List<Container> containers() {
        List<Container> found = new ArrayList<>();
        for (Manifest m : Manifests.all()) {
            JsonNode podSpec = podSpec(m);
            for (JsonNode c : podSpec.path("containers")) {
                found.add(new Container(m, c));
            }
        }
        return found;
    }

    /** The pod template's spec of a workload, or a missing node for other kinds. */
    static JsonNode podSpec(Manifest m) {
        if (m.is("apps/v1", "Deployment") || m.is("serving.knative.dev/v1", "Service")) {
            return m.tree().path("spec").path("template").path("spec");
        }
        return m.tree().path("none");
    }

    /**
     * One environment variable a container gets.
     *
     * @param value  its value, or null when it comes from a Secret or the pod
     * @param source where it is set: the container's env, or the ConfigMap it takes with envFrom
     */
    record Setting(String name, String value, String source) {
    }

    /** The container's environment: its ConfigMaps taken with envFrom, then its own env. */
    static List<Setting> settings(Container c) {
        List<Setting> settings = new ArrayList<>();
        for (JsonNode from : c.spec().path("envFrom")) {
            String configMap = from.path("configMapRef").path("name").asText(null);
            for (Manifest cm : Manifests.where(m -> m.is("v1", "ConfigMap") && m.name().equals(configMap))) {
                cm.tree().path("data").fields().forEachRemaining(e ->
                        settings.add(new Setting(e.getKey(), e.getValue().asText(), cm.toString())));
            }
        }
        for (JsonNode env : c.spec().path("env")) {
            settings.add(new Setting(env.path("name").asText(),
                    env.has("value") ? env.path("value").asText() : null, c.toString()));
        }
        return settings;
    }
}

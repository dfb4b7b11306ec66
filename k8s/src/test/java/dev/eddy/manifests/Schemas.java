package dev.eddy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks a resource against the published schema of its kind, whichever kind of schema that is. */
final class Schemas {
    private Schemas() {
    }

    /** What is wrong with the resource; a kind with no published schema here is itself a problem. */
    static List<String> problems(Manifest m) {
        Optional<JsonSchema> crd = CrdSchemas.schemaFor(m.apiVersion(), m.kind());
        if (crd.isPresent()) {
            List<String> problems = new ArrayList<>(CrdSchemas.problems(m.tree(), crd.get()));
            // A CRD schema leaves metadata to the API server: check it as the server would.
            TypedModels.problems(m.tree().path("metadata"), ObjectMeta.class)
                    .forEach(p -> problems.add("metadata." + p));
            return problems;
        }
        Optional<Class<?>> model = TypedModels.modelFor(m.apiVersion(), m.kind());
        if (model.isPresent()) {
            return TypedModels.problems(m.tree(), model.get());
        }
        return List.of("no published schema for " + m.apiVersion() + " " + m.kind()
                + " (k8s/src/test/java/dev/eddy/manifests/Schemas.java knows fabric8's Kubernetes and Knative models,"
                + " Strimzi's model and the CRDs in CrdSchemas)");
    }

    static Optional<String> schemaName(Manifest m) {
        if (CrdSchemas.schemaFor(m.apiVersion(), m.kind()).isPresent()) {
            return Optional.of("CRD schema");
        }
        return TypedModels.modelFor(m.apiVersion(), m.kind()).map(Class::getName);
    }
}

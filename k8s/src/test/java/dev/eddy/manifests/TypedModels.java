package dev.eddy.manifests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources checked by loading them strictly into a published Java model of their API: fabric8's
 * for Kubernetes and Knative, Strimzi's own for Strimzi. "Strictly" means what the API server's
 * strict field validation ({@code kubectl apply}'s default) means: a field the model does not have
 * is an error (the models' catch-all for unknown fields is switched off), and so is a value of the
 * wrong type (no number where a string belongs, no string for a number); on top, every property
 * the model marks as required must be there, and every quantity must parse.
 */
final class TypedModels {
    /** Strimzi's resources by API version and kind; its model is one set of classes for all versions. */
    private static final Map<String, Class<? extends HasMetadata>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaUser", KafkaUser.class, "KafkaTopic", KafkaTopic.class);
    private static final String STRIMZI_GROUP = "kafka.strimzi.io";
    /** The model (0.51) still serves v1beta2 and older, but Strimzi 1.0 removed them: v1 is what works on every current Strimzi. */
    private static final String STRIMZI_VERSION = "v1";
    private static final String FABRIC8_RESOURCES = "META-INF/services/" + KubernetesResource.class.getName();

    private static final Map<String, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();
    private static List<String> fabric8Classes;

    private TypedModels() {
    }

    /** The model class for an apiVersion and kind, if a published model has one. */
    static Optional<Class<?>> modelFor(String apiVersion, String kind) {
        if (apiVersion.startsWith(STRIMZI_GROUP + "/")) {
            Class<? extends HasMetadata> type = STRIMZI.get(kind);
            String version = apiVersion.substring(STRIMZI_GROUP.length() + 1);
            return type != null && version.equals(STRIMZI_VERSION) && strimziServes(type, version)
                    ? Optional.of(type) : Optional.empty();
        }
        // fabric8 lists its model classes as KubernetesResource services; only those named for the
        // kind are loaded.
        return fabric8Classes().stream()
                .filter(name -> name.endsWith("." + kind))
                .map(TypedModels::load)
                .filter(type -> HasMetadata.class.isAssignableFrom(type))
                .filter(type -> apiVersion.equals(HasMetadata.getApiVersion(type.asSubclass(HasMetadata.class)))
                        && kind.equals(HasMetadata.getKind(type.asSubclass(HasMetadata.class))))
                .findFirst();
    }

    /** What is wrong with the resource against its model, nothing when it is valid. */
    static List<String> problems(JsonNode resource, Class<?> model) {
        String version = resource.path("apiVersion").asText().replaceFirst("^.*/", "");
        ObjectMapper mapper = mapper(StrimziVersions.isStrimzi(model) ? version : "");
        List<String> problems = new ArrayList<>();
        Object loaded;
        try {
            loaded = mapper.treeToValue(resource, model);
        } catch (JsonMappingException e) {
            problems.add(pathOf(e) + ": " + e.getOriginalMessage().replaceAll("\\s*\\(class [^)]*\\)", "")
                    .replaceAll(",? ?not marked as ignorable.*", ""));
            return problems;
        } catch (JsonProcessingException e) {
            problems.add(e.getOriginalMessage());
            return problems;
        }
        new Walk(mapper, version, problems).bean(loaded, "");
        return problems;
    }

    private static boolean strimziServes(Class<?> type, String version) {
        try {
            List<?> versions = (List<?>) type.getField("VERSIONS").get(null);
            return versions.contains(version);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has no VERSIONS", e);
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return path.isEmpty() ? "(resource)" : path.substring(path.charAt(0) == '.' ? 1 : 0);
    }

    /** A strict mapper; for Strimzi's model, one per API version, without the properties other versions have. */
    private static ObjectMapper mapper(String strimziVersion) {
        return MAPPERS.computeIfAbsent(strimziVersion, version -> {
            SimpleModule strict = new SimpleModule();
            strict.setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                             BeanDeserializerBuilder builder) {
                    // The models' @JsonAnySetter keeps unknown fields instead of refusing them.
                    builder.setAnySetter(null);
                    Class<?> type = description.getBeanClass();
                    if (!version.isEmpty() && StrimziVersions.isStrimzi(type)) {
                        for (BeanPropertyDefinition p : description.findProperties()) {
                            if (!StrimziVersions.presentIn(type, members(p), version)) {
                                builder.removeProperty(p.getFullName());
                            }
                        }
                    }
                    return builder;
                }
            });
            return JsonMapper.builder()
                    .addModule(strict)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .withCoercionConfig(LogicalType.Textual, c -> c
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                    .build();
        });
    }

    /** The Java members behind a property: where Strimzi puts its version markers. */
    private static List<String> members(BeanPropertyDefinition p) {
        List<String> names = new ArrayList<>();
        if (p.hasGetter()) {
            names.add(p.getGetter().getName());
        }
        if (p.hasSetter()) {
            names.add(p.getSetter().getName());
        }
        if (p.hasField()) {
            names.add(p.getField().getName());
        }
        return names;
    }

    /** Goes through a loaded resource for what deserialization alone does not check. */
    private record Walk(ObjectMapper mapper, String version, List<String> problems) {

        void bean(Object bean, String path) {
            Class<?> type = bean.getClass();
            if (bean instanceof Quantity q) {
                try {
                    Quantity.getAmountInBytes(q);
                } catch (RuntimeException e) {
                    problems.add(path + ": \"" + q + "\" is not a quantity");
                }
                return;
            }
            if (!isModel(type) || type.isEnum()) {
                return;
            }
            boolean strimzi = StrimziVersions.isStrimzi(type);
            if (strimzi && !StrimziVersions.classPresentIn(type, version)) {
                problems.add(path + ": " + type.getSimpleName() + " is not in API version " + version);
            }
            BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(type));
            for (BeanPropertyDefinition p : description.findProperties()) {
                if (!p.hasGetter() || strimzi && !StrimziVersions.presentIn(type, members(p), version)) {
                    continue;
                }
                String at = path.isEmpty() ? p.getName() : path + "." + p.getName();
                Object value = p.getGetter().getValue(bean);
                boolean required = p.isRequired() || strimzi && StrimziVersions.requiredIn(type, members(p), version);
                if (value == null) {
                    if (required) {
                        problems.add(at + ": required, missing");
                    }
                } else {
                    value(value, at);
                }
            }
        }

        void value(Object value, String path) {
            if (value instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    if (item != null) {
                        value(item, path + "[" + i++ + "]");
                    }
                }
            } else if (value instanceof Map<?, ?> entries) {
                entries.forEach((k, v) -> {
                    if (v != null) {
                        value(v, path + "." + k);
                    }
                });
            } else {
                bean(value, path);
            }
        }

        private static boolean isModel(Class<?> type) {
            String name = type.getName();
            return name.startsWith("io.fabric8.") || name.startsWith("io.strimzi.api.");
        }
    }

    private static synchronized List<String> fabric8Classes() {
        if (fabric8Classes == null) {
            List<String> names = new ArrayList<>();
            try {
                Enumeration<URL> lists = TypedModels.class.getClassLoader().getResources(FABRIC8_RESOURCES);
                while (lists.hasMoreElements()) {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                        in.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fabric8Classes = List.copyOf(names);
        }
        return fabric8Classes;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, TypedModels.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

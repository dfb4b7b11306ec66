package dev.eddy.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Which API versions of a Strimzi resource a model class or property belongs to. Strimzi keeps one
 * Java model for all its API versions and marks the differences with {@code @PresentInVersions} and
 * {@code @RequiredInVersions} (from its crd-generator, which generates each version's CRD schema
 * from them). That artifact is not published, so the JVM cannot see those annotations; their
 * values are read from the class files instead.
 */
final class StrimziVersions {
    private static final String PRESENT = "Lio/strimzi/crdgenerator/annotations/PresentInVersions;";
    private static final String REQUIRED = "Lio/strimzi/crdgenerator/annotations/RequiredInVersions;";
    /** Strimzi's API versions, oldest first (crd-generator's ApiVersion). */
    private static final List<String> ORDER = List.of("v1alpha1", "v1beta1", "v1beta2", "v1");

    /** The markers of one class: on the class itself, and on its members by member name. */
    private record Markers(String classPresent, Map<String, String> present, Map<String, String> required) {
    }

    private static final Map<Class<?>, Markers> CACHE = new ConcurrentHashMap<>();

    private StrimziVersions() {
    }

    static boolean isStrimzi(Class<?> type) {
        return type.getName().startsWith("io.strimzi.api.");
    }

    /** False when the class is marked as present only in other versions than {@code version}. */
    static boolean classPresentIn(Class<?> type, String version) {
        String range = markers(type).classPresent();
        return range == null || inRange(range, version);
    }

    /** False when any of the property's members (getter, setter, field) is marked for other versions only. */
    static boolean presentIn(Class<?> type, List<String> memberNames, String version) {
        for (Class<?> c = type; c != null && isStrimzi(c); c = c.getSuperclass()) {
            for (String member : memberNames) {
                String range = markers(c).present().get(member);
                if (range != null && !inRange(range, version)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean requiredIn(Class<?> type, List<String> memberNames, String version) {
        for (Class<?> c = type; c != null && isStrimzi(c); c = c.getSuperclass()) {
            for (String member : memberNames) {
                String range = markers(c).required().get(member);
                if (range != null && inRange(range, version)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Strimzi's range syntax: {@code v1}, {@code v1beta2+} (and newer), {@code v1alpha1-v1beta2}. */
    static boolean inRange(String range, String version) {
        int v = rank(version);
        for (String part : range.split(",")) {
            String r = part.trim();
            if (r.equals("all")) {
                return true;
            }
            if (r.endsWith("+")) {
                if (v >= rank(r.substring(0, r.length() - 1))) {
                    return true;
                }
            } else if (r.contains("-")) {
                String[] ends = r.split("-", 2);
                if (v >= rank(ends[0]) && v <= rank(ends[1])) {
                    return true;
                }
            } else if (v == rank(r)) {
                return true;
            }
        }
        return false;
    }

    private static int rank(String version) {
        int i = ORDER.indexOf(version);
        if (i < 0) {
            throw new IllegalArgumentException("not a Strimzi API version: " + version);
        }
        return i;
    }

    private static Markers markers(Class<?> type) {
        return CACHE.computeIfAbsent(type, StrimziVersions::read);
    }

    private static Markers read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + type.getName());
            }
            Map<String, String> present = new HashMap<>();
            Map<String, String> required = new HashMap<>();
            String[] classPresent = new String[1];
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    return PRESENT.equals(descriptor) ? value(v -> classPresent[0] = v) : null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                            return marker(descriptor, name, present, required);
                        }
                    };
                }

                @Override
                public FieldVisitor visitField(int access, String name, String desc, String sig, Object value) {
                    return new FieldVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                            return marker(descriptor, name, present, required);
                        }
                    };
                }
            }, ClassReader.SKIP_CODE);
            return new Markers(classPresent[0], Map.copyOf(present), Map.copyOf(required));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AnnotationVisitor marker(String descriptor, String member, Map<String, String> present,
                                            Map<String, String> required) {
        if (PRESENT.equals(descriptor)) {
            return value(v -> present.put(member, v));
        }
        if (REQUIRED.equals(descriptor)) {
            return value(v -> required.put(member, v));
        }
        return null;
    }

    private static AnnotationVisitor value(java.util.function.Consumer<String> sink) {
        return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String name, Object value) {
                if ("value".equals(name)) {
                    sink.accept(String.valueOf(value));
                }
            }
        };
    }
}

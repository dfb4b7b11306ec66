package dev.eddy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ModificationTimeProvider;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image tarball of a packaged Quarkus application ({@code target/quarkus-app}), made with Jib
 * and no Docker daemon: the application in {@code /deployments} in three layers (dependencies, the
 * Quarkus build output, the application's own jar, from least to most often changed), run as user
 * 185 (not root), with the JVM options a function instance is measured with. Extra JVM options go in
 * {@code JAVA_TOOL_OPTIONS}. Load it with {@code docker load -i}, {@code podman load -i}, or push it
 * with {@code crane}/{@code skopeo}.
 */
public final class ImageBuilder {
    /** A non-root user; the UID the Quarkus and UBI OpenJDK images use. */
    static final String USER = "185";
    static final String HOME = "/deployments";
    /**
     * SerialGC: a function instance has a CPU or less, where the JVM picks it anyway; heap sized from
     * the container's memory limit; a process that ran out of memory ends and is replaced. The native
     * heap trimmed every 5 s: glibc keeps what the JIT compiler and Netty freed, about 25 MB of a
     * function instance's resident memory after 10 000 requests (README, "A function instance's start").
     * Experimental in JDK 17.0.9+ and 21.0.1+, a product option from 22 (there the unlock is a no-op).
     * The benchmark's copy: FunctionStartup.IMAGE_JVM_OPTIONS.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError", "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=5000",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    /** The class data sharing archive a Quarkus build with quarkus.package.jar.appcds.enabled leaves in quarkus-app. */
    static final String CLASS_ARCHIVE = "app-cds.jsa";

    private ImageBuilder() {
    }

    /** One layer: each source (a file or a directory, recursively) under {@code home} by its name. */
    private static FileEntriesLayer layer(String name, List<Path> sources, AbsoluteUnixPath home,
                                          ModificationTimeProvider times) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (Path source : sources) {
            layer.addEntryRecursive(source, home.resolve(source.getFileName().toString()),
                    FileEntriesLayer.DEFAULT_FILE_PERMISSIONS_PROVIDER, times);
        }
        return layer.build();
    }

    private static boolean onClassPath(AbsoluteUnixPath inImage) {
        String path = inImage.toString();
        return path.equals(HOME + "/quarkus-run.jar") || path.startsWith(HOME + "/lib/boot/");
    }

    private static Instant buildTime(Path source) {
        try {
            return Files.getLastModifiedTime(source).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv[0].equals("env")) {
                String[] env = kv[1].split("=", 2);
                environment.put(env[0], env[1]);
            } else {
                options.put(kv[0], kv[1]);
            }
        }
        Path app = Path.of(options.get("app"));
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("no packaged application in " + app + " (./mvnw package first)");
        }
        String base = options.get("base");
        JibContainerBuilder image = base.equals("scratch") ? Jib.fromScratch() : Jib.from(RegistryImage.named(base));
        AbsoluteUnixPath home = AbsoluteUnixPath.get(HOME);
        List<Path> application = new ArrayList<>(List.of(app.resolve("app"), app.resolve("quarkus-run.jar")));
        boolean archive = Files.isRegularFile(app.resolve(CLASS_ARCHIVE));
        if (archive) {
            application.add(app.resolve(CLASS_ARCHIVE));
        }
        // The JVM maps the class archive only if the jars on its class path (quarkus-run.jar and the
        // lib/boot jars its manifest names) have the times and sizes they had when the archive was
        // made: those keep their times (Jib sets every file to the epoch, so that a layer does not
        // change when its content does not; the libraries layer now changes with each build).
        ModificationTimeProvider times = (source, inImage) -> archive && onClassPath(inImage)
                ? buildTime(source) : FileEntriesLayer.DEFAULT_MODIFICATION_TIME_PROVIDER.get(source, inImage);
        image.addFileEntriesLayer(layer("libraries", List.of(app.resolve("lib")), home, times))
                .addFileEntriesLayer(layer("quarkus", List.of(app.resolve("quarkus")), home, times))
                .addFileEntriesLayer(layer("application", application, home, times));
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(JVM_OPTIONS);
        if (archive) {
            // Used only by the JVM build that made it (the build's java); another says so in a warning
            // line and starts without it, so the base image's java should be the build's.
            entrypoint.add("-XX:SharedArchiveFile=" + HOME + "/" + CLASS_ARCHIVE);
            System.out.printf("image %s: class data sharing archive made by java %s (%s); a JVM of another build "
                    + "ignores it%n", options.get("name"), System.getProperty("java.vm.version"),
                    System.getProperty("java.vm.vendor"));
        }
        // the jar relative to the working directory, as the build named it when it made the archive
        entrypoint.addAll(List.of("-jar", "quarkus-run.jar"));
        image.setEntrypoint(entrypoint)
                .setWorkingDirectory(home)
                .setUser(USER)
                .setEnvironment(environment)
                .addExposedPort(Port.tcp(Integer.parseInt(options.get("port"))));
        Path tar = Path.of(options.get("tar"));
        Files.createDirectories(tar.getParent());
        image.containerize(Containerizer.to(TarImage.at(tar).named(options.get("name"))));
        System.out.printf("image %s (on %s) written to %s%n", options.get("name"), base, tar);
    }
}

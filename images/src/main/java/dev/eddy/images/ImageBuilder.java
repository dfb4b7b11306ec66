package dev.eddy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * the container's memory limit; a process that ran out of memory ends and is replaced.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    /** The class data sharing archive a Quarkus build with quarkus.package.jar.appcds.enabled leaves in quarkus-app. */
    static final String CLASS_ARCHIVE = "app-cds.jsa";

    private ImageBuilder() {
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
        image.addLayer(List.of(app.resolve("lib")), home)
                .addLayer(List.of(app.resolve("quarkus")), home)
                .addLayer(application, home);
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
        entrypoint.addAll(List.of("-jar", HOME + "/quarkus-run.jar"));
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

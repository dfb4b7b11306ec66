package dev.eddy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/eddy's build step (issue 17, item 12): a run that must build says so and shows Maven's progress
 * module by module; a run whose app is newer than its sources builds nothing and says nothing of it;
 * a failed build shows the end of its log. Run on a copy of the script in a tree of its own whose
 * Maven wrapper only reports the modules and leaves an app, so that the test does not rebuild the
 * tree under test; {@code java -version} (on an empty jar) stands for the app's start.
 */
class BinEddyBuildIT {
    private static final String MAVEN = """
            #!/bin/sh
            echo run >> mvnw.calls
            echo "[INFO] Scanning for projects..."
            echo "[INFO] Building Eddy core 0.1.0-SNAPSHOT                                  [1/2]"
            echo "[INFO] --------------------------------[ jar ]---------------------------------"
            echo "[INFO] Building Eddy local app 0.1.0-SNAPSHOT                             [2/2]"
            if [ -f fail ]; then echo "[ERROR] COMPILATION ERROR: Broken.java"; exit 1; fi
            mkdir -p functions/local/target/quarkus-app
            printf 'Manifest-Version: 1.0\n' > manifest.txt
            jar cfm functions/local/target/quarkus-app/quarkus-run.jar manifest.txt
            """;

    private record Run(int exit, String output) {
    }

    @Test
    void theFirstRunSaysItBuildsAndShowsTheModulesLaterRunsDoNot() throws Exception {
        Path root = tree();
        Run first = run(root);
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("eddy: building the local app"), first.output());
        assertTrue(first.output().contains("eddy: building 1/2 Eddy core"), first.output());
        assertTrue(first.output().contains("eddy: building 2/2 Eddy local app"), first.output());
        assertTrue(first.output().contains("eddy: built in "), first.output());
        assertFalse(first.output().contains("[INFO]"), "Maven's own lines stay in the log: " + first.output());
        assertTrue(Files.readString(root.resolve("functions/local/target/eddy-build.log")).contains("Scanning for projects"));

        Run second = run(root);
        assertEquals(0, second.exit(), second.output());
        assertFalse(second.output().contains("building"), second.output());
        assertEquals(1, Files.readAllLines(root.resolve("mvnw.calls")).size());

        // A source newer than the app: built again.
        Files.writeString(root.resolve("src/main/java/Core.java"), "class Core { int changed; }");
        Run third = run(root);
        assertTrue(third.output().contains("eddy: building 2/2 Eddy local app"), third.output());
        assertEquals(2, Files.readAllLines(root.resolve("mvnw.calls")).size());
    }

    @Test
    void aFailedBuildShowsTheEndOfItsLogAndStops() throws Exception {
        Path root = tree();
        Files.createFile(root.resolve("fail"));
        Run failed = run(root);
        assertEquals(1, failed.exit(), failed.output());
        assertTrue(failed.output().contains("eddy: the build failed (exit 1)"), failed.output());
        assertTrue(failed.output().contains("COMPILATION ERROR: Broken.java"), failed.output());
        assertFalse(failed.output().contains("openjdk version") || failed.output().contains("java version"),
                "the app does not start: " + failed.output());
    }

    /** A tree with bin/eddy, a Maven wrapper that reports two modules, and sources older than any build. */
    private static Path tree() throws IOException {
        Path root = Files.createTempDirectory("eddy-bin");
        Files.createDirectories(root.resolve("bin"));
        Path script = Path.of(System.getProperty("eddy.bin.eddy", "../../bin/eddy"));
        Files.copy(script, root.resolve("bin/eddy"));
        Files.writeString(root.resolve("mvnw"), MAVEN);
        for (Path p : List.of(root.resolve("bin/eddy"), root.resolve("mvnw"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path source = root.resolve("src/main/java/Core.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Core {}");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(source, anHourAgo);
        Files.setLastModifiedTime(root.resolve("pom.xml"), anHourAgo);
        return root;
    }

    /** bin/eddy -version: the app's start is java's version line. */
    private static Run run(Path root) throws Exception {
        ProcessBuilder b = new ProcessBuilder(root.resolve("bin/eddy").toString(), "-version")
                .directory(root.toFile()).redirectErrorStream(true);
        b.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        b.environment().remove("EDDY_DATA_DIR");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("bin/eddy did not end: " + out);
        }
        return new Run(p.exitValue(), out);
    }
}

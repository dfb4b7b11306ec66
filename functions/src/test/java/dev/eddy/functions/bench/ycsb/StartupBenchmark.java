package dev.eddy.functions.bench.ycsb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The function instance's start alone ({@link FunctionStartup}): {@code bin/bench-startup [--runs N]
 * [--jvm "OPTIONS"]... [--baseline-jar JAR] [--java-home JDK] [--aot]}, the packaged function ({@code eddy.app.jar}) against an external two-node
 * Infinispan cluster, from process start to the first GetItem it serves, with its resident memory.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        List<String> jvm = new ArrayList<>();
        String baselineJar = null; // another build's quarkus-run.jar, measured in the same run (a before/after)
        Path javaHome = null;
        boolean aot = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jvm" -> jvm.add(args[++i]);
                case "--baseline-jar" -> baselineJar = args[++i];
                case "--java-home" -> javaHome = Path.of(args[++i]);
                case "--aot" -> aot = true;
                default -> throw new IllegalArgumentException("bin/bench-startup [--runs N] [--jvm OPTIONS]... "
                        + "[--baseline-jar JAR] [--java-home JDK] [--aot]: " + args[i]);
            }
        }
        FunctionStartup.Jdk jdk = new FunctionStartup.Jdk(javaHome, aot);
        if (jvm.isEmpty()) {
            jvm.add(FunctionStartup.IMAGE_JVM_OPTIONS);
        }
        String jar = System.getProperty("eddy.app.jar");
        if (jar == null) {
            throw new IllegalStateException("set -Deddy.app.jar (bin/bench-startup does)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children()
                .forEach(ProcessHandle::destroy)));
        Path work = Files.createTempDirectory("eddy-startup");
        List<FunctionStartup.Variant> baseline = baselineJar == null ? List.of()
                : FunctionStartup.measure(Path.of(baselineJar), work, runs, jvm, jdk);
        List<FunctionStartup.Variant> variants = FunctionStartup.measure(Path.of(jar), work, runs, jvm, jdk);
        if (baselineJar != null) {
            System.out.printf("%n## Baseline %s: function instance start (JVM mode, external Infinispan), %d starts each%n%n",
                    baselineJar, runs);
            System.out.print(FunctionStartup.table(baseline));
        }
        String how = (javaHome == null ? "JDK " + System.getProperty("java.version") + ", the build's class archive"
                : "the JDK in " + javaHome) + (aot ? ", an AOT cache from one training start" : "");
        System.out.printf("%n## Function instance start (JVM mode, external Infinispan; %s), %d starts each%n%n", how, runs);
        System.out.print(FunctionStartup.table(variants));
    }
}

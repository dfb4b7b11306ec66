package dev.eddy.functions.bench.ycsb;

import dev.eddy.functions.DynamoTestBase;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.functions.InfinispanCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * How fast a function instance comes up and how much memory it holds: the packaged application in
 * JVM mode, role function, pointed at an external two-node Infinispan cluster and an external Kafka
 * broker (both in the benchmark's JVM; {@code eddy.infinispan.servers} set, so no embedded stack
 * starts), timed from process start to the first GetItem it answers (polled every 5 ms). Resident
 * memory is read at that moment and again after 10 000 requests. One uncounted start first creates
 * the table and warms the file cache.
 */
final class FunctionStartup {
    private static final String TABLE = "Startup";
    private static final Pattern QUARKUS_STARTED = Pattern.compile("started in ([0-9.]+)s");
    private static final int REQUESTS_AFTER_START = 10_000;
    /** The class data sharing archive the build leaves next to quarkus-run.jar (quarkus.package.jar.appcds). */
    static final String CLASS_ARCHIVE = "app-cds.jsa";
    /**
     * The JVM options the image runs a function instance with (images' ImageBuilder.JVM_OPTIONS), in a
     * JVM sized as the Knative service's 256 MiB pod (knative/15-service-eddy.yaml's memory limit).
     */
    static final String IMAGE_JVM_OPTIONS = "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError "
            + "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000 -XX:MaxRAM=256m";

    /** One start of one instance. */
    record Start(long firstServedNanos, long readyNanos, double quarkusSeconds, long cpuAtFirstNanos,
                 long residentAtFirst, long residentAfterRequests, double loadAverage) {
    }

    /** The starts measured with one set of JVM options. */
    record Variant(String jvmOptions, List<Start> starts) {
    }

    /**
     * Which JDK runs the instances ({@code javaHome}; null: the benchmark's own, with the build's class
     * archive), and whether they start from an AOT cache (JDK 24 and later, JEP 483/514/515) that one
     * training start, serving the measured requests, writes when it stops.
     */
    record Jdk(Path javaHome, boolean aotCache) {
        static final Jdk THIS = new Jdk(null, false);
    }

    private FunctionStartup() {
    }

    static List<Variant> measure(Path jar, Path work, int runs, List<String> jvmOptionSets) throws Exception {
        return measure(jar, work, runs, jvmOptionSets, Jdk.THIS);
    }

    static List<Variant> measure(Path jar, Path work, int runs, List<String> jvmOptionSets, Jdk jdk) throws Exception {
        InfinispanCluster cluster = new InfinispanCluster();
        EmbeddedKafka kafka = EmbeddedKafka.start(Files.createTempDirectory(work, "kafka"), JvmProcess.freePort());
        try {
            String servers = cluster.startNodes(2);
            System.out.printf("Function startup: external Infinispan cluster %s (2 nodes) and Kafka %s, in the "
                    + "benchmark JVM%n", servers, kafka.bootstrapServers());
            Cluster external = new Cluster(servers, kafka.bootstrapServers());
            Path aot = work.resolve("app-" + System.nanoTime() + ".aot");
            List<String> training = new ArrayList<>(flags(jvmOptionSets.isEmpty() ? "" : jvmOptionSets.get(0)));
            if (jdk.aotCache()) {
                training.add("-XX:AOTCacheOutput=" + aot);
            }
            long trainingStart = System.nanoTime();
            startOnce(jar, work, external, training, true, jdk);
            if (jdk.aotCache()) {
                if (!Files.isRegularFile(aot)) {
                    throw new IllegalStateException("the training start wrote no AOT cache (" + aot + "): see its log in " + work);
                }
                System.out.printf("  AOT cache from one training start: %d MB, written %.1f s after that start%n",
                        Files.size(aot) >> 20, (System.nanoTime() - trainingStart) / 1e9);
            }
            List<Variant> variants = new ArrayList<>();
            for (String options : jvmOptionSets) {
                List<String> flags = new ArrayList<>(flags(options));
                if (jdk.aotCache()) {
                    flags.add("-XX:AOTCache=" + aot);
                }
                List<Start> starts = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    Start s = startOnce(jar, work, external, flags, false, jdk);
                    System.out.printf("  [%s] start %d: first request served after %d ms (CPU %d ms), ready after %d ms, "
                                    + "RSS %d MB, after %d requests %d MB, load average %.1f%n",
                            options.isBlank() ? "JVM defaults" : options, i + 1, s.firstServedNanos / 1_000_000,
                            s.cpuAtFirstNanos / 1_000_000, s.readyNanos / 1_000_000, s.residentAtFirst >> 20,
                            REQUESTS_AFTER_START, s.residentAfterRequests >> 20, s.loadAverage);
                    starts.add(s);
                }
                variants.add(new Variant(options, starts));
            }
            return variants;
        } finally {
            kafka.close();
            cluster.stop();
        }
    }

    private static List<String> flags(String options) {
        return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }

    /** Where the instance finds its store and its change log. */
    private record Cluster(String infinispan, String kafka) {
    }

    private static Start startOnce(Path jar, Path work, Cluster cluster, List<String> jvmOptions, boolean prepare, Jdk jdk)
            throws Exception {
        int port = JvmProcess.freePort();
        List<String> arguments = new ArrayList<>(jvmOptions);
        Path archive = jar.resolveSibling(CLASS_ARCHIVE);
        boolean training = jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:AOTCacheOutput="));
        // the build's archive is only for the JVM build that made it, and an AOT cache takes its place
        if (Files.isRegularFile(archive) && jdk.javaHome() == null
                && jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile=") || o.startsWith("-XX:AOTCache"))) {
            arguments.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath()); // as the image runs it, where the build made one
        }
        // without request authentication (on by default in the function role), so the benchmark's
        // client needs no credentials file: the check reads one small file at start
        arguments.addAll(List.of("-Deddy.infinispan.servers=" + cluster.infinispan(),
                "-Deddy.kafka.bootstrap-servers=" + cluster.kafka(), "-Deddy.role=function", "-Dquarkus.http.port=" + port,
                "-Deddy.auth.enabled=false", "-jar", jar.getFileName().toString()));
        try (DynamoDbClient client = DynamoTestBase.client(URI.create("http://127.0.0.1:" + port))) {
            warmUp(client);
            // in the application's directory with the jar named relative to it, as the image runs it: the
            // JVM maps the archive only where the jar's path is the one the build recorded in it
            try (JvmProcess instance = JvmProcess.startIn(jar.toAbsolutePath().getParent(), arguments,
                    work.resolve("function-" + port + ".log"), jdk.javaHome())) {
                long served = instance.awaitServed(client, FunctionStartup::get, 5);
                if (instance.output().contains("Unable to use shared archive")) {
                    System.out.println("  warning: this start ran without its class archive: "
                            + instance.output().lines().findFirst().orElse(""));
                }
                long cpuAtFirst = instance.usage().cpu().toNanos();
                long residentAtFirst = instance.usage().residentBytes();
                long ready = instance.awaitReady(port, 5);
                if (prepare) {
                    createTable(client);
                    if (training) {
                        serve(client); // what the measured starts do, so the cache holds their path too
                        instance.close(300); // the JVM writes the cache as it exits
                    }
                    return null;
                }
                serve(client);
                return new Start(served, ready, quarkusSeconds(instance.output()), cpuAtFirst, residentAtFirst,
                        instance.usage().residentBytes(), ProcessUsage.machineLoadAverage());
            }
        }
    }

    /** The requests each measured start serves after its first: PutItem and GetItem in turn. */
    private static void serve(DynamoDbClient client) {
        for (int i = 0; i < REQUESTS_AFTER_START / 2; i++) {
            String key = "k" + (i % 100);
            client.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(key),
                    "payload", AttributeValue.fromS("p".repeat(1000)))));
            client.getItem(r -> r.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(key))));
        }
    }

    /** The SDK client's own first-call cost (class loading, signing setup) is paid before the clock starts. */
    private static void warmUp(DynamoDbClient client) {
        try {
            get(client);
        } catch (SdkClientException nothingListensYet) {
            // expected
        }
    }

    private static void get(DynamoDbClient client) {
        client.getItem(r -> r.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("k0"))));
    }

    private static void createTable(DynamoDbClient client) {
        client.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                // writes then publish change records through the instance's Kafka producer
                .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        client.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
    }

    private static double quarkusSeconds(String log) {
        Matcher m = QUARKUS_STARTED.matcher(log);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The starts as a Markdown table: one row per JVM option set. */
    static String table(List<Variant> variants) {
        StringBuilder t = new StringBuilder("| JVM options | start to first served request, median (min-max) "
                + "| CPU time to it, median | ready (/q/health/ready), median | Quarkus \"started in\", median "
                + "| RSS at first request, median | RSS after " + REQUESTS_AFTER_START + " requests, median "
                + "| load average |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Variant v : variants) {
            List<Start> s = v.starts();
            long[] served = s.stream().mapToLong(Start::firstServedNanos).sorted().toArray();
            DoubleSummaryStatistics load = s.stream().mapToDouble(Start::loadAverage).summaryStatistics();
            t.append(String.format("| %s | %d ms (%d-%d) | %d ms | %d ms | %.2f s | %d MB | %d MB | %.1f-%.1f |%n",
                    v.jvmOptions().isBlank() ? "(JVM defaults)" : "`" + v.jvmOptions() + "`",
                    median(served) / 1_000_000, served[0] / 1_000_000, served[served.length - 1] / 1_000_000,
                    median(s.stream().mapToLong(Start::cpuAtFirstNanos).sorted().toArray()) / 1_000_000,
                    median(s.stream().mapToLong(Start::readyNanos).sorted().toArray()) / 1_000_000,
                    median(s.stream().mapToDouble(Start::quarkusSeconds).sorted().toArray()),
                    median(s.stream().mapToLong(Start::residentAtFirst).sorted().toArray()) >> 20,
                    median(s.stream().mapToLong(Start::residentAfterRequests).sorted().toArray()) >> 20,
                    load.getMin(), load.getMax()));
        }
        return t.toString();
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}

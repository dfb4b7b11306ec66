package dev.eddy.functions.bench.ycsb;

import dev.eddy.functions.DynamoTestBase;
import dev.eddy.functions.InfinispanCluster;
import java.net.URI;
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

/**
 * How fast a function instance comes up and how much memory it holds: the packaged application in
 * JVM mode pointed at an external two-node Infinispan cluster ({@code eddy.infinispan.servers}
 * set, so no embedded Infinispan or Kafka starts), timed from process start to the first GetItem
 * it answers (polled every 5 ms). Resident memory is read at that moment and again after a few
 * thousand requests. One uncounted start first creates the table and warms the file cache.
 */
final class FunctionStartup {
    private static final String TABLE = "Startup";
    private static final Pattern QUARKUS_STARTED = Pattern.compile("started in ([0-9.]+)s");
    private static final int REQUESTS_AFTER_START = 2_000;

    /** One start of one instance. */
    record Start(long firstServedNanos, double quarkusSeconds, long residentAtFirst, long residentAfterRequests,
                 double loadAverage) {
    }

    /** The starts measured with one set of JVM options. */
    record Variant(String jvmOptions, List<Start> starts) {
    }

    private FunctionStartup() {
    }

    static List<Variant> measure(Path jar, Path work, int runs, List<String> jvmOptionSets) throws Exception {
        InfinispanCluster cluster = new InfinispanCluster();
        try {
            String servers = cluster.startNodes(2);
            System.out.printf("Function startup: external Infinispan cluster %s (2 nodes in the benchmark JVM)%n", servers);
            startOnce(jar, work, servers, List.of(), true);
            List<Variant> variants = new ArrayList<>();
            for (String options : jvmOptionSets) {
                List<String> flags = options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
                List<Start> starts = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    Start s = startOnce(jar, work, servers, flags, false);
                    System.out.printf("  [%s] start %d: first request served after %d ms, RSS %d MB, after %d requests "
                                    + "%d MB, load average %.1f%n", options.isBlank() ? "JVM defaults" : options, i + 1,
                            s.firstServedNanos / 1_000_000, s.residentAtFirst >> 20, REQUESTS_AFTER_START,
                            s.residentAfterRequests >> 20, s.loadAverage);
                    starts.add(s);
                }
                variants.add(new Variant(options, starts));
            }
            return variants;
        } finally {
            cluster.stop();
        }
    }

    private static Start startOnce(Path jar, Path work, String servers, List<String> jvmOptions, boolean prepare)
            throws Exception {
        int port = JvmProcess.freePort();
        List<String> arguments = new ArrayList<>(jvmOptions);
        // without request authentication (on by default in the function role), so the benchmark's
        // client needs no credentials file: the check reads one small file at start
        arguments.addAll(List.of("-Deddy.infinispan.servers=" + servers, "-Dquarkus.http.port=" + port,
                "-Deddy.auth.enabled=false", "-jar", jar.toString()));
        try (DynamoDbClient client = DynamoTestBase.client(URI.create("http://127.0.0.1:" + port))) {
            warmUp(client);
            try (JvmProcess instance = JvmProcess.start(arguments, work.resolve("function-" + port + ".log"))) {
                long served = instance.awaitServed(client, FunctionStartup::get, 5);
                long residentAtFirst = instance.usage().residentBytes();
                if (prepare) {
                    createTable(client);
                    return null;
                }
                for (int i = 0; i < REQUESTS_AFTER_START / 2; i++) {
                    String key = "k" + (i % 100);
                    client.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(key),
                            "payload", AttributeValue.fromS("p".repeat(1000)))));
                    client.getItem(r -> r.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(key))));
                }
                return new Start(served, quarkusSeconds(instance.output()), residentAtFirst,
                        instance.usage().residentBytes(), ProcessUsage.machineLoadAverage());
            }
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
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
        client.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
    }

    private static double quarkusSeconds(String log) {
        Matcher m = QUARKUS_STARTED.matcher(log);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The starts as a Markdown table: one row per JVM option set. */
    static String table(List<Variant> variants) {
        StringBuilder t = new StringBuilder("| JVM options | start to first served request, median (min-max) "
                + "| Quarkus \"started in\", median | RSS at first request, median | RSS after 2000 requests, median "
                + "| load average |\n|---|---:|---:|---:|---:|---:|\n");
        for (Variant v : variants) {
            List<Start> s = v.starts();
            long[] served = s.stream().mapToLong(Start::firstServedNanos).sorted().toArray();
            DoubleSummaryStatistics load = s.stream().mapToDouble(Start::loadAverage).summaryStatistics();
            t.append(String.format("| %s | %d ms (%d-%d) | %.2f s | %d MB | %d MB | %.1f-%.1f |%n",
                    v.jvmOptions().isBlank() ? "(JVM defaults)" : "`" + v.jvmOptions() + "`",
                    median(served) / 1_000_000, served[0] / 1_000_000, served[served.length - 1] / 1_000_000,
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

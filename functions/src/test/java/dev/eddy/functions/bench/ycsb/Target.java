package dev.eddy.functions.bench.ycsb;

import dev.eddy.functions.BenchApp;
import dev.eddy.functions.DynamoTestBase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A DynamoDB endpoint under test: the client every benchmark thread shares, and the server process
 * whose CPU time counts as the server's (null for a baseline whose process is not known).
 *
 * @param owner closes the client and stops the server
 */
record Target(String name, String setup, URI endpoint, DynamoDbClient client, ProcessUsage server, AutoCloseable owner)
        implements AutoCloseable {
    /**
     * The heap Eddy's server gets. Its embedded stack keeps the table on the Java heap (100 000 records
     * of 1 KB are about 110 MB in Infinispan, and as much again in the near cache): at 512 MB it spent
     * the 100 000-record runs in full collections (p99 340-540 ms under wrk).
     */
    static final String HEAP = "-Xmx1g";

    /** The packaged application with its embedded stack: Infinispan, Kafka and Eddy in one process. */
    static Target eddy(Path work, String cpus) throws Exception {
        BenchApp app = BenchApp.start(work, launcher(cpus), HEAP);
        DynamoDbClient client = app.client();
        ProcessHandle process = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
                .reduce((a, b) -> {
                    throw new IllegalStateException("more than one application process");
                })
                .orElseThrow(() -> new IllegalStateException("application process not found"));
        return new Target("Eddy", "packaged application (quarkus-run.jar, " + HEAP + ") with its embedded stack: "
                + "Infinispan, Kafka and the functions in one process, data in a temporary folder" + bound(cpus),
                app.endpoint(), client, new ProcessUsage(process), () -> {
                    client.close();
                    app.close();
                });
    }

    /**
     * A DynamoDB-compatible server the user runs (an earlier Eddy, or any other), to compare with.
     * Its CPU time, memory and CPU binding are known only when its process id is given.
     */
    static Target baseline(URI endpoint, Long pid) throws Exception {
        DynamoDbClient client = DynamoTestBase.client(endpoint);
        ProcessUsage usage = pid == null ? null
                : new ProcessUsage(ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("no process " + pid)));
        client.listTables();
        return new Target("baseline", "the server at " + endpoint + (pid == null ? " (its process unknown: no CPU or "
                + "memory figures)" : ", process " + pid), endpoint, client, usage, client::close);
    }

    /** taskset -c CPUS, so that the JVM starts on those CPUs and sizes its threads and GC for them; none for null. */
    private static List<String> launcher(String cpus) {
        return cpus == null ? List.of() : List.of("taskset", "-c", cpus);
    }

    private static String bound(String cpus) {
        return cpus == null ? "" : ", started bound to CPU " + cpus;
    }

    void createTable(String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(DynamoDbBinding.KEY).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(DynamoDbBinding.KEY).attributeType(ScalarAttributeType.S)));
        client.waiter().waitUntilTableExists(r -> r.tableName(table));
    }

    /** The server's CPU time so far; zero when its process is not known. */
    Duration serverCpu() {
        return server == null ? Duration.ZERO : server.cpu();
    }

    long serverResidentBytes() {
        return server == null ? -1 : server.residentBytes();
    }

    @Override
    public void close() throws Exception {
        owner.close();
    }
}

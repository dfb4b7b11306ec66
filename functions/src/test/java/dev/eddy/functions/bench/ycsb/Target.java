package dev.eddy.functions.bench.ycsb;

import dev.eddy.functions.BenchApp;
import dev.eddy.functions.DynamoTestBase;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A DynamoDB endpoint under test: the client every benchmark thread shares, and the server process
 * whose CPU time counts as the server's.
 *
 * @param owner closes the client and stops the server
 */
record Target(String name, String setup, URI endpoint, DynamoDbClient client, ProcessUsage server, AutoCloseable owner)
        implements AutoCloseable {
    /**
     * The heap both servers get. Eddy's embedded stack keeps the table on the Java heap (100 000 records
     * of 1 KB are about 110 MB in Infinispan, and as much again in the near cache), DynamoDB Local in
     * SQLite's native memory: at 512 MB Eddy spent the 100 000-record runs in full collections (p99
     * 340-540 ms under wrk), so both get 1 GB.
     */
    static final String HEAP = "-Xmx1g";
    private static final String DYNAMODB_LOCAL_MAIN = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";

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
     * Amazon's DynamoDB Local, in memory, as a process of its own.
     *
     * @param classpath its jar and dependencies, native sqlite4java libraries included
     */
    static Target dynamoDbLocal(String classpath, Path work, String cpus) throws Exception {
        int port = JvmProcess.freePort();
        List<String> arguments = List.of(HEAP, "-Djava.library.path=" + nativeFolders(classpath),
                "-cp", classpath, DYNAMODB_LOCAL_MAIN, "-inMemory", "-port", Integer.toString(port));
        JvmProcess process = JvmProcess.start(launcher(cpus), arguments, work.resolve("dynamodb-local.log"));
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        DynamoDbClient client = DynamoTestBase.client(endpoint);
        try {
            process.awaitServed(client, DynamoDbClient::listTables, 100);
        } catch (Exception e) {
            client.close();
            process.close();
            throw e;
        }
        return new Target("DynamoDB Local", "DynamoDB Local -inMemory (" + HEAP + ")" + bound(cpus), endpoint, client, process.usage(), () -> {
            client.close();
            process.close();
        });
    }

    /** taskset -c CPUS, so that the JVM starts on those CPUs and sizes its threads and GC for them; none for null. */
    private static List<String> launcher(String cpus) {
        return cpus == null ? List.of() : List.of("taskset", "-c", cpus);
    }

    private static String bound(String cpus) {
        return cpus == null ? "" : ", started bound to CPU " + cpus;
    }

    /** sqlite4java loads its library from java.library.path: the folders of the native files on the classpath. */
    private static String nativeFolders(String classpath) {
        Set<String> folders = new LinkedHashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.endsWith(".so") || entry.endsWith(".dylib") || entry.endsWith(".dll")) {
                folders.add(Path.of(entry).getParent().toString());
            }
        }
        return String.join(File.pathSeparator, folders);
    }

    void createTable(String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(DynamoDbBinding.KEY).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(DynamoDbBinding.KEY).attributeType(ScalarAttributeType.S)));
        client.waiter().waitUntilTableExists(r -> r.tableName(table));
    }

    Duration serverCpu() {
        return server.cpu();
    }

    long serverResidentBytes() {
        return server.residentBytes();
    }

    @Override
    public void close() throws Exception {
        owner.close();
    }
}

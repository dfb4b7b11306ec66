package dev.eddy.functions;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every operation behind the wire endpoint, coverage-guided: the fuzzer's bytes become an operation
 * and a raw body, run as the wire endpoint runs them ({@link Eddy#execute(String, byte[])}: the
 * UTF-8 check, JSON, validation, expressions, storage) against a real Infinispan node in this JVM.
 * An answer is a response or a DynamoDB error of HTTP 400, and a refused write leaves the table as
 * it was. Plain JUnit, not a Quarkus test, so Jazzer's fuzzing loop runs the target itself; the
 * HTTP layer above it is fuzzed from its seeds by {@link WireEndpointFuzzTest} and GarbageInputTest.
 */
class OperationsFuzzTest {
    private static final List<String> OPERATIONS = List.of("PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query",
            "Scan", "BatchWriteItem", "BatchGetItem", "TransactWriteItems", "TransactGetItems", "ExecuteStatement",
            "BatchExecuteStatement", "ExecuteTransaction", "DescribeTable", "UpdateTable", "DescribeTimeToLive");
    private static final List<String> WRITES = List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction");
    private static final byte[] SNAPSHOT = ("{\"TableName\":\"" + WireEndpointFuzzTest.TABLE + "\",\"ConsistentRead\":true}")
            .getBytes(StandardCharsets.UTF_8);

    private static EmbeddedInfinispan infinispan;
    private static Eddy eddy;

    @BeforeAll
    static void start() throws Exception {
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(
                Files.createTempDirectory("eddy-fuzz"), 0));
        eddy = new Eddy(new EddyConfig("us-east-1", "000000000000", dev.eddy.core.Role.ALL,
                new StorageConfig(infinispan.hotRodAddress(), StorageConfig.DEFAULT_TEMPLATE, 10_000,
                        StorageConfig.DEFAULT_PAGE_BYTES), 0, StreamConfig.none(), TimeUnit.SECONDS.toMillis(30),
                TimeUnit.SECONDS.toMillis(10)));
        eddy.execute("CreateTable", ("{\"TableName\":\"" + WireEndpointFuzzTest.TABLE + "\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
                + "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}]}").getBytes(StandardCharsets.UTF_8));
        eddy.execute("PutItem", ("{\"TableName\":\"" + WireEndpointFuzzTest.TABLE + "\",\"Item\":{\"pk\":{\"S\":\"k1\"},"
                + "\"sk\":{\"N\":\"1\"},\"a\":{\"S\":\"x\"}}}").getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (eddy != null) {
            eddy.close();
        }
        if (infinispan != null) {
            infinispan.close();
        }
    }

    /** The first byte picks the operation; the rest is its body (the seeds are WireEndpointFuzzTest's bodies). */
    @FuzzTest(maxDuration = "10s")
    void operations(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String operation = OPERATIONS.get((data[0] & 0xff) % OPERATIONS.size());
        byte[] body = java.util.Arrays.copyOfRange(data, 1, data.length);
        String before = WRITES.contains(operation) ? new String(eddy.execute("Scan", SNAPSHOT), StandardCharsets.UTF_8)
                : null;
        try {
            eddy.execute(operation, body);
        } catch (DynamoException e) {
            assertEquals(400, e.status(), e.wireType() + ": " + e.getMessage());
            if (before != null) {
                assertEquals(before, new String(eddy.execute("Scan", SNAPSHOT), StandardCharsets.UTF_8),
                        "a refused " + operation + " changed the table");
            }
        }
    }
}

package dev.eddy.functions;

import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged function over data encrypted at rest: it does not start with the wrong master key,
 * without the one the data keys are wrapped under, or with no master key at all, and says which and
 * why; a new master key put first in the file (the old one kept after it) is taken without
 * downtime, every data key wrapped again under it, after which the old key may leave the file.
 */
class MasterKeyStartIT {
    private static EmbeddedInfinispan infinispan;
    private static String servers;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("eddy-master-keys");
        // A standalone node (a one-node cluster's topology is slow to settle under load, see RolesIT).
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(work.resolve("infinispan"), 0));
        servers = infinispan.hotRodAddress();
    }

    @AfterAll
    static void stop() {
        if (infinispan != null) {
            infinispan.close();
        }
    }

    private static Map<String, String> config(Path keyFile) {
        Map<String, String> config = new HashMap<>(Map.of("eddy.infinispan.servers", servers,
                "eddy.leases.duration", "PT3S"));
        if (keyFile != null) {
            config.put("eddy.encryption.master-key-file", keyFile.toString());
        }
        return config;
    }

    private static String refused(Path keyFile) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (AppProcess app = AppProcess.start(work, config(keyFile))) {
                app.stop();
            }
        });
        return e.getMessage();
    }

    @Test
    void aWrongOrMissingMasterKeyStopsTheStartAndANewOneIsTakenWithoutDowntime() throws Exception {
        Path first = work.resolve("first.json");
        String[] k1 = MasterKeyFile.write(first, "k1");
        try (AppProcess app = AppProcess.start(work, config(first)); DynamoDbClient dynamo = app.client()) {
            assertTrue(app.output().contains("encryption at rest is ON"), app.output());
            dynamo.createTable(b -> b.tableName("Guarded").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .sseSpecification(s -> s.enabled(true)));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName("Guarded"));
            dynamo.putItem(r -> r.tableName("Guarded").item(Map.of("pk", AttributeValue.fromS("a"),
                    "v", AttributeValue.fromS("sealed"))));
            assertEquals("arn:aws:kms:us-east-1:000000000000:key/k1",
                    dynamo.describeTable(r -> r.tableName("Guarded")).table().sseDescription().kmsMasterKeyArn());
        }

        Path wrong = work.resolve("wrong.json");
        MasterKeyFile.write(wrong, "k1");
        String message = refused(wrong);
        assertTrue(message.contains("Master key 'k1' in " + wrong + " does not unwrap the data keys"), message);

        Path other = work.resolve("other.json");
        String[] k2 = MasterKeyFile.write(other, "k2");
        message = refused(other);
        assertTrue(message.contains("Data keys are wrapped under master key 'k1', which " + other
                + " does not hold (it holds [k2])"), message);

        message = refused(null);
        assertTrue(message.contains("Data keys are wrapped under master key 'k1' and encryption at rest is not "
                + "configured"), message);

        Path garbled = work.resolve("garbled.json");
        Files.writeString(garbled, "{\"keys\":[{\"id\":\"k1\",\"key\":\"c2hvcnQ=\"}]}");
        message = refused(garbled);
        assertTrue(message.contains("eddy.encryption.master-key-file: " + garbled + ": master key k1 has 5 bytes"),
                message);

        // Rotation: the new key first, the old one after it, until the maintenance role has wrapped again.
        Path both = work.resolve("both.json");
        MasterKeyFile.writeKeys(both, "k2", k2[0], "k1", k1[0]);
        try (AppProcess app = AppProcess.start(work, config(both)); DynamoDbClient dynamo = app.client()) {
            assertEquals("sealed", read(dynamo));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String arn = null;
            while (System.nanoTime() < deadline && !(arn = dynamo.describeTable(r -> r.tableName("Guarded")).table()
                    .sseDescription().kmsMasterKeyArn()).endsWith("key/k2")) {
                Thread.sleep(250);
            }
            assertEquals("arn:aws:kms:us-east-1:000000000000:key/k2", arn, app.output());
            dynamo.putItem(r -> r.tableName("Guarded").item(Map.of("pk", AttributeValue.fromS("b"),
                    "v", AttributeValue.fromS("after"))));
        }
        MasterKeyFile.writeKeys(other, "k2", k2[0]);
        try (AppProcess app = AppProcess.start(work, config(other)); DynamoDbClient dynamo = app.client()) {
            assertEquals("sealed", read(dynamo), "the old master key has left the file: " + app.output());
        }
    }

    private static String read(DynamoDbClient dynamo) {
        return dynamo.getItem(r -> r.tableName("Guarded").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("a")))).item().get("v").s();
    }
}

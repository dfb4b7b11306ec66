package dev.eddy.functions;

import dev.eddy.core.encryption.KeyRecord;
import dev.eddy.core.storage.OctetStreamMarshaller;
import dev.eddy.core.transaction.TransactionLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.commons.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Encryption at rest, through the AWS SDK against the application (which, like every test of this
 * run, keeps its data encrypted: {@link MasterKeyFile}): what the Infinispan servers hold of a table,
 * over Hot Rod and in their file stores, has no plain attribute value in it; DescribeTable reports
 * the KMS key as DynamoDB does and CreateTable checks SSESpecification as DynamoDB does; and a table
 * key rotated twice while clients write loses no write, after which every value is sealed again
 * under the new version.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MasterKeyFile.class, restrictToAnnotatedClass = false)
class EncryptionAtRestTest extends DynamoTestBase {
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:000000000000:key/" + MasterKeyFile.ID;

    @Inject
    EddyRuntime runtime;

    @Test
    void describeTableReportsTheKmsKeyAsDynamoDbDoes() {
        String plain = createTable("sse-default", "pk", ScalarAttributeType.S, null, null);
        assertNull(dynamo.describeTable(r -> r.tableName(plain)).table().sseDescription(),
                "the default key, as DynamoDB's AWS owned key, is not described");
        for (SSESpecification spec : List.of(SSESpecification.builder().enabled(true).build(),
                SSESpecification.builder().sseType("KMS").build(),
                SSESpecification.builder().enabled(true).sseType("KMS").kmsMasterKeyId(MasterKeyFile.ID).build(),
                SSESpecification.builder().enabled(true).sseType("KMS").kmsMasterKeyId(KEY_ARN).build(),
                SSESpecification.builder().enabled(true).sseType("KMS").kmsMasterKeyId("alias/aws/dynamodb").build())) {
            String name = uniqueName("sse");
            SSEDescription created = create(name, spec).tableDescription().sseDescription();
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
            SSEDescription described = dynamo.describeTable(r -> r.tableName(name)).table().sseDescription();
            for (SSEDescription d : List.of(created, described)) {
                assertEquals("ENABLED", d.statusAsString(), spec.toString());
                assertEquals("KMS", d.sseTypeAsString(), spec.toString());
                assertEquals(KEY_ARN, d.kmsMasterKeyArn(), spec.toString());
            }
        }
        String off = uniqueName("sse-off");
        create(off, SSESpecification.builder().enabled(false).build());
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(off));
        assertNull(dynamo.describeTable(r -> r.tableName(off)).table().sseDescription());
    }

    @Test
    void sseSpecificationIsCheckedAsDynamoDbChecksIt() {
        String p = "One or more parameter values were invalid: ";
        assertDynamoError("ValidationException", p + "SSEType can not be specified if Enabled is false",
                () -> create(uniqueName("sse"), SSESpecification.builder().enabled(false).sseType("KMS").build()));
        assertDynamoError("ValidationException", p + "KMSMasterKeyId can not be specified if Enabled is false",
                () -> create(uniqueName("sse"), SSESpecification.builder().enabled(false).kmsMasterKeyId("k").build()));
        assertDynamoError("ValidationException", p + "SSEType AES256 is not supported",
                () -> create(uniqueName("sse"), SSESpecification.builder().enabled(true).sseType("AES256").build()));
        assertDynamoError("ValidationException", p + "SSEType KMS is required if KMSMasterKeyId is specified",
                () -> create(uniqueName("sse"), SSESpecification.builder().enabled(true)
                        .kmsMasterKeyId(MasterKeyFile.ID).build()));
        assertDynamoError("ValidationException", "1 validation error detected: Value 'kms' at "
                        + "'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[AES256, KMS]",
                () -> create(uniqueName("sse"), SSESpecification.builder().enabled(true).sseType("kms").build()));
        String missing = "arn:aws:kms:us-east-1:000000000000:key/no-such-key";
        String message = assertDynamoError("ValidationException", null, () -> create(uniqueName("sse"),
                SSESpecification.builder().enabled(true).sseType("KMS").kmsMasterKeyId("no-such-key").build()))
                .awsErrorDetails().errorMessage();
        assertTrue(message.startsWith("KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Key '"
                + missing + "' does not exist"), message);
        message = assertDynamoError("ValidationException", null, () -> create(uniqueName("sse"),
                SSESpecification.builder().enabled(true).sseType("KMS").kmsMasterKeyId("alias/elsewhere").build()))
                .awsErrorDetails().errorMessage();
        assertTrue(message.startsWith("KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Alias "
                + "arn:aws:kms:us-east-1:000000000000:alias/elsewhere is not found."), message);
    }

    @Test
    void updateTableSwitchesTheKeyATableReports() {
        String name = uniqueName("sse-update");
        create(name, null);
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        dynamo.putItem(r -> r.tableName(name).item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromS("kept"))));

        SSEDescription switched = dynamo.updateTable(r -> r.tableName(name)
                .sseSpecification(SSESpecification.builder().enabled(true).sseType("KMS").build()))
                .tableDescription().sseDescription();
        assertEquals(KEY_ARN, switched.kmsMasterKeyArn());
        waitActive(name);
        SSEDescription described = dynamo.describeTable(r -> r.tableName(name)).table().sseDescription();
        assertEquals("ENABLED", described.statusAsString());
        assertEquals("KMS", described.sseTypeAsString());
        assertEquals(KEY_ARN, described.kmsMasterKeyArn());

        String missing = "arn:aws:kms:us-east-1:000000000000:key/no-such-key";
        String message = assertDynamoError("ValidationException", null, () -> dynamo.updateTable(r -> r.tableName(name)
                .sseSpecification(SSESpecification.builder().enabled(true).sseType("KMS").kmsMasterKeyId(missing)
                        .build()))).awsErrorDetails().errorMessage();
        assertTrue(message.contains("Key '" + missing + "' does not exist"), message);
        assertEquals(KEY_ARN, dynamo.describeTable(r -> r.tableName(name)).table().sseDescription().kmsMasterKeyArn(),
                "a refused update changes nothing");

        dynamo.updateTable(r -> r.tableName(name).sseSpecification(SSESpecification.builder().enabled(false).build()));
        waitActive(name);
        assertNull(dynamo.describeTable(r -> r.tableName(name)).table().sseDescription());
        assertEquals("kept", dynamo.getItem(r -> r.tableName(name).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("a")))).item().get("v").s());
    }

    @Test
    void aTableRestoredWithAnEncryptionOverrideReportsItsKey() throws Exception {
        String source = uniqueName("sse-backup");
        create(source, null);
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(source));
        dynamo.putItem(r -> r.tableName(source).item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromS("kept"))));
        String backup = dynamo.createBackup(r -> r.tableName(source).backupName("before-restore")).backupDetails().backupArn();
        eventually("the backup is available", () -> "AVAILABLE".equals(dynamo.describeBackup(r -> r.backupArn(backup))
                .backupDescription().backupDetails().backupStatusAsString()));

        String missing = "arn:aws:kms:us-east-1:000000000000:key/no-such-key";
        String message = assertDynamoError("ValidationException", null, () -> dynamo.restoreTableFromBackup(r -> r
                .backupArn(backup).targetTableName(uniqueName("sse-restored"))
                .sseSpecificationOverride(x -> x.enabled(true).sseType("KMS").kmsMasterKeyId(missing))))
                .awsErrorDetails().errorMessage();
        assertTrue(message.contains("Key '" + missing + "' does not exist"), message);

        String restored = uniqueName("sse-restored");
        SSEDescription asked = dynamo.restoreTableFromBackup(r -> r.backupArn(backup).targetTableName(restored)
                .sseSpecificationOverride(x -> x.enabled(true).sseType("KMS"))).tableDescription().sseDescription();
        assertEquals(KEY_ARN, asked.kmsMasterKeyArn());
        waitActive(restored);
        SSEDescription described = dynamo.describeTable(r -> r.tableName(restored)).table().sseDescription();
        assertEquals("ENABLED", described.statusAsString());
        assertEquals("KMS", described.sseTypeAsString());
        assertEquals(KEY_ARN, described.kmsMasterKeyArn());
        assertEquals("kept", dynamo.getItem(r -> r.tableName(restored).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("a")))).item().get("v").s());
    }

    private void waitActive(String name) {
        for (int i = 0; i < 100 && !"ACTIVE".equals(dynamo.describeTable(r -> r.tableName(name)).table()
                .tableStatusAsString()); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private software.amazon.awssdk.services.dynamodb.model.CreateTableResponse create(String name, SSESpecification spec) {
        return dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .sseSpecification(spec));
    }

    @Test
    void theServersAndTheirFilesHoldNoPlainAttributeValue() throws Exception {
        String marker = "plain-" + java.util.UUID.randomUUID();
        String partition = "key-" + java.util.UUID.randomUUID(); // keys stay as they are: they show the files were written
        String table = uniqueName("at-rest");
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("when").attributeType(ScalarAttributeType.N))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byWhen")
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("when").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byG")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        for (int i = 0; i < 30; i++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS(partition + i % 3));
            item.put("sk", AttributeValue.fromS("s" + i));
            item.put("g", AttributeValue.fromS("group"));
            item.put("when", AttributeValue.fromN(Integer.toString(i)));
            item.put("secret", AttributeValue.fromS(marker + "-" + i));
            item.put("nested", AttributeValue.fromM(Map.of("deep", AttributeValue.fromS(marker))));
            dynamo.putItem(r -> r.tableName(table).item(item));
        }
        dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(Map.of("pk", AttributeValue.fromS("tx"), "sk", AttributeValue.fromS("tx"),
                        "secret", AttributeValue.fromS(marker)))).build()));
        // Through Eddy every value is there, in the clear.
        assertEquals(marker + "-4", dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(partition + 1), "sk", AttributeValue.fromS("s4")))).item()
                .get("secret").s());
        assertEquals(30, dynamo.query(r -> r.tableName(table).indexName("byG").keyConditionExpression("g = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("group")))).count());

        String cache = runtime.eddy().catalog().find(table).cacheName();
        byte[] plain = marker.getBytes(StandardCharsets.UTF_8);
        try (RemoteCacheManager raw = rawClient()) {
            int values = 0;
            for (String name : List.of(cache, TransactionLog.CACHE)) {
                RemoteCache<Object, Object> c = raw.getCache(name);
                try (CloseableIterator<Map.Entry<Object, Object>> it = c.retrieveEntries(null, 1000)) {
                    while (it.hasNext()) {
                        byte[] value = ((WrappedByteArray) it.next().getValue()).getBytes();
                        assertFalse(contains(value, plain), "a plain attribute value in " + name);
                        assertTrue(value.length > 2 && value[0] == (byte) 0xE5 && value[1] == (byte) 0xC1,
                                "every value of " + name + " is sealed");
                        values++;
                    }
                }
            }
            assertTrue(values > 3, "the table's cache holds its collections, indexes and directory: " + values);
        }
        // The servers write through to their file stores: the table is there (its keys show), its values are not.
        byte[] key = partition.getBytes(StandardCharsets.UTF_8);
        eventually("the table's entries reached the file stores", () -> storeFiles().stream()
                .anyMatch(f -> contains(readQuietly(f), key)));
        for (Path f : storeFiles()) {
            assertFalse(contains(readQuietly(f), plain), "a plain attribute value in the file store: " + f);
        }
    }

    @Test
    void rotatingATableKeyWhileWritingLosesNothing() throws Exception {
        String table = createTable("rotation", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        String cache = runtime.eddy().catalog().find(table).cacheName();
        int items = 40;
        Map<Integer, AtomicLong> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            done.add(writers.submit(() -> {
                try (DynamoDbClient client = DynamoTestBase.client(endpoint.toURI())) {
                    while (writing.get()) {
                        int i = ThreadLocalRandom.current().nextInt(items);
                        client.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("p" + i % 5),
                                        "sk", AttributeValue.fromN(Integer.toString(i))))
                                .updateExpression("ADD n :one SET payload = :p")
                                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                        ":p", AttributeValue.fromS("x".repeat(200)))));
                        acknowledged.computeIfAbsent(i, k -> new AtomicLong()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        var keys = runtime.eddy().encryption().keys();
        Thread.sleep(1_500);
        keys.rotate(cache);
        Thread.sleep(1_500);
        KeyRecord rotated = keys.rotate(cache);
        Thread.sleep(1_500);
        writing.set(false);
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();
        assertEquals(3, rotated.current());

        // Nothing lost: every acknowledged increment is in its item, read strongly and eventually.
        for (Map.Entry<Integer, AtomicLong> e : acknowledged.entrySet()) {
            int i = e.getKey();
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("p" + i % 5),
                    "sk", AttributeValue.fromN(Integer.toString(i)));
            assertEquals(Long.toString(e.getValue().get()), dynamo.getItem(r -> r.tableName(table).key(key)
                    .consistentRead(true)).item().get("n").n(), "item " + i);
        }
        // The maintenance role seals every older value again under version 3, and says so.
        eventually("the pass over " + cache + " finished", () -> keys.find(cache).sealedThrough() == 3);
        try (RemoteCacheManager raw = rawClient();
             CloseableIterator<Map.Entry<Object, Object>> it = raw.getCache(cache).retrieveEntries(null, 1000)) {
            int values = 0;
            while (it.hasNext()) {
                byte[] value = ((WrappedByteArray) it.next().getValue()).getBytes();
                assertEquals(3, ((value[2] & 0xFF) << 24) | ((value[3] & 0xFF) << 16) | ((value[4] & 0xFF) << 8)
                        | (value[5] & 0xFF), "every value under the current key version");
                values++;
            }
            assertTrue(values > 5, "values: " + values);
        }
        assertEquals(acknowledged.values().stream().mapToLong(AtomicLong::get).sum(),
                dynamo.scan(r -> r.tableName(table).consistentRead(true)).items().stream()
                        .mapToLong(i -> Long.parseLong(i.get("n").n())).sum());
    }

    private static RemoteCacheManager rawClient() {
        String servers = ConfigProvider.getConfig().getValue("eddy.infinispan.servers", String.class);
        return new RemoteCacheManager(new ConfigurationBuilder().addServers(servers)
                .marshaller(new OctetStreamMarshaller()).build());
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail(what);
            }
            Thread.sleep(200);
        }
    }

    private static List<Path> storeFiles() {
        try (Stream<Path> walk = Files.walk(InfinispanCluster.dataRoot)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // a folder removed while the walk went on: look again
        }
    }

    private static byte[] readQuietly(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException goneMeanwhile) {
            return new byte[0]; // a store file compacted away while the walk went on
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

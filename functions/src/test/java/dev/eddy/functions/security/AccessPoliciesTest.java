package dev.eddy.functions.security;

import dev.eddy.functions.InfinispanCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-credential IAM policies, through the AWS SDK v2: actions with wildcards, table, index and
 * stream ARNs, explicit deny over allow, fine-grained conditions (LeadingKeys, Attributes, Select,
 * ReturnValues), batches and transactions checked item by item with nothing written when any item
 * is refused, PartiQL as the operations its statements become. The users are in
 * {@link AuthenticatedProfile}.
 */
@QuarkusTest
@TestProfile(AuthenticatedProfile.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class AccessPoliciesTest {
    private static final String ACCOUNT = "000000000000";

    @TestHTTPResource("/")
    URL url;
    URI endpoint;
    DynamoDbClient admin;

    @BeforeEach
    void connect() throws Exception {
        endpoint = url.toURI();
        admin = Clients.admin(endpoint);
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private String table(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(d -> d.attributeName("pk").attributeType("S"),
                        d -> d.attributeName("sk").attributeType("S"), d -> d.attributeName("g").attributeType("S"))
                .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(k -> k.attributeName("g").keyType("HASH"))
                        .projection(p -> p.projectionType("ALL")))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_IMAGE")));
        admin.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk), "g", AttributeValue.fromS("x"),
                "public", AttributeValue.fromS("p"), "secret", AttributeValue.fromS("s"));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private static String arn(String table) {
        return "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + table;
    }

    /** The request is refused with AccessDeniedException, HTTP 400, and exactly this message. */
    private static void denied(String message, Supplier<?> call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call::get);
        assertEquals(400, e.statusCode(), "status of " + e.awsErrorDetails());
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(message, e.awsErrorDetails().errorMessage());
    }

    private static String notAllowed(String user, String action, String resource) {
        return "User: arn:aws:iam::" + ACCOUNT + ":user/" + user + " is not authorized to perform: dynamodb:" + action
                + " on resource: " + resource + " because no identity-based policy allows the dynamodb:" + action
                + " action";
    }

    private static String explicitlyDenied(String user, String action, String resource) {
        return "User: arn:aws:iam::" + ACCOUNT + ":user/" + user + " is not authorized to perform: dynamodb:" + action
                + " on resource: " + resource + " with an explicit deny in an identity-based policy";
    }

    /** The count once it is 1, or the last count after 30 s. */
    private static int eventually(java.util.function.IntSupplier count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int n = count.getAsInt();
        while (n != 1 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return n;
            }
            n = count.getAsInt();
        }
        return n;
    }

    @Test
    void actionsAndResourcesWithWildcardsAndAnExplicitDeny() {
        String shared = table("Shared");
        String other = table("Other");
        admin.putItem(b -> b.tableName(shared).item(item("a", "1")));
        try (DynamoDbClient reader = Clients.restricted(endpoint, AuthenticatedProfile.READER)) {
            assertTrue(reader.getItem(b -> b.tableName(shared).key(key("a", "1")).consistentRead(true)).hasItem());
            reader.describeTable(b -> b.tableName(shared));
            // a global index is eventually consistent, as in DynamoDB: the item shows there soon after the write
            assertEquals(1, eventually(() -> reader.query(b -> b.tableName(shared).indexName("byG").keyConditionExpression("g = :g")
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("x")))).count()));
            denied(notAllowed("reader", "PutItem", arn(shared)),
                    () -> reader.putItem(b -> b.tableName(shared).item(item("b", "1"))));
            denied(notAllowed("reader", "GetItem", arn(other)),
                    () -> reader.getItem(b -> b.tableName(other).key(key("a", "1"))));
            denied(notAllowed("reader", "Query", arn(other) + "/index/byG"),
                    () -> reader.query(b -> b.tableName(other).indexName("byG").keyConditionExpression("g = :g")
                            .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("x")))));
            denied(notAllowed("reader", "BatchGetItem", arn(other)), () -> reader.batchGetItem(b -> b.requestItems(Map.of(
                    shared, KeysAndAttributes.builder().keys(key("a", "1")).build(),
                    other, KeysAndAttributes.builder().keys(key("a", "1")).build()))));
            denied(explicitlyDenied("reader", "DeleteTable", arn(shared)),
                    () -> reader.deleteTable(b -> b.tableName(shared)));
            denied(notAllowed("reader", "ListTables", arn("*")), reader::listTables);
        }
        assertTrue(admin.getItem(b -> b.tableName(shared).key(key("a", "1")).consistentRead(true)).hasItem());
        assertFalse(admin.getItem(b -> b.tableName(shared).key(key("b", "1")).consistentRead(true)).hasItem());
    }

    @Test
    void leadingKeysConfineAUserToHerPartitionInEveryItemOfBatchesAndTransactions() {
        String owned = table("Owned");
        try (DynamoDbClient alice = Clients.restricted(endpoint, AuthenticatedProfile.ALICE)) {
            alice.putItem(b -> b.tableName(owned).item(item("alice", "1")));
            assertTrue(alice.getItem(b -> b.tableName(owned).key(key("alice", "1"))).hasItem());
            assertEquals(1, alice.query(b -> b.tableName(owned).keyConditionExpression("pk = :p AND sk > :s")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("alice"), ":s",
                            AttributeValue.fromS("0")))).count());
            denied(notAllowed("alice", "PutItem", arn(owned)),
                    () -> alice.putItem(b -> b.tableName(owned).item(item("bob", "1"))));
            denied(notAllowed("alice", "Query", arn(owned)),
                    () -> alice.query(b -> b.tableName(owned).keyConditionExpression("#p = :p")
                            .expressionAttributeNames(Map.of("#p", "pk"))
                            .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("bob")))));
            denied(notAllowed("alice", "Scan", arn(owned)), () -> alice.scan(b -> b.tableName(owned)));
            // An attribute name longer than Jackson's default limit (50 000), as DynamoDB allows (65 535 bytes),
            // is read by the check as by the operation: it once made the check skip the request.
            Map<String, AttributeValue> longNamed = new java.util.HashMap<>(item("bob", "9"));
            longNamed.put("n".repeat(60_000), AttributeValue.fromS("v"));
            denied(notAllowed("alice", "PutItem", arn(owned)), () -> alice.putItem(b -> b.tableName(owned).item(longNamed)));
            assertFalse(admin.getItem(b -> b.tableName(owned).key(key("bob", "9")).consistentRead(true)).hasItem());

            // A batch with one item of someone else's writes nothing at all.
            denied(notAllowed("alice", "BatchWriteItem", arn(owned)), () -> alice.batchWriteItem(b -> b.requestItems(Map.of(
                    owned, List.of(WriteRequest.builder().putRequest(PutRequest.builder().item(item("alice", "2")).build()).build(),
                            WriteRequest.builder().putRequest(PutRequest.builder().item(item("bob", "2")).build()).build())))));
            assertFalse(admin.getItem(b -> b.tableName(owned).key(key("alice", "2")).consistentRead(true)).hasItem());

            // So does a transaction whose condition check reads someone else's item.
            denied(notAllowed("alice", "ConditionCheckItem", arn(owned)), () -> alice.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(owned).item(item("alice", "3"))).build(),
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(owned).key(key("bob", "1"))
                            .conditionExpression("attribute_not_exists(pk)")).build())));
            assertFalse(admin.getItem(b -> b.tableName(owned).key(key("alice", "3")).consistentRead(true)).hasItem());
            alice.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(owned).item(item("alice", "3"))).build(),
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(owned).key(key("alice", "1"))
                            .conditionExpression("attribute_exists(pk)")).build()));
            assertTrue(admin.getItem(b -> b.tableName(owned).key(key("alice", "3")).consistentRead(true)).hasItem());
        }
    }

    @Test
    void attributeConditionsLimitWhatIsReadAndWritten() {
        String owned = table("Owned");
        admin.putItem(b -> b.tableName(owned).item(item("k", "1")));
        try (DynamoDbClient bob = Clients.restricted(endpoint, AuthenticatedProfile.BOB)) {
            Map<String, AttributeValue> got = bob.getItem(b -> b.tableName(owned).key(Map.of("pk", AttributeValue.fromS("k"),
                    "sk", AttributeValue.fromS("1"))).projectionExpression("pk, #p").expressionAttributeNames(
                    Map.of("#p", "public"))).item();
            assertEquals(Map.of("pk", AttributeValue.fromS("k"), "public", AttributeValue.fromS("p")), got);
            // Key attributes count among the attributes a request uses (Developer Guide), so a policy must name them.
            denied(notAllowed("bob", "GetItem", arn(owned)),
                    () -> bob.getItem(b -> b.tableName(owned).key(key("k", "1")).projectionExpression("pk, secret")));
            // No projection is every attribute, the secret one too.
            denied(notAllowed("bob", "GetItem", arn(owned)), () -> bob.getItem(b -> b.tableName(owned).key(key("k", "1"))));

            bob.updateItem(b -> b.tableName(owned).key(key("k", "1")).updateExpression("SET #p = :v")
                    .expressionAttributeNames(Map.of("#p", "public")).expressionAttributeValues(Map.of(":v",
                            AttributeValue.fromS("q"))).returnValues("UPDATED_NEW"));
            denied(notAllowed("bob", "UpdateItem", arn(owned)), () -> bob.updateItem(b -> b.tableName(owned).key(key("k", "1"))
                    .updateExpression("SET secret = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x")))));
            denied(notAllowed("bob", "UpdateItem", arn(owned)), () -> bob.updateItem(b -> b.tableName(owned).key(key("k", "1"))
                    .updateExpression("SET #p = :v").expressionAttributeNames(Map.of("#p", "public"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x"))).returnValues("ALL_NEW")));

            assertEquals(1, bob.query(b -> b.tableName(owned).keyConditionExpression("pk = :k")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("k"))).projectionExpression("pk, #p")
                    .expressionAttributeNames(Map.of("#p", "public"))).count());
            denied(notAllowed("bob", "Query", arn(owned)), () -> bob.query(b -> b.tableName(owned)
                    .keyConditionExpression("pk = :k").expressionAttributeValues(Map.of(":k", AttributeValue.fromS("k")))));
        }
        Map<String, AttributeValue> after = admin.getItem(b -> b.tableName(owned).key(key("k", "1")).consistentRead(true)).item();
        assertEquals("q", after.get("public").s());
        assertEquals("s", after.get("secret").s());
    }

    @Test
    void partiqlStatementsAreCheckedAsWhatTheyBecome() {
        String owned = table("Owned");
        admin.putItem(b -> b.tableName(owned).item(item("k", "1")));
        try (DynamoDbClient analyst = Clients.restricted(endpoint, AuthenticatedProfile.PARTIQL)) {
            assertEquals(1, analyst.executeStatement(b -> b.statement("SELECT * FROM \"" + owned
                    + "\" WHERE pk = 'k' AND sk = '1'")).items().size());
            assertEquals(1, analyst.executeStatement(b -> b.statement("SELECT * FROM \"" + owned
                    + "\" WHERE pk = 'k'")).items().size());
            denied(explicitlyDenied("analyst", "PartiQLSelect", arn(owned)),
                    () -> analyst.executeStatement(b -> b.statement("SELECT * FROM \"" + owned + "\"")));
            denied(notAllowed("analyst", "PartiQLInsert", arn(owned)), () -> analyst.executeStatement(b -> b.statement(
                    "INSERT INTO \"" + owned + "\" VALUE {'pk': 'n', 'sk': '1'}")));
            denied(notAllowed("analyst", "PartiQLUpdate", arn(owned)), () -> analyst.executeTransaction(b -> b
                    .transactStatements(s -> s.statement("UPDATE \"" + owned + "\" SET x = 1 WHERE pk = 'k' AND sk = '1'"))));
            // The item operations themselves are not PartiQL's to use.
            denied(notAllowed("analyst", "GetItem", arn(owned)),
                    () -> analyst.getItem(b -> b.tableName(owned).key(key("k", "1"))));
        }
        assertFalse(admin.getItem(b -> b.tableName(owned).key(key("n", "1")).consistentRead(true)).hasItem());
    }

    @Test
    void theStreamsApiIsCheckedOnStreamArns() {
        String owned = table("Owned");
        String shared = table("Shared");
        String streamArn = admin.describeTable(b -> b.tableName(owned)).table().latestStreamArn();
        String sharedStream = admin.describeTable(b -> b.tableName(shared)).table().latestStreamArn();
        try (DynamoDbStreamsClient consumer = Clients.streams(endpoint, AuthenticatedProfile.STREAMS,
                AuthenticatedProfile.STREAMS + AuthenticatedProfile.SECRET_SUFFIX);
             DynamoDbClient consumerTables = Clients.restricted(endpoint, AuthenticatedProfile.STREAMS)) {
            assertTrue(consumer.listStreams(b -> b.tableName(owned)).streams().size() >= 1);
            String shard = consumer.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
            String iterator = consumer.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();
            consumer.getRecords(b -> b.shardIterator(iterator));
            // The Deny spares stream actions (NotAction), so another table's stream is simply not allowed.
            denied(notAllowed("consumer", "DescribeStream", sharedStream),
                    () -> consumer.describeStream(b -> b.streamArn(sharedStream)));
            denied(explicitlyDenied("consumer", "GetItem", arn(owned)),
                    () -> consumerTables.getItem(b -> b.tableName(owned).key(key("k", "1"))));
        }
    }
}

package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests get DynamoDB's exact answer: error type, HTTP 400 and message text, through the AWS
 * SDK, and through raw HTTP where the SDK cannot send the request. The texts are real DynamoDB's
 * (2026 captures where regions agree); where a write is refused, nothing of it is stored.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ValidationErrorsTest extends DynamoTestBase {
    private static final String VALIDATION = "ValidationException";
    private static final String NOT_FOUND = "ResourceNotFoundException";
    private static final String E1 = "1 validation error detected: ";
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String KEY_MISMATCH = "The provided key element does not match the schema";
    private static final String NOT_NUMERIC = "The parameter cannot be converted to a numeric value";
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";
    private static final String PRECISION = "Attempting to store more than 38 significant digits in a Number";
    private static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";
    private static final String UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // Tables shared by the tests that only read their schema; created on first use.
    private static String hashTable;
    private static String rangeTable;
    private static String numberTable;

    private String hashTable() {
        if (hashTable == null) {
            hashTable = createTable("v-h", "pk", ScalarAttributeType.S, null, null);
        }
        return hashTable;
    }

    private String rangeTable() {
        if (rangeTable == null) {
            rangeTable = createTable("v-hr", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        }
        return rangeTable;
    }

    private String numberTable() {
        if (numberTable == null) {
            numberTable = createTable("v-hn", "pk", ScalarAttributeType.N, null, null);
        }
        return numberTable;
    }

    // --- protocol: requests the SDK cannot send -------------------------------------------------

    @Test
    void malformedJsonIsASerializationExceptionWithoutMessage() throws Exception {
        for (String[] request : List.of(new String[] {"ListTables", "{"},
                new String[] {"DescribeTable", "{\"TableName\": }"},
                new String[] {"DescribeTable", "{\"TableName\":\"abc"})) {
            Raw r = raw("DynamoDB_20120810." + request[0], request[1]);
            assertBareError(r, SERIALIZATION);
            // The exact body real DynamoDB sends, and its checksum as captured from it.
            assertEquals("{\"__type\":\"com.amazon.coral.service#SerializationException\"}", r.body);
            assertEquals("3948637019", r.crc32);
        }
    }

    @Test
    void emptyBodyIsASerializationExceptionWithoutMessage() throws Exception {
        assertBareError(raw("DynamoDB_20120810.ListTables", ""), SERIALIZATION);
        assertBareError(raw("DynamoDB_20120810.DescribeTable", ""), SERIALIZATION);
    }

    @Test
    void bodyThatIsNotAnObjectIsASerializationException() throws Exception {
        // Not captured from DynamoDB; Eddy's reader text for a top level that is not a structure.
        assertRawError(raw("DynamoDB_20120810.ListTables", "[]"), SERIALIZATION, "Message",
                "Start of structure or map found where not expected.");
    }

    @Test
    void unknownOperationHasNoMessage() throws Exception {
        for (String target : List.of("DynamoDB_20120810.Foo", "DynamoDB_20120810.listTables", "ListTables",
                "DynamoDB_20120810.")) {
            Raw r = raw(target, "{}");
            assertBareError(r, UNKNOWN_OPERATION);
            assertEquals("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}", r.body);
            assertEquals("1368724161", r.crc32);
        }
    }

    @Test
    void missingTargetIsAnUnknownOperation() throws Exception {
        assertBareError(raw(null, "{}"), UNKNOWN_OPERATION);
    }

    @Test
    void tableNameOfTheWrongJsonTypeIsASerializationException() throws Exception {
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{\"TableName\": 5}"), SERIALIZATION, "Message",
                "NUMBER_VALUE cannot be converted to String");
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{\"TableName\": 1.5}"), SERIALIZATION, "Message",
                "DECIMAL_VALUE cannot be converted to String");
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{\"TableName\": {}}"), SERIALIZATION, "Message",
                "Start of structure or map found where not expected");
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{\"TableName\": [\"abc\"]}"), SERIALIZATION,
                "Message", "Unrecognized collection type class java.lang.String");
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{\"TableName\": true}"), SERIALIZATION, "Message",
                "TRUE_VALUE cannot be converted to String");
    }

    @Test
    void limitAsStringIsASerializationException() throws Exception {
        assertRawError(raw("DynamoDB_20120810.ListTables", "{\"Limit\": \"5\"}"), SERIALIZATION, "Message",
                "STRING_VALUE cannot be converted to Integer");
        assertRawError(raw("DynamoDB_20120810.ListTables", "{\"Limit\": true}"), SERIALIZATION, "Message",
                "TRUE_VALUE cannot be converted to Integer");
        // Capacity units are Longs in DynamoDB's model, and its reader says so.
        assertRawError(raw("DynamoDB_20120810.CreateTable", """
                {"TableName": "wrong-type-rcu", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                 "ProvisionedThroughput": {"ReadCapacityUnits": "1", "WriteCapacityUnits": 1}}"""),
                SERIALIZATION, "Message", "STRING_VALUE cannot be converted to Long");
    }

    @Test
    void invalidBase64IsASerializationException() throws Exception {
        String table = hashTable();
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("b64"), "v", s("before"))));
        for (String[] bad : List.of(new String[] {"!!!", "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
                new String[] {"YQ", "Base64 encoded length is expected a multiple of 4 bytes but found: 2"},
                new String[] {"=+/=", "Invalid last non-pad Base64 character dectected"},
                new String[] {"+/+=", "Invalid last non-pad Base64 character dectected"})) {
            assertRawError(raw("DynamoDB_20120810.PutItem", "{\"TableName\": \"" + table
                    + "\", \"Item\": {\"pk\": {\"S\": \"b64\"}, \"v\": {\"B\": \"" + bad[0] + "\"}}}"),
                    SERIALIZATION, "Message", bad[1]);
        }
        assertRawError(raw("DynamoDB_20120810.PutItem", "{\"TableName\": \"" + table
                + "\", \"Item\": {\"pk\": {\"S\": \"b64\"}, \"v\": {\"B\": 5}}}"),
                SERIALIZATION, "Message", "only base-64-encoded strings are convertible to bytes");
        assertUnchanged(table, Map.of("pk", s("b64")), Map.of("pk", s("b64"), "v", s("before")));
    }

    @Test
    void validationAndNotFoundBodiesUseALowercaseMessage() throws Exception {
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{}"), "com.amazon.coral.validate#ValidationException",
                "message", E1 + "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        String missing = uniqueName("nope");
        assertRawError(raw("DynamoDB_20120810.DescribeTable", "{\"TableName\": \"" + missing + "\"}"),
                "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message",
                "Requested resource not found: Table: " + missing + " not found");
    }

    // --- table names and the constraint-violation form ------------------------------------------

    @Test
    void missingTableNameIsReportedAsNull() {
        String m = E1 + "Value null at 'tableName' failed to satisfy constraint: Member must not be null";
        assertValidation(m, () -> dynamo.describeTable(b -> { }));
        assertValidation(m, () -> dynamo.deleteTable(b -> { }));
        assertValidation(m, () -> dynamo.updateTable(b -> b.billingMode(BillingMode.PAY_PER_REQUEST)));
        assertValidation(m, () -> dynamo.putItem(b -> b.item(Map.of("pk", s("a")))));
        assertValidation(m, () -> dynamo.getItem(b -> b.key(Map.of("pk", s("a")))));
        assertValidation(m, () -> dynamo.deleteItem(b -> b.key(Map.of("pk", s("a")))));
        assertValidation(m, () -> dynamo.updateItem(b -> b.key(Map.of("pk", s("a")))));
    }

    @Test
    void tableNameTooShortTooLongOrWithBadCharacters() {
        String tooLong = "a".repeat(256);
        assertValidation(E1 + "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 3", () -> dynamo.describeTable(b -> b.tableName("ab")));
        assertValidation(E1 + "Value '" + tooLong + "' at 'tableName' failed to satisfy constraint: Member must have "
                + "length less than or equal to 255", () -> dynamo.putItem(b -> b.tableName(tooLong)
                .item(Map.of("pk", s("test")))));
        assertValidation(E1 + "Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy "
                + "regular expression pattern: [a-zA-Z0-9_.-]+", () -> dynamo.putItem(b -> b.tableName("bad table!@#")
                .item(Map.of("pk", s("test")))));
        assertValidation(E1 + "Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
                + "expression pattern: [a-zA-Z0-9_.-]+", () -> dynamo.deleteTable(b -> b.tableName("a b")));
        // Shape checks come before existence: a bad name is never "not found".
        assertValidation(E1 + "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 3", () -> dynamo.getItem(b -> b.tableName("ab").key(Map.of("pk", s("a")))));
    }

    @Test
    void severalViolationsAreReportedTogether() {
        assertViolations(() -> dynamo.createTable(b -> b.tableName("a b")
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType("FOO").build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("X").build())
                        .billingMode(BillingMode.PAY_PER_REQUEST)),
                "Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression "
                        + "pattern: [a-zA-Z0-9_.-]+",
                "Value 'FOO' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum "
                        + "value set: [HASH, RANGE]",
                "Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must "
                        + "satisfy enum value set: [B, N, S]");
        assertViolations(() -> dynamo.putItem(b -> { }),
                "Value null at 'tableName' failed to satisfy constraint: Member must not be null",
                "Value null at 'item' failed to satisfy constraint: Member must not be null");
        assertViolations(() -> dynamo.listTables(b -> b.limit(0).exclusiveStartTableName("ab")),
                "Value 'ab' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length "
                        + "greater than or equal to 3",
                "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }

    // --- CreateTable ----------------------------------------------------------------------------

    /** A valid hash-only PROVISIONED table definition, for each test to break one way. */
    private static void base(CreateTableRequest.Builder b, String name) {
        b.tableName(name).keySchema(hash("pk")).attributeDefinitions(attr("pk", "S"))
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L));
    }

    private void assertCreateRefused(String message, Consumer<CreateTableRequest.Builder> change) {
        String name = uniqueName("ct");
        assertValidation(message, () -> dynamo.createTable(b -> {
            base(b, name);
            change.accept(b);
        }));
        // Nothing of a refused table is left behind.
        assertDynamoError(NOT_FOUND, "Requested resource not found: Table: " + name + " not found",
                () -> dynamo.describeTable(b -> b.tableName(name)));
    }

    @Test
    void createTableRequiresKeySchemaAndAttributeDefinitions() {
        assertCreateRefused(E1 + "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
                b -> b.keySchema((List<KeySchemaElement>) null));
        assertCreateRefused(E1 + "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not "
                + "be null", b -> b.attributeDefinitions((List<AttributeDefinition>) null));
    }

    @Test
    void createTableKeySchemaLength() {
        assertCreateRefused(E1 + "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 1", b -> b.keySchema(List.of()));
        assertCreateRefused(E1 + "Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement("
                        + "attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' at "
                        + "'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
                b -> b.keySchema(hash("pk"), range("sk"), range("extra"))
                        .attributeDefinitions(attr("pk", "S"), attr("sk", "S"), attr("extra", "S")));
    }

    @Test
    void createTableKeySchemaOrder() {
        assertCreateRefused("Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                b -> b.keySchema(range("sk"), hash("pk")).attributeDefinitions(attr("pk", "S"), attr("sk", "S")));
        assertCreateRefused("Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                b -> b.keySchema(range("pk")));
        assertCreateRefused("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
                b -> b.keySchema(hash("pk"), hash("sk")).attributeDefinitions(attr("pk", "S"), attr("sk", "S")));
        // The same attribute twice: counted against the definitions first, then by name.
        assertCreateRefused("Invalid KeySchema: Some index key attribute have no definition",
                b -> b.keySchema(hash("pk"), range("pk")));
        assertCreateRefused("Both the Hash Key and the Range Key element in the KeySchema have the same name",
                b -> b.keySchema(hash("pk"), range("pk")).attributeDefinitions(attr("pk", "S"), attr("x", "S")));
    }

    @Test
    void createTableEnumValues() {
        assertCreateRefused(E1 + "Value 'FOO' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member "
                        + "must satisfy enum value set: [HASH, RANGE]",
                b -> b.keySchema(KeySchemaElement.builder().attributeName("pk").keyType("FOO").build()));
        assertCreateRefused(E1 + "Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [B, N, S]", b -> b.attributeDefinitions(attr("pk", "X")));
        assertCreateRefused(E1 + "Value 'FOO' at 'billingMode' failed to satisfy constraint: Member must satisfy enum "
                + "value set: [PROVISIONED, PAY_PER_REQUEST]", b -> b.billingMode("FOO"));
        assertCreateRefused("Invalid table-class parameter provided. Please try again with a valid table-class value: "
                + "[STANDARD, STANDARD_INFREQUENT_ACCESS].", b -> b.tableClass("FOO"));
    }

    @Test
    void createTableAttributeDefinitionsMustMatchTheKeys() {
        assertCreateRefused(INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], "
                + "AttributeDefinitions: [other]", b -> b.attributeDefinitions(attr("other", "S")));
        assertCreateRefused("Invalid KeySchema: Some index key attribute have no definition",
                b -> b.attributeDefinitions(List.of()));
        assertCreateRefused("Invalid KeySchema: Some index key attribute have no definition",
                b -> b.keySchema(hash("pk"), range("sk")));
        assertCreateRefused(INVALID + "Number of attributes in KeySchema does not exactly match number of attributes "
                + "defined in AttributeDefinitions", b -> b.attributeDefinitions(attr("pk", "S"), attr("extra", "N")));
        assertCreateRefused(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, g, extra], "
                        + "keys used: [pk, g]",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("g", "S"), attr("extra", "N"))
                        .globalSecondaryIndexes(gsi("gsi1", "g").build()));
        assertCreateRefused("Attribute Name is duplicated: pk", b -> b.attributeDefinitions(attr("pk", "S"), attr("pk", "S")));
        assertCreateRefused("Attribute Name is duplicated: pk", b -> b.attributeDefinitions(attr("pk", "S"), attr("pk", "N")));
    }

    @Test
    void createTableThroughputMustMatchTheBillingMode() {
        String required = INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
                + "is PROVISIONED";
        assertCreateRefused(required, b -> b.provisionedThroughput((ProvisionedThroughput) null));
        assertCreateRefused(required, b -> b.billingMode(BillingMode.PROVISIONED).provisionedThroughput(
                (ProvisionedThroughput) null));
        assertCreateRefused(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                + "BillingMode is PAY_PER_REQUEST", b -> b.billingMode(BillingMode.PAY_PER_REQUEST));
        assertCreateRefused(E1 + "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1",
                b -> b.provisionedThroughput(p -> p.readCapacityUnits(0L).writeCapacityUnits(1L)));
        // Both in the order DynamoDB lists them: write units first.
        assertCreateRefused("2 validation errors detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
                + "failed to satisfy constraint: Member must have value greater than or equal to 1; Value '0' at "
                + "'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value "
                + "greater than or equal to 1", b -> b.provisionedThroughput(p -> p.readCapacityUnits(0L)
                .writeCapacityUnits(0L)));
        assertCreateRefused(E1 + "Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy "
                + "constraint: Member must not be null", b -> b.provisionedThroughput(p -> p.readCapacityUnits(1L)));
    }

    @Test
    void createTableThatExistsIsInUse() {
        String name = createTable("exists", "pk", ScalarAttributeType.S, null, null);
        assertDynamoError("ResourceInUseException", "Table already exists: " + name,
                () -> dynamo.createTable(b -> base(b, name)));
    }

    @Test
    void createTableStreamNeedsAViewTypeExactlyWhenEnabled() {
        assertCreateRefused(INVALID + "Table is being created with a stream enabled, UpdateViewType is required",
                b -> b.streamSpecification(s -> s.streamEnabled(true)));
        assertCreateRefused(INVALID + "Table is being created with a stream disabled, UpdateViewType should not be "
                + "specified", b -> b.streamSpecification(s -> s.streamEnabled(false)
                .streamViewType(StreamViewType.NEW_IMAGE)));
    }

    @Test
    void createTableLocalIndexRules() {
        assertCreateRefused(INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
                        + "LocalSecondaryIndex",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("l", "S")).localSecondaryIndexes(lsi("lsi1", "pk", "l")));
        assertCreateRefused(INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for "
                        + "index: lsi1. index hash key: h2, table hash key: pk",
                b -> b.keySchema(hash("pk"), range("sk"))
                        .attributeDefinitions(attr("pk", "S"), attr("sk", "S"), attr("h2", "S"), attr("l", "S"))
                        .localSecondaryIndexes(lsi("lsi1", "h2", "l")));
        assertCreateRefused(INVALID + "List of LocalSecondaryIndexes is empty",
                b -> b.keySchema(hash("pk"), range("sk")).attributeDefinitions(attr("pk", "S"), attr("sk", "S"))
                        .localSecondaryIndexes(List.of()));
    }

    @Test
    void createTableGlobalIndexRules() {
        assertCreateRefused(E1 + "Value null at 'globalSecondaryIndexes.1.member.projection' failed to satisfy "
                        + "constraint: Member must not be null",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("g", "S"))
                        .globalSecondaryIndexes(gsi("gsi1", "g").projection((Projection) null).build()));
        assertCreateRefused(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("g", "S")).globalSecondaryIndexes(gsi("gsi1", "g")
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE)).build()));
        assertCreateRefused(INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("g", "S")).globalSecondaryIndexes(gsi("gsi1", "g")
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY).nonKeyAttributes("x")).build()));
        assertCreateRefused(INVALID + "Duplicate index name: gsi1",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("g", "S"), attr("h", "S"))
                        .globalSecondaryIndexes(gsi("gsi1", "g").build(), gsi("gsi1", "h").build()));
        assertCreateRefused(INVALID + "List of GlobalSecondaryIndexes is empty", b -> b.globalSecondaryIndexes(List.of()));
        assertCreateRefused(INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [g1], "
                + "AttributeDefinitions: [pk]", b -> b.globalSecondaryIndexes(gsi("gsi1", "g1").build()));
        assertCreateRefused(INVALID + "ProvisionedThroughput is not specified for index: gsi1",
                b -> b.attributeDefinitions(attr("pk", "S"), attr("g", "S"))
                        .globalSecondaryIndexes(gsi("gsi1", "g").provisionedThroughput(
                                (ProvisionedThroughput) null).build()));
        assertCreateRefused(INVALID + "ProvisionedThroughput should not be specified for index: gsi1 when BillingMode "
                        + "is PAY_PER_REQUEST",
                b -> b.billingMode(BillingMode.PAY_PER_REQUEST).provisionedThroughput(
                                (ProvisionedThroughput) null)
                        .attributeDefinitions(attr("pk", "S"), attr("g", "S"))
                        .globalSecondaryIndexes(gsi("gsi1", "g").build()));
    }

    @Test
    void createTableReportsGlobalIndexViolationsBeforeLocalOnes() {
        assertCreateRefused("2 validation errors detected: Value 'g1' at 'globalSecondaryIndexes.1.member.indexName' "
                        + "failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'l1' "
                        + "at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have "
                        + "length greater than or equal to 3",
                b -> b.keySchema(hash("pk"), range("sk"))
                        .attributeDefinitions(attr("pk", "S"), attr("sk", "S"), attr("l", "S"), attr("g", "S"))
                        .localSecondaryIndexes(lsi("l1", "pk", "l"))
                        .globalSecondaryIndexes(gsi("g1", "g").build()));
    }

    // --- DescribeTable, DeleteTable, UpdateTable, ListTables ------------------------------------

    @Test
    void tableOperationsOnAMissingTableNameTheTable() {
        String name = uniqueName("missing");
        String message = "Requested resource not found: Table: " + name + " not found";
        assertDynamoError(NOT_FOUND, message, () -> dynamo.describeTable(b -> b.tableName(name)));
        assertDynamoError(NOT_FOUND, message, () -> dynamo.deleteTable(b -> b.tableName(name)));
        assertDynamoError(NOT_FOUND, message, () -> dynamo.updateTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)));
    }

    @Test
    void updateTableWithNothingToUpdate() {
        String name = hashTable();
        assertValidation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                + "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
                + "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, "
                + "WarmThroughput or TableClass is required", () -> dynamo.updateTable(b -> b.tableName(name)));
    }

    /**
     * UpdateTable that changes nothing, as the real service answers it (captures of 2026, ack-api-quirks
     * DDB-TABLE-015, -017, -018 and -359; moto answers all of these with the table's description).
     */
    @Test
    void updateTableThatChangesNothing() throws Exception {
        String name = hashTable();
        String all = "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                + "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
                + "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, "
                + "WarmThroughput or TableClass is required";
        // An empty index update list is no update, and neither are members that change nothing here.
        assertValidation(all, () -> dynamo.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(List.of())));
        assertValidation(all, () -> dynamo.updateTable(b -> b.tableName(name).attributeDefinitions(attr("pk", "S"))));
        assertValidation(all, () -> dynamo.updateTable(b -> b.tableName(uniqueName("missing"))));
        assertRawError(raw("DynamoDB_20120810.UpdateTable", "{\"TableName\":\"" + name + "\",\"KeySchema\":[]}"),
                "com.amazon.coral.validate#ValidationException", "message", all);
        // A member present is left out of the list.
        assertRawError(raw("DynamoDB_20120810.UpdateTable", "{\"TableName\":\"" + name
                        + "\",\"MultiRegionConsistency\":\"EVENTUAL\"}"), "com.amazon.coral.validate#ValidationException",
                "message", all.replace("MultiRegionConsistency, ", ""));
        // Beside a change, the empty list is refused and the change not made.
        assertValidation(INVALID + "List of GlobalSecondaryIndexUpdates is empty", () -> dynamo.updateTable(b -> b
                .tableName(name).globalSecondaryIndexUpdates(List.of()).deletionProtectionEnabled(true)));
        assertFalse(dynamo.describeTable(b -> b.tableName(name)).table().deletionProtectionEnabled());

        // Re-sending the current value is an update all the same, except where DynamoDB says otherwise.
        assertEquals(TableStatus.UPDATING, dynamo.updateTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)).tableDescription().tableStatus());
        assertEquals(TableStatus.UPDATING, dynamo.updateTable(b -> b.tableName(name)
                .tableClass(TableClass.STANDARD)).tableDescription().tableStatus());
        assertValidation("Table has no stream to disable: TableName: " + name,
                () -> dynamo.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false))));
        // Deletion protection changes at once: ACTIVE, re-sent or not.
        for (boolean protect : new boolean[] {false, true, false}) {
            TableDescription t = dynamo.updateTable(b -> b.tableName(name).deletionProtectionEnabled(protect))
                    .tableDescription();
            assertEquals(TableStatus.ACTIVE, t.tableStatus());
            assertEquals(protect, t.deletionProtectionEnabled());
        }
    }

    @Test
    void updateTableStreamNeedsAViewTypeExactlyWhenEnabled() {
        String name = hashTable();
        assertValidation(INVALID + "If stream is being enabled then UpdateViewType is required",
                () -> dynamo.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(true))));
        assertValidation(INVALID + "If stream is being disabled, then UpdateViewType must not be specified",
                () -> dynamo.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false)
                        .streamViewType(StreamViewType.KEYS_ONLY))));
    }

    @Test
    void listTablesLimitIsOneToOneHundred() {
        assertValidation(E1 + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than "
                + "or equal to 1", () -> dynamo.listTables(b -> b.limit(0)));
        assertValidation(E1 + "Value '101' at 'limit' failed to satisfy constraint: Member must have value less than "
                + "or equal to 100", () -> dynamo.listTables(b -> b.limit(101)));
        assertValidation(E1 + "Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than "
                + "or equal to 1", () -> dynamo.listTables(b -> b.limit(-1)));
        assertTrue(dynamo.listTables(b -> b.limit(100)).tableNames().size() <= 100);
    }

    // --- PutItem --------------------------------------------------------------------------------

    @Test
    void putItemNeedsAnItemWithTheKeyAttributes() {
        String table = hashTable();
        String ranged = rangeTable();
        assertValidation(E1 + "Value null at 'item' failed to satisfy constraint: Member must not be null",
                () -> dynamo.putItem(b -> b.tableName(table)));
        assertValidation(INVALID + "Missing the key pk in the item",
                () -> dynamo.putItem(b -> b.tableName(table).item(Map.of())));
        assertValidation(INVALID + "Missing the key pk in the item",
                () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("other", s("x")))));
        assertValidation(INVALID + "Missing the key sk in the item",
                () -> dynamo.putItem(b -> b.tableName(ranged).item(Map.of("pk", s("a")))));
        assertValidation(INVALID + "Missing the key pk in the item",
                () -> dynamo.putItem(b -> b.tableName(ranged).item(Map.of("sk", s("a")))));
    }

    @Test
    void putItemKeyOfTheWrongType() {
        assertValidation(INVALID + "Type mismatch for key pk expected: S actual: N",
                () -> dynamo.putItem(b -> b.tableName(hashTable()).item(Map.of("pk", n("1")))));
        assertValidation(INVALID + "Type mismatch for key pk expected: S actual: SS",
                () -> dynamo.putItem(b -> b.tableName(hashTable()).item(Map.of("pk", AttributeValue.fromSs(List.of("a"))))));
        assertValidation(INVALID + "Type mismatch for key pk expected: N actual: S",
                () -> dynamo.putItem(b -> b.tableName(numberTable()).item(Map.of("pk", s("1")))));
        assertValidation(INVALID + "Type mismatch for key sk expected: S actual: N",
                () -> dynamo.putItem(b -> b.tableName(rangeTable()).item(Map.of("pk", s("a"), "sk", n("1")))));
    }

    @Test
    void putItemEmptyStringKey() {
        assertValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                + "contain an empty string value. Key: pk", () -> dynamo.putItem(b -> b.tableName(hashTable())
                .item(Map.of("pk", s("")))));
        assertValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                + "contain an empty string value. Key: sk", () -> dynamo.putItem(b -> b.tableName(rangeTable())
                .item(Map.of("pk", s("a"), "sk", s("")))));
        // Empty strings are fine outside keys.
        dynamo.putItem(b -> b.tableName(hashTable()).item(Map.of("pk", s("empty-ok"), "v", s(""))));
    }

    @Test
    void keySizeLimitsAreInclusive() {
        String table = hashTable();
        String ranged = rangeTable();
        String hashMessage = INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes";
        String rangeMessage = INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes";
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("a".repeat(2048)))));
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("é".repeat(1024)))));
        assertValidation(hashMessage, () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("a".repeat(2049))))));
        // The limit counts UTF-8 bytes: 1025 two-byte characters are 2050 bytes.
        assertValidation(hashMessage, () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("é".repeat(1025))))));
        dynamo.putItem(b -> b.tableName(ranged).item(Map.of("pk", s("a"), "sk", s("b".repeat(1024)))));
        assertValidation(rangeMessage, () -> dynamo.putItem(b -> b.tableName(ranged)
                .item(Map.of("pk", s("a"), "sk", s("b".repeat(1025))))));
        // Keys given to GetItem are held to the same limits.
        assertValidation(hashMessage, () -> dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("a".repeat(2049))))));
        assertValidation(rangeMessage, () -> dynamo.getItem(b -> b.tableName(ranged)
                .key(Map.of("pk", s("a"), "sk", s("b".repeat(1025))))));
        assertTrue(dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("a".repeat(2048))))).hasItem());
    }

    @Test
    void itemSizeLimitIs400KBInclusive() {
        String table = hashTable();
        // "pk" + "big" + "data" are 9 bytes of names and key value: the data string fills the rest.
        int atLimit = 400 * 1024 - 9;
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "data", s("x".repeat(atLimit)))));
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "data", s("x".repeat(atLimit - 1000)))));
        assertValidation("Item size has exceeded the maximum allowed size", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("big"), "data", s("x".repeat(atLimit + 1))))));
        assertValidation("Item size has exceeded the maximum allowed size", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("big"), "data", s("x".repeat(410_000))))));
        assertEquals(atLimit - 1000, dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("big")))).item().get("data").s().length());
    }

    @Test
    void attributeValueMustHaveExactlyOneType() {
        String table = hashTable();
        String empty = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
        assertValidation(empty, () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"), "v", AttributeValue.builder().build()))));
        assertValidation(empty, () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.builder().build()))));
        assertValidation(empty, () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("a"),
                "v", AttributeValue.fromM(Map.of("inner", AttributeValue.builder().build()))))));
        assertValidation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                + "supported datatypes", () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("a"),
                "v", AttributeValue.builder().s("x").n("1").build()))));
    }

    @Test
    void nullMustBeTrue() {
        assertValidation(INVALID + "Null attribute value types must have the value of true",
                () -> dynamo.putItem(b -> b.tableName(hashTable()).item(Map.of("pk", s("a"),
                        "v", AttributeValue.builder().nul(false).build()))));
    }

    @Test
    void setsMayNotBeEmpty() {
        String table = hashTable();
        assertValidation(INVALID + "An string set  may not be empty", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"), "v", AttributeValue.fromSs(List.of())))));
        assertValidation(INVALID + "An number set  may not be empty", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"), "v", AttributeValue.fromNs(List.of())))));
        assertValidation(INVALID + "Binary sets should not be empty", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"), "v", AttributeValue.fromBs(List.of())))));
        assertValidation(INVALID + "An string set  may not be empty", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"), "v", AttributeValue.fromL(List.of(AttributeValue.fromSs(List.of())))))));
    }

    @Test
    void setsMayNotHoldDuplicates() {
        String table = hashTable();
        assertValidation(E1 + INVALID + "Input collection [\"x\", \"x\"] contains duplicates.",
                () -> put(table, AttributeValue.fromSs(List.of("x", "x"))));
        // Members before the repeat are listed in byte order, then the repeat, then the rest.
        assertValidation(E1 + INVALID + "Input collection [\"a\", \"b\", \"b\"] contains duplicates.",
                () -> put(table, AttributeValue.fromSs(List.of("b", "a", "b"))));
        assertValidation(E1 + INVALID + "Input collection contains duplicates.",
                () -> put(table, AttributeValue.fromNs(List.of("2", "1", "2"))));
        // Numbers are compared by value.
        assertValidation(E1 + INVALID + "Input collection contains duplicates.",
                () -> put(table, AttributeValue.fromNs(List.of("1", "1.0"))));
        assertValidation(E1 + INVALID + "Input collection contains duplicates.",
                () -> put(table, AttributeValue.fromNs(List.of("1", "1e0"))));
        assertValidation(E1 + INVALID + "Input collection [\"AA==\",\"/w==\",\"AA==\"]of type BS contains duplicates.",
                () -> put(table, AttributeValue.fromBs(List.of(bytes("/w=="), bytes("AA=="), bytes("AA==")))));
    }

    static Stream<Arguments> invalidNumbers() {
        return Stream.of(
                Arguments.of("abc", NOT_NUMERIC + ": abc"),
                Arguments.of("", NOT_NUMERIC + ": "),
                Arguments.of(" 1", NOT_NUMERIC + ":  1"),
                Arguments.of("1 ", NOT_NUMERIC + ": 1 "),
                Arguments.of("0x10", NOT_NUMERIC + ": 0x10"),
                Arguments.of("NaN", NOT_NUMERIC + ": NaN"),
                Arguments.of("Infinity", NOT_NUMERIC + ": Infinity"),
                Arguments.of("1e", NOT_NUMERIC + ": 1e"),
                Arguments.of("1.2.3", NOT_NUMERIC + ": 1.2.3"),
                Arguments.of("--1", NOT_NUMERIC + ": --1"),
                Arguments.of("123456789012345678901234567890123456789", PRECISION),
                Arguments.of("1.23456789012345678901234567890123456789", PRECISION),
                Arguments.of("1e126", OVERFLOW),
                Arguments.of("1E+126", OVERFLOW),
                Arguments.of("-1e126", OVERFLOW),
                Arguments.of("1e-131", UNDERFLOW),
                Arguments.of("1e99999999999", OVERFLOW),
                Arguments.of("1e-99999999999", UNDERFLOW),
                Arguments.of("1e2147483647", OVERFLOW),
                Arguments.of("1e-2147483648", UNDERFLOW),
                Arguments.of("1e9223372036854775808", NOT_NUMERIC + ": 1e9223372036854775808"));
    }

    @ParameterizedTest(name = "[{index}] N \"{0}\"")
    @MethodSource("invalidNumbers")
    void putItemRefusesAnInvalidNumber(String number, String message) {
        String table = hashTable();
        // PutItem, UpdateItem and DeleteItem report bad values inside the validation envelope.
        assertValidation(E1 + message, () -> put(table, n(number)));
        assertValidation(E1 + message, () -> put(table, AttributeValue.fromNs(List.of("1", number))));
        assertValidation(E1 + message, () -> put(table, AttributeValue.fromM(Map.of("x",
                AttributeValue.fromL(List.of(n(number)))))));
        assertValidation(E1 + message, () -> dynamo.putItem(b -> b.tableName(numberTable())
                .item(Map.of("pk", n(number)))));
    }

    @Test
    void badNumbersInUpdateAndDeleteAreEnvelopedToo() {
        assertValidation(E1 + NOT_NUMERIC + ": abc", () -> dynamo.updateItem(b -> b.tableName(hashTable())
                .key(Map.of("pk", s("a"))).attributeUpdates(Map.of("n", AttributeValueUpdate.builder()
                        .action(AttributeAction.PUT).value(n("abc")).build()))));
        assertValidation(E1 + OVERFLOW, () -> dynamo.deleteItem(b -> b.tableName(numberTable())
                .key(Map.of("pk", n("1e99999999999")))));
        assertValidation(E1 + NOT_NUMERIC + ": ", () -> dynamo.updateItem(b -> b.tableName(numberTable())
                .key(Map.of("pk", n("")))));
    }

    @Test
    void putItemIntoAMissingTable() {
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> dynamo.putItem(b -> b
                .tableName(uniqueName("nope")).item(Map.of("pk", s("a")))));
        // The table is looked up before the item's keys are checked.
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> dynamo.putItem(b -> b
                .tableName(uniqueName("nope")).item(Map.of())));
    }

    @Test
    void putItemReturnValuesAreAllOldOrNone() {
        String table = hashTable();
        assertValidation(E1 + "ReturnValues can only be ALL_OLD or NONE", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"))).returnValues("ALL_NEW")));
        assertValidation(E1 + "ReturnValues can only be ALL_OLD or NONE", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"))).returnValues("UPDATED_OLD")));
        assertValidation(E1 + "Value 'FOO' at 'returnConsumedCapacity' failed to satisfy constraint: Member must "
                + "satisfy enum value set: [INDEXES, TOTAL, NONE]", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("a"))).returnConsumedCapacity("FOO")));
    }

    @Test
    void returnValuesFooListsTheEnumInDynamoDbsOrder() {
        String message = E1 + "Value 'FOO' at 'returnValues' failed to satisfy constraint: Member must satisfy enum "
                + "value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
        String table = hashTable();
        assertValidation(message, () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("a")))
                .returnValues("FOO")));
        assertValidation(message, () -> dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", s("a")))
                .returnValues("FOO")));
    }

    // --- GetItem --------------------------------------------------------------------------------

    @Test
    void getItemKeyMustMatchTheSchema() {
        String table = hashTable();
        String ranged = rangeTable();
        assertValidation(KEY_MISMATCH, () -> get(table, Map.of("pk", s("a"), "extra", s("b"))));
        assertValidation(KEY_MISMATCH, () -> get(ranged, Map.of("pk", s("a"))));
        assertValidation(KEY_MISMATCH, () -> get(ranged, Map.of("sk", s("a"))));
        assertValidation(KEY_MISMATCH, () -> get(table, Map.of("pk", n("1"))));
        assertValidation(KEY_MISMATCH, () -> get(ranged, Map.of("pk", s("a"), "sk", n("1"))));
        assertValidation(KEY_MISMATCH, () -> get(table, Map.of("other", s("a"))));
        assertValidation(KEY_MISMATCH, () -> get(table, Map.of()));
    }

    @Test
    void getItemEmptyStringKeyUsesTheKeyParameterWording() {
        assertValidation(INVALID + "The AttributeValue for a key attribute cannot contain an empty string value. "
                + "Key: pk", () -> get(hashTable(), Map.of("pk", s(""))));
        assertValidation(INVALID + "The AttributeValue for a key attribute cannot contain an empty string value. "
                + "Key: sk", () -> get(rangeTable(), Map.of("pk", s("a"), "sk", s(""))));
    }

    @Test
    void getItemOtherErrors() {
        String table = hashTable();
        assertValidation(E1 + "Value null at 'key' failed to satisfy constraint: Member must not be null",
                () -> dynamo.getItem(b -> b.tableName(table)));
        assertDynamoError(NOT_FOUND, "Requested resource not found",
                () -> get(uniqueName("nope"), Map.of("pk", s("a"))));
        assertValidation(E1 + "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 1", () -> dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", s("a"))).attributesToGet(List.of())));
        assertValidation(INVALID + "Duplicate value in attribute name: a", () -> dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", s("a"))).attributesToGet("a", "a")));
    }

    // --- DeleteItem and UpdateItem --------------------------------------------------------------

    @Test
    void deleteItemKeyMustMatchTheSchema() {
        String table = hashTable();
        String ranged = rangeTable();
        assertValidation(KEY_MISMATCH, () -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", n("1")))));
        assertValidation(KEY_MISMATCH, () -> dynamo.deleteItem(b -> b.tableName(ranged).key(Map.of("pk", s("a")))));
        assertValidation(KEY_MISMATCH, () -> dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("pk", s("a"), "extra", s("b")))));
        assertValidation(E1 + "Value null at 'key' failed to satisfy constraint: Member must not be null",
                () -> dynamo.deleteItem(b -> b.tableName(table)));
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> dynamo.deleteItem(b -> b
                .tableName(uniqueName("nope")).key(Map.of("pk", s("a")))));
        assertValidation(E1 + "ReturnValues can only be ALL_OLD or NONE", () -> dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("pk", s("a"))).returnValues("ALL_NEW")));
    }

    @Test
    void updateItemKeyMustMatchTheSchema() {
        String table = hashTable();
        String ranged = rangeTable();
        assertValidation(KEY_MISMATCH, () -> dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", n("1")))));
        assertValidation(KEY_MISMATCH, () -> dynamo.updateItem(b -> b.tableName(ranged).key(Map.of("pk", s("a")))));
        assertValidation(KEY_MISMATCH, () -> dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", s("a"), "extra", s("b")))));
        assertValidation(E1 + "Value null at 'key' failed to satisfy constraint: Member must not be null",
                () -> dynamo.updateItem(b -> b.tableName(table)));
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> dynamo.updateItem(b -> b
                .tableName(uniqueName("nope")).key(Map.of("pk", s("a")))));
    }

    @Test
    void updateItemAttributeUpdatesRules() {
        String table = hashTable();
        Map<String, AttributeValue> key = Map.of("pk", s("upd"));
        assertValidation(INVALID + "Cannot update attribute pk. This attribute is part of the key",
                () -> update(table, key, Map.of("pk", change(AttributeAction.PUT, s("other")))));
        assertValidation(INVALID + "Only DELETE action is allowed when no attribute value is specified",
                () -> update(table, key, Map.of("a", AttributeValueUpdate.builder().action(AttributeAction.PUT).build())));
        assertValidation(INVALID + "ADD action is not supported for the type STRING",
                () -> update(table, key, Map.of("a", change(AttributeAction.ADD, s("x")))));
        // None of them created the item.
        assertFalse(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).hasItem());
    }

    // --- refused writes leave the item as it was ------------------------------------------------

    @Test
    void refusedWritesLeaveTheItemUnchanged() {
        String table = hashTable();
        Map<String, AttributeValue> key = Map.of("pk", s("keep"));
        Map<String, AttributeValue> original = Map.of("pk", s("keep"), "v", n("1"), "s", s("text"));
        dynamo.putItem(b -> b.tableName(table).item(original));

        assertValidation("Item size has exceeded the maximum allowed size", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("keep"), "v", n("2"), "big", s("x".repeat(410_000))))));
        assertUnchanged(table, key, original);
        assertValidation(E1 + NOT_NUMERIC + ": abc", () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("keep"), "v", n("abc")))));
        assertUnchanged(table, key, original);
        assertValidation(E1 + INVALID + "Input collection [\"x\", \"x\"] contains duplicates.",
                () -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("keep"), "v", n("2"),
                        "ss", AttributeValue.fromSs(List.of("x", "x"))))));
        assertUnchanged(table, key, original);

        // An UpdateItem applies all of its changes or none: the PUT of v must not survive the bad ADD.
        Map<String, AttributeValueUpdate> putThenBadAdd = new HashMap<>();
        putThenBadAdd.put("v", change(AttributeAction.PUT, n("2")));
        putThenBadAdd.put("s", change(AttributeAction.ADD, s("more")));
        assertValidation(INVALID + "ADD action is not supported for the type STRING", () -> update(table, key, putThenBadAdd));
        assertUnchanged(table, key, original);
        Map<String, AttributeValueUpdate> putAndKey = new HashMap<>();
        putAndKey.put("v", change(AttributeAction.PUT, n("2")));
        putAndKey.put("pk", change(AttributeAction.PUT, s("moved")));
        assertValidation(INVALID + "Cannot update attribute pk. This attribute is part of the key",
                () -> update(table, key, putAndKey));
        assertUnchanged(table, key, original);
        assertValidation(E1 + OVERFLOW, () -> update(table, key, Map.of("v", change(AttributeAction.PUT, n("1e126")))));
        assertUnchanged(table, key, original);

        assertValidation(KEY_MISMATCH, () -> dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("pk", s("keep"), "v", n("1")))));
        assertUnchanged(table, key, original);
        assertValidation(E1 + "ReturnValues can only be ALL_OLD or NONE", () -> dynamo.deleteItem(b -> b.tableName(table)
                .key(key).returnValues("ALL_NEW")));
        assertUnchanged(table, key, original);
    }

    // --- numbers --------------------------------------------------------------------------------

    @Test
    void numbersAreStoredNormalised() {
        String table = hashTable();
        Map<String, String> expected = new HashMap<>();
        expected.put("1.50", "1.5");
        expected.put("-1.50", "-1.5");
        expected.put("0.0", "0");
        expected.put("-0", "0");
        expected.put("-0.0", "0");
        expected.put("1e2", "100");
        expected.put("1E2", "100");
        expected.put("1e+2", "100");
        expected.put("0.000100", "0.0001");
        expected.put("+1", "1");
        expected.put(".5", "0.5");
        expected.put("-.5", "-0.5");
        expected.put("5.", "5");
        expected.put("00012", "12");
        expected.put("123.4560", "123.456");
        expected.put("1.23e-5", "0.0000123");
        expected.put("0.1e1", "1");
        expected.put("0e125", "0");
        expected.put("1E+125", "1" + "0".repeat(125));
        expected.put("1e-130", "0." + "0".repeat(129) + "1");
        expected.put("-1.0e-130", "-0." + "0".repeat(129) + "1");
        expected.put("9.9999999999999999999999999999999999999E+125", "9".repeat(38) + "0".repeat(88));
        // 38 significant digits are kept exactly.
        expected.put("12345678901234567890123456789012345678", "12345678901234567890123456789012345678");
        expected.put("-0.12345678901234567890123456789012345678", "-0.12345678901234567890123456789012345678");
        expected.put("1000000000000000000000000000000000000000000", "1000000000000000000000000000000000000000000");

        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("numbers"));
        List<String> inputs = new ArrayList<>(expected.keySet());
        for (int i = 0; i < inputs.size(); i++) {
            item.put("n" + i, n(inputs.get(i)));
        }
        item.put("ns", AttributeValue.fromNs(List.of("1.50", "-0", "1e2", "00012")));
        dynamo.putItem(b -> b.tableName(table).item(item));

        Map<String, AttributeValue> back = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("numbers")))).item();
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(expected.get(inputs.get(i)), back.get("n" + i).n(), "N " + inputs.get(i));
        }
        assertEquals(Set.of("1.5", "0", "100", "12"), new HashSet<>(back.get("ns").ns()));
    }

    @Test
    void numberKeysAreNormalisedAndCompareByValue() {
        String table = numberTable();
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", n("1.50"), "v", s("one and a half"))));
        for (String same : List.of("1.5", "1.500", "15e-1", "+1.5", "0001.5")) {
            Map<String, AttributeValue> got = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("pk", n(same)))).item();
            assertEquals("1.5", got.get("pk").n(), same);
            assertEquals("one and a half", got.get("v").s(), same);
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    private static SdkBytes bytes(String base64) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static AttributeDefinition attr(String name, String type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static LocalSecondaryIndex lsi(String name, String hashKey, String rangeKey) {
        return LocalSecondaryIndex.builder().indexName(name).keySchema(hash(hashKey), range(rangeKey))
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    /** A global index on one hash key, projecting ALL, with 1/1 throughput. */
    private static GlobalSecondaryIndex.Builder gsi(String name, String hashKey) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(hashKey))
                .projection(p -> p.projectionType(ProjectionType.ALL))
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L));
    }

    private static AttributeValueUpdate change(AttributeAction action, AttributeValue value) {
        return AttributeValueUpdate.builder().action(action).value(value).build();
    }

    private void put(String table, AttributeValue value) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("bad-value"), "v", value)));
    }

    private void get(String table, Map<String, AttributeValue> key) {
        dynamo.getItem(b -> b.tableName(table).key(key));
    }

    private void update(String table, Map<String, AttributeValue> key, Map<String, AttributeValueUpdate> updates) {
        dynamo.updateItem(b -> b.tableName(table).key(key).attributeUpdates(updates));
    }

    private void assertUnchanged(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> expected) {
        assertEquals(expected, dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item());
    }

    private static void assertValidation(String message, Runnable request) {
        assertDynamoError(VALIDATION, message, request);
    }

    /** The "N validation errors detected" form, whose parts DynamoDB may list in any order. */
    private static void assertViolations(Runnable request, String... violations) {
        String message = assertDynamoError(VALIDATION, null, request).awsErrorDetails().errorMessage();
        String prefix = violations.length == 1 ? E1 : violations.length + " validation errors detected: ";
        assertTrue(message.startsWith(prefix), message);
        assertEquals(Set.of(violations), Set.of(message.substring(prefix.length()).split("; ")), message);
    }

    /** A raw exchange: status, body text and its JSON, and the headers the SDK would check. */
    private record Raw(int status, String body, JsonNode json, String requestId, String crc32) {
    }

    /** POSTs a body as the SDK would, with the given X-Amz-Target (none when null). */
    private Raw raw(String target, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.toString()))
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] bytes = response.body();
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElse(null);
        String crc32 = response.headers().firstValue("x-amz-crc32").orElse(null);
        assertNotNull(requestId, "x-amzn-RequestId");
        assertFalse(requestId.isBlank(), "x-amzn-RequestId");
        CRC32 crc = new CRC32();
        crc.update(bytes);
        assertEquals(Long.toString(crc.getValue()), crc32, "x-amz-crc32 of the body");
        String text = new String(bytes, StandardCharsets.UTF_8);
        return new Raw(response.statusCode(), text, JSON.readTree(text), requestId, crc32);
    }

    /** A 400 whose body is the type alone, as DynamoDB sends for unparseable bodies and unknown operations. */
    private static void assertBareError(Raw r, String type) {
        assertEquals(400, r.status, r.body);
        assertEquals(type, r.json.path("__type").asText(), r.body);
        assertEquals(List.of("__type"), fieldNames(r.json), r.body);
    }

    /** A 400 with the type and the message under exactly this member name ("Message" or "message"). */
    private static void assertRawError(Raw r, String type, String messageField, String message) {
        assertEquals(400, r.status, r.body);
        assertEquals(type, r.json.path("__type").asText(), r.body);
        assertEquals(List.of("__type", messageField), fieldNames(r.json), r.body);
        assertEquals(message, r.json.get(messageField).asText(), r.body);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

package dev.eddy.functions;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A real AWS SDK v2 client pointed at the application under test, and helpers the tests share. */
public abstract class DynamoTestBase {
    @TestHTTPResource("/")
    URL endpoint;

    protected DynamoDbClient dynamo;

    @BeforeEach
    void connect() throws Exception {
        dynamo = client(endpoint.toURI());
    }

    @AfterEach
    void disconnect() {
        dynamo.close();
    }

    public static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                // Errors must reach the test as they are, not be retried away.
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** A fresh table name per test, so tests never see each other's data. */
    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates an on-demand table with a string partition key and, if given, a sort key of that type. */
    protected String createTable(String prefix, String hashKey, ScalarAttributeType hashType, String rangeKey,
                                 ScalarAttributeType rangeType) {
        String name = uniqueName(prefix);
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
        if (rangeKey == null) {
            b.keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(hashKey).attributeType(hashType).build());
        } else {
            b.keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(hashKey).attributeType(hashType).build(),
                            AttributeDefinition.builder().attributeName(rangeKey).attributeType(rangeType).build());
        }
        dynamo.createTable(b.build());
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    /** Runs a request that must fail with this DynamoDB error type, HTTP 400 and exactly this message. */
    protected static DynamoDbException assertDynamoError(String type, String message, Runnable request) {
        DynamoDbException e = assertThrows(DynamoDbException.class, request::run);
        assertEquals(400, e.statusCode(), "status of " + e.awsErrorDetails());
        assertEquals(type, e.awsErrorDetails().errorCode(), "type");
        if (message != null) {
            assertEquals(message, e.awsErrorDetails().errorMessage(), "message");
        }
        return e;
    }

}

package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Event source mappings by Lambda's API (issue 19): the SDK's unmodified LambdaClient and the AWS
 * CLI create, read, list, change and delete mappings against Eddy; a mapping's stream reaches a
 * real HTTP function through the maintenance role's dispatcher; a deleted table's mapping stops.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingFunction.class, restrictToAnnotatedClass = false)
class EventSourceMappingsTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LambdaClient lambda;

    @BeforeEach
    void connectLambda() throws Exception {
        lambda = LambdaClient.builder().endpointOverride(URI.create(endpoint.toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @AfterEach
    void closeLambda() {
        lambda.close();
    }

    private String streamTable() {
        String table = createTable("esm", "pk", ScalarAttributeType.S, null, null);
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()));
        return table;
    }

    private String streamArn(String table) {
        return dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    private void put(String table, String pk, String value) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(value))));
    }

    @Test
    void aMappingCreatedByTheSdkDeliversTheStreamAndGoesThroughItsStates() throws Exception {
        String table = streamTable();
        String arn = streamArn(table);
        CreateEventSourceMappingResponse created = lambda.createEventSourceMapping(r -> r.eventSourceArn(arn)
                .functionName("recorder").startingPosition(EventSourcePosition.LATEST).batchSize(10)
                .maximumBatchingWindowInSeconds(0).functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
        assertEquals("Creating", created.state());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:recorder", created.functionArn());
        assertEquals(arn, created.eventSourceArn());
        assertEquals(10, created.batchSize());
        assertEquals("No records processed", created.lastProcessingResult());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + created.uuid(),
                created.eventSourceMappingArn());
        String uuid = created.uuid();

        await("the mapping is Enabled", () -> "Enabled".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()));
        put(table, "a", "1");
        put(table, "a", "2");
        put(table, "b", "1");
        await("three records reach the function", () -> RecordingFunction.records(arn).size() >= 3);
        List<JsonNode> records = RecordingFunction.records(arn);
        // DynamoDB Streams orders records per item only: a's two and b's one may interleave either way.
        assertEquals(3, records.size(), "one record per write");
        List<JsonNode> ofA = records.stream().filter(r -> "a".equals(r.path("dynamodb").path("Keys").path("pk").path("S").asText())).toList();
        List<JsonNode> ofB = records.stream().filter(r -> "b".equals(r.path("dynamodb").path("Keys").path("pk").path("S").asText())).toList();
        assertEquals(List.of("INSERT", "MODIFY"), ofA.stream().map(r -> r.path("eventName").asText()).toList());
        assertEquals("2", ofA.get(1).path("dynamodb").path("NewImage").path("v").path("S").asText());
        assertEquals(List.of("INSERT"), ofB.stream().map(r -> r.path("eventName").asText()).toList());
        await("LastProcessingResult OK",
                () -> "OK".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult()));

        assertTrue(lambda.listEventSourceMappings(r -> r.eventSourceArn(arn)).eventSourceMappings().stream()
                .anyMatch(m -> m.uuid().equals(uuid)), "listed by its stream");
        assertTrue(lambda.listEventSourceMappings(r -> r.functionName("recorder")).eventSourceMappings().stream()
                .anyMatch(m -> m.uuid().equals(uuid)), "listed by its function");

        var updated = lambda.updateEventSourceMapping(r -> r.uuid(uuid).batchSize(1).parallelizationFactor(4));
        assertEquals("Updating", updated.state());
        assertEquals(4, updated.parallelizationFactor());
        await("Enabled after the update", () -> "Enabled".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()));
        put(table, "c", "1");
        await("records go on after the update", () -> RecordingFunction.records(arn).size() >= 4);
        assertEquals(4, RecordingFunction.records(arn).size(), "nothing delivered twice across the restart");

        var disabling = lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false));
        assertEquals("Disabling", disabling.state());
        await("Disabled", () -> "Disabled".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()));
        put(table, "d", "1");
        Thread.sleep(1500);
        assertEquals(4, RecordingFunction.records(arn).size(), "a disabled mapping delivers nothing");
        lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));
        await("enabled again, from where it stopped", () -> RecordingFunction.records(arn).size() >= 5);

        var deleting = lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
        assertEquals("Deleting", deleting.state());
        await("gone", () -> {
            try {
                lambda.getEventSourceMapping(r -> r.uuid(uuid));
                return false;
            } catch (ResourceNotFoundException e) {
                return true;
            }
        });
    }

    @Test
    void errorsHaveLambdasTypesAndStatuses() {
        String table = streamTable();
        String arn = streamArn(table);
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getEventSourceMapping(r -> r.uuid("0c4a5d9e-0000-4000-8000-000000000000")));
        assertEquals(404, missing.statusCode());
        assertEquals("ResourceNotFoundException", missing.awsErrorDetails().errorCode());

        ResourceNotFoundException noFunction = assertThrows(ResourceNotFoundException.class,
                () -> lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName("nobody")
                        .startingPosition(EventSourcePosition.TRIM_HORIZON)));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nobody",
                noFunction.awsErrorDetails().errorMessage());

        InvalidParameterValueException badArn = assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(r -> r.eventSourceArn(arn + "0").functionName("recorder")
                        .startingPosition(EventSourcePosition.TRIM_HORIZON)));
        assertEquals(400, badArn.statusCode());
        InvalidParameterValueException bigBatch = assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName("recorder")
                        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(20_000)));
        assertTrue(bigBatch.awsErrorDetails().errorMessage().contains("batchSize"), bigBatch.getMessage());
        assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName("recorder")
                        .startingPosition(EventSourcePosition.TRIM_HORIZON)
                        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:q")))));
        assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName("recorder")));

        String uuid = lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName("recorder")
                .startingPosition(EventSourcePosition.TRIM_HORIZON)).uuid();
        ResourceConflictException twice = assertThrows(ResourceConflictException.class,
                () -> lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName("recorder")
                        .startingPosition(EventSourcePosition.TRIM_HORIZON)));
        assertEquals(409, twice.statusCode());
        assertTrue(twice.awsErrorDetails().errorMessage().contains(uuid), twice.getMessage());
        lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
        LambdaException again = assertThrows(LambdaException.class, () -> lambda.deleteEventSourceMapping(r -> r.uuid(uuid)));
        assertTrue(again.statusCode() == 400 || again.statusCode() == 404, "deleting or gone: " + again.statusCode());
    }

    @Test
    void aMappingOfADeletedTableStopsAndTheRecreatedTableHasANewStream() throws Exception {
        String table = streamTable();
        String oldArn = streamArn(table);
        String uuid = lambda.createEventSourceMapping(r -> r.eventSourceArn(oldArn).functionName(RecordingFunction.url())
                .startingPosition(EventSourcePosition.TRIM_HORIZON)).uuid();
        assertEquals(RecordingFunction.url(), lambda.getEventSourceMapping(r -> r.uuid(uuid)).functionArn(),
                "a URL is its own FunctionArn");
        put(table, "x", "1");
        await("the first record", () -> RecordingFunction.records(oldArn).size() == 1);

        dynamo.deleteTable(r -> r.tableName(table));
        dynamo.waiter().waitUntilTableNotExists(r -> r.tableName(table));
        await("the mapping is Disabled", () -> "Disabled".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()));
        GetEventSourceMappingResponse stopped = lambda.getEventSourceMapping(r -> r.uuid(uuid));
        assertTrue(stopped.stateTransitionReason().startsWith("PROBLEM: Stream not found"), stopped.stateTransitionReason());

        dynamo.createTable(r -> r.tableName(table).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        String newArn = streamArn(table);
        assertFalse(newArn.equals(oldArn), "a new stream ARN");
        put(table, "y", "1");
        Thread.sleep(1500);
        assertEquals(1, RecordingFunction.records(oldArn).size(), "the old mapping never fires again");
        assertTrue(RecordingFunction.records(newArn).isEmpty(), "nor for the new stream");
        assertThrows(InvalidParameterValueException.class, () -> lambda.updateEventSourceMapping(r -> r.uuid(uuid)
                .batchSize(0)));
        lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
    }

    @Test
    void theAwsCliManagesMappingsUnchanged() throws Exception {
        String table = streamTable();
        String arn = streamArn(table);
        JsonNode created = cli("create-event-source-mapping", "--event-source-arn", arn, "--function-name", "recorder",
                "--starting-position", "TRIM_HORIZON", "--batch-size", "5", "--maximum-retry-attempts", "2",
                "--bisect-batch-on-function-error", "--filter-criteria",
                "{\"Filters\":[{\"Pattern\":\"{\\\"eventName\\\":[\\\"INSERT\\\"]}\"}]}");
        String uuid = created.path("UUID").asText();
        assertEquals("Creating", created.path("State").asText());
        assertEquals(5, created.path("BatchSize").asInt());
        assertEquals(2, created.path("MaximumRetryAttempts").asInt());
        assertTrue(created.path("BisectBatchOnFunctionError").asBoolean());
        put(table, "k", "1");
        put(table, "k", "2"); // a MODIFY: filtered out
        await("the INSERT is delivered", () -> RecordingFunction.records(arn).size() == 1);
        JsonNode got = cli("get-event-source-mapping", "--uuid", uuid);
        assertEquals(arn, got.path("EventSourceArn").asText());
        JsonNode listed = cli("list-event-source-mappings", "--event-source-arn", arn);
        assertEquals(uuid, listed.path("EventSourceMappings").get(0).path("UUID").asText());
        assertEquals("Deleting", cli("delete-event-source-mapping", "--uuid", uuid).path("State").asText());
        Thread.sleep(500);
        assertEquals(1, RecordingFunction.records(arn).size(), "the MODIFY never came");
        String error = cliError("get-event-source-mapping", "--uuid", "0c4a5d9e-0000-4000-8000-000000000001");
        assertTrue(error.contains("ResourceNotFoundException"), error);
    }

    private JsonNode cli(String... args) throws Exception {
        Process p = cliProcess(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail("aws lambda " + String.join(" ", args) + " failed: " + err + out);
        }
        return JSON.readTree(out);
    }

    private String cliError(String... args) throws Exception {
        Process p = cliProcess(args);
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() != 0, "the command failed");
        return err;
    }

    private Process cliProcess(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "lambda"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint.toString().replaceAll("/$", ""), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_MAX_ATTEMPTS", "1"));
        return pb.start();
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}

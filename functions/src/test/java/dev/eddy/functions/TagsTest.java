package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * TagResource, UntagResource and ListTagsOfResource, and tags given to CreateTable, with
 * DynamoDB's limits and texts (real-service captures: ack-api-quirks DDB-TABLE-107 and -372).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class TagsTest extends DynamoTestBase {

    private String arn(String table) {
        return dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
    }

    private List<String> tags(String arn) {
        return dynamo.listTagsOfResource(b -> b.resourceArn(arn)).tags().stream()
                .map(t -> t.key() + "=" + t.value()).collect(Collectors.toList());
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    @Test
    void tagsGivenToCreateTableAreListed() {
        String name = uniqueName("tagged");
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .tags(tag("team", "audio"), tag("cost-centre", "42")));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        assertEquals(List.of("team=audio", "cost-centre=42"), tags(arn(name)));
    }

    @Test
    void tagResourceAddsAndReplacesUntagResourceRemoves() {
        String arn = arn(createTable("tags", "pk", ScalarAttributeType.S, null, null));
        assertEquals(List.of(), tags(arn));
        dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("a", "1"), tag("b", ""), tag("ключ café 表", "a+b-c=d.e_f:g/h@i")));
        dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("a", "2")));
        assertEquals(List.of("a=2", "b=", "ключ café 表=a+b-c=d.e_f:g/h@i"), tags(arn));
        // Removing a key the table does not have is no error.
        dynamo.untagResource(b -> b.resourceArn(arn).tagKeys("b", "missing"));
        assertEquals(List.of("a=2", "ключ café 表=a+b-c=d.e_f:g/h@i"), tags(arn));
        assertNull(dynamo.listTagsOfResource(b -> b.resourceArn(arn)).nextToken());
    }

    @Test
    void badTagsAreRefusedAndNothingOfTheCallIsApplied() {
        String arn = arn(createTable("tags", "pk", ScalarAttributeType.S, null, null));
        String longKey = "k".repeat(129);
        assertDynamoError("ValidationException", "The Tag Key provided is invalid, Key: " + longKey,
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("good", "1"), tag(longKey, "v"))));
        assertDynamoError("ValidationException", "The Tag Value provided is invalid, Value: 100%",
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("good", "1"), tag("k", "100%"))));
        assertDynamoError("ValidationException", "The Tag Value provided is invalid, Value: " + "v".repeat(257),
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("k", "v".repeat(257)))));
        assertDynamoError("ValidationException", "Tag Key cannot be prefixed with aws:, Key: aws:zzz",
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("good", "1"), tag("aws:zzz", "v"))));
        assertDynamoError("ValidationException", "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup",
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("dup", "1"), tag("dup", "2"))));
        assertDynamoError("ValidationException", "Atleast one Tag needs to be provided as Input.",
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(List.of())));
        assertDynamoError("ValidationException", "Atleast one Tag Key needs to be provided as Input.",
                () -> dynamo.untagResource(b -> b.resourceArn(arn).tagKeys(List.of())));
        assertEquals(List.of(), tags(arn));
    }

    @Test
    void aTableHoldsAtMostFiftyTags() {
        String arn = arn(createTable("tags", "pk", ScalarAttributeType.S, null, null));
        List<Tag> thirty = IntStream.range(0, 30).mapToObj(i -> tag("k" + i, "v")).toList();
        List<Tag> overlapping = IntStream.range(20, 50).mapToObj(i -> tag("k" + i, "w")).toList();
        dynamo.tagResource(b -> b.resourceArn(arn).tags(thirty));
        dynamo.tagResource(b -> b.resourceArn(arn).tags(overlapping)); // 50 distinct keys: at the limit
        assertEquals(50, tags(arn).size());
        assertDynamoError("ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn",
                () -> dynamo.tagResource(b -> b.resourceArn(arn).tags(tag("one-more", "v"))));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            keys.add("k" + i);
        }
        assertDynamoError("ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn",
                () -> dynamo.untagResource(b -> b.resourceArn(arn).tagKeys(keys)));
        assertEquals(50, tags(arn).size());
    }

    @Test
    void createTableWithBadTagsCreatesNoTable() {
        String name = uniqueName("tagged");
        List<Tag> tooMany = IntStream.range(0, 51).mapToObj(i -> tag("k" + i, "v")).toList();
        assertDynamoError("ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn",
                () -> dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .tags(tooMany)));
        assertDynamoError("ValidationException", "Tag Key cannot be prefixed with aws:, Key: AWS:x",
                () -> dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .tags(tag("AWS:x", "v"))));
        assertDynamoError("ResourceNotFoundException", null, () -> dynamo.describeTable(b -> b.tableName(name)));
    }

    @Test
    void malformedAndUnknownArns() {
        String table = createTable("tags", "pk", ScalarAttributeType.S, null, null);
        String arn = arn(table);
        for (String bad : List.of("not-an-arn", arn + "/index/gsi", arn.replace("us-east-1", "eu-west-1"))) {
            assertDynamoError("ValidationException", "Invalid TableArn: Invalid ResourceArn provided as input " + bad,
                    () -> dynamo.listTagsOfResource(b -> b.resourceArn(bad)));
            assertDynamoError("ValidationException", "Invalid TableArn: Invalid ResourceArn provided as input " + bad,
                    () -> dynamo.tagResource(b -> b.resourceArn(bad).tags(tag("k", "v"))));
        }
        String missing = arn + "x";
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: ResourcArn: " + missing + " not found",
                () -> dynamo.listTagsOfResource(b -> b.resourceArn(missing)));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: ResourcArn: " + missing + " not found",
                () -> dynamo.tagResource(b -> b.resourceArn(missing).tags(tag("k", "v"))));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: ResourcArn: " + missing + " not found",
                () -> dynamo.untagResource(b -> b.resourceArn(missing).tagKeys("k")));
    }
}

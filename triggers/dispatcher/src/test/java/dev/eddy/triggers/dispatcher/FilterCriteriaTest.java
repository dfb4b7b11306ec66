package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** FilterCriteria in Lambda's event filtering syntax, matched against stream records. */
class FilterCriteriaTest extends DispatcherTestBase {

    private static final String RECORD = """
            {"eventID":"1","eventName":"MODIFY","eventSource":"aws:dynamodb","dynamodb":{
              "ApproximateCreationDateTime":1763790000,
              "Keys":{"CustomerName":{"S":"AnyCompany Industries"}},
              "NewImage":{"CustomerName":{"S":"AnyCompany Industries"},"AccountManager":{"S":"Pat Candella"},
                          "Region":{"S":"us-east-1"},"Total":{"N":"150.5"},"Vip":{"BOOL":true},
                          "Tags":{"SS":["gold","east"]},"Lines":{"L":[{"S":"a-1"},{"N":"7"}]},"Note":{"NULL":true},"Empty":{"S":""}},
              "SequenceNumber":"111","SizeBytes":26,"StreamViewType":"NEW_AND_OLD_IMAGES"}}""";

    private static boolean matches(String pattern) throws Exception {
        String criteria = TriggerEndpoint.JSON.writeValueAsString(
                java.util.Map.of("Filters", List.of(java.util.Map.of("Pattern", pattern))));
        JsonNode record = TriggerEndpoint.JSON.readTree(RECORD);
        return FilterCriteria.parse(criteria).matches(record);
    }

    private static String image(String attribute, String type, String conditions) {
        return "{\"dynamodb\":{\"NewImage\":{\"" + attribute + "\":{\"" + type + "\":" + conditions + "}}}}";
    }

    @Test
    void exactValuesOfKeysAndAttributes() throws Exception {
        assertTrue(matches("{\"dynamodb\":{\"Keys\":{\"CustomerName\":{\"S\":[\"AnyCompany Industries\"]}}}}"));
        assertTrue(matches(image("AccountManager", "S", "[\"Shirley Rodriguez\",\"Pat Candella\"]")));
        assertFalse(matches(image("AccountManager", "S", "[\"Shirley Rodriguez\"]")));
        assertTrue(matches("{\"eventName\":[\"INSERT\",\"MODIFY\"]}"));
        assertTrue(matches(image("Vip", "BOOL", "[true]")));
        assertFalse(matches(image("Vip", "BOOL", "[\"true\"]")), "a string never equals a boolean");
        assertTrue(matches(image("Note", "NULL", "[true]")));
        assertTrue(matches(image("Empty", "S", "[\"\"]")));
        assertTrue(matches("{\"eventName\":[\"MODIFY\"],\"dynamodb\":{\"SizeBytes\":[26]}}"), "all fields must match");
        assertFalse(matches("{\"eventName\":[\"MODIFY\"],\"dynamodb\":{\"SizeBytes\":[27]}}"));
    }

    @Test
    void prefixSuffixAndCase() throws Exception {
        assertTrue(matches(image("Region", "S", "[{\"prefix\":\"us-\"}]")));
        assertFalse(matches(image("Region", "S", "[{\"prefix\":\"eu-\"}]")));
        assertTrue(matches(image("Region", "S", "[{\"suffix\":\"-1\"}]")));
        assertTrue(matches(image("AccountManager", "S", "[{\"equals-ignore-case\":\"pat candella\"}]")));
    }

    @Test
    void anythingBut() throws Exception {
        assertTrue(matches(image("AccountManager", "S", "[{\"anything-but\":[\"Shirley Rodriguez\"]}]")));
        assertFalse(matches(image("AccountManager", "S", "[{\"anything-but\":[\"Pat Candella\",\"X\"]}]")));
        assertFalse(matches(image("AccountManager", "S", "[{\"anything-but\":\"Pat Candella\"}]")));
        assertFalse(matches(image("Region", "S", "[{\"anything-but\":{\"prefix\":\"us-\"}}]")));
        assertFalse(matches(image("Missing", "S", "[{\"anything-but\":[\"x\"]}]")), "a missing field matches nothing but exists:false");
    }

    @Test
    void numericRangesReadDynamoDbNumberStrings() throws Exception {
        assertTrue(matches(image("Total", "N", "[{\"numeric\":[\">\",100,\"<=\",150.5]}]")));
        assertFalse(matches(image("Total", "N", "[{\"numeric\":[\"<\",100]}]")));
        assertTrue(matches(image("Total", "N", "[{\"numeric\":[\"=\",150.50]}]")));
        assertTrue(matches("{\"dynamodb\":{\"ApproximateCreationDateTime\":[{\"numeric\":[\">=\",1763790000]}]}}"));
        assertFalse(matches(image("Region", "S", "[{\"numeric\":[\">\",0]}]")), "not a number");
    }

    @Test
    void existsAndArrays() throws Exception {
        assertTrue(matches(image("Region", "S", "[{\"exists\":true}]")));
        assertFalse(matches(image("Missing", "S", "[{\"exists\":true}]")));
        assertTrue(matches(image("Missing", "S", "[{\"exists\":false}]")));
        assertTrue(matches("{\"dynamodb\":{\"OldImage\":[{\"exists\":false}]}}"));
        assertTrue(matches(image("Tags", "SS", "[\"gold\"]")), "an array field matches when one element does");
        assertFalse(matches(image("Tags", "SS", "[\"silver\"]")));
        assertTrue(matches(image("Lines", "L", "{\"N\":[{\"numeric\":[\">\",5]}]}")), "into a list's elements");
        assertFalse(matches(image("Lines", "L", "{\"S\":[\"b-2\"]}")));
    }

    @Test
    void orOfPatterns() throws Exception {
        assertTrue(matches("{\"$or\":[{\"eventName\":[\"INSERT\"]},{\"dynamodb\":{\"SizeBytes\":[26]}}]}"));
        assertFalse(matches("{\"$or\":[{\"eventName\":[\"INSERT\"]},{\"eventName\":[\"REMOVE\"]}]}"));
        String two = "{\"Filters\":[{\"Pattern\":\"{\\\"eventName\\\":[\\\"INSERT\\\"]}\"},"
                + "{\"Pattern\":\"{\\\"eventName\\\":[\\\"MODIFY\\\"]}\"}]}";
        assertTrue(FilterCriteria.parse(two).matches(TriggerEndpoint.JSON.readTree(RECORD)), "filters are or-ed");
    }

    @Test
    void malformedCriteriaAreRefused() {
        for (String bad : List.of("[]", "{\"Filters\":{}}", "{\"Filters\":[{}]}", "{\"Filters\":[{\"Pattern\":\"{\"}]}",
                "{\"Filters\":[{\"Pattern\":\"{\\\"a\\\":\\\"b\\\"}\"}]}", "{\"Filters\":[{\"Pattern\":\"{\\\"a\\\":[]}\"}]}",
                "{\"Filters\":[{\"Pattern\":\"{\\\"a\\\":[{\\\"cidr\\\":\\\"10.0.0.0/8\\\"}]}\"}]}",
                "{\"Filters\":[{\"Pattern\":\"{\\\"a\\\":[{\\\"numeric\\\":[\\\"~\\\",1]}]}\"}]}")) {
            assertThrows(IllegalArgumentException.class, () -> FilterCriteria.parse(bad), bad);
        }
    }

    @Test
    void filteredRecordsNeverReachTheFunctionAndCountAsProcessed() throws Exception {
        ChangeFeed feed = feed(1);
        feed.putWith("a", 1, "status", "shipped").putWith("b", 1, "status", "pending")
                .putWith("c", 1, "status", "shipped-late").putWith("d", 1, "status", "pending").flush();
        String pattern = "{\\\"dynamodb\\\":{\\\"NewImage\\\":{\\\"status\\\":{\\\"S\\\":[{\\\"prefix\\\":\\\"shipped\\\"}]}}}}";
        TriggerDispatcher dispatcher = start(settings("filter-criteria", "{\"Filters\":[{\"Pattern\":\"" + pattern + "\"}]}"));

        await("2 matching records", () -> function.processed().size() == 2);
        await("4 records settled", () -> dispatcher.stats().filtered() == 2);
        assertEquals(List.of("a", "c"), function.processed().stream().map(TriggerEndpoint::pk).toList());
        dispatcher.close();
        assertEquals(4, KafkaBroker.committedOffsets("group-" + name).get(new TopicPartition(topic, 0)).offset(),
                "filtered records are committed past, not read again");
    }
}

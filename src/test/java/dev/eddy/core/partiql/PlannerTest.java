package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.model.AttributeValue;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.partiql.Schemas.json;
import static dev.eddy.core.partiql.Schemas.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which item operation each statement becomes, and the request it is sent as (Developer Guide,
 * "PartiQL select statements for DynamoDB": the whole key is a GetItem, the partition key a Query,
 * anything else a Scan; writes name the whole key).
 */
class PlannerTest {

    private static void assertPlan(String operation, String request, PlannedStatement p) {
        assertEquals(operation, p.operation());
        assertEquals(json(request), p.request());
    }

    @Test
    void equalityOnTheWholeKeyIsAGetItem() {
        PlannedStatement p = plan("SELECT * FROM Music WHERE Artist = 'Acme' AND Year = 2020");
        assertPlan("GetItem", "{'TableName': 'Music', 'Key': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'}}}", p);
        assertTrue(p.isRead());
        assertFalse(p.isPaged());
    }

    @Test
    void keyEqualitiesReadEitherWayRoundAndInAnyCase() {
        PlannedStatement p = plan("select * from \"Music\" where 2020 = \"Year\" and 'Acme' = Artist;");
        assertPlan("GetItem", "{'TableName': 'Music', 'Key': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'}}}", p);
    }

    @Test
    void partitionKeyEqualityIsAQueryWithTheSortKeyRangeAsKeyCondition() {
        assertPlan("Query", "{'TableName': 'Music', 'KeyConditionExpression': '#n0 = :v0',"
                + " 'ExpressionAttributeNames': {'#n0': 'Artist'}, 'ExpressionAttributeValues': {':v0': {'S': 'Acme'}}}",
                plan("SELECT * FROM Music WHERE Artist = 'Acme'"));
        assertPlan("Query", "{'TableName': 'Music', 'KeyConditionExpression': '#n0 = :v0 AND #n1 > :v1',"
                + " 'FilterExpression': '#n2 >= :v2',"
                + " 'ExpressionAttributeNames': {'#n0': 'Artist', '#n1': 'Year', '#n2': 'Rating'},"
                + " 'ExpressionAttributeValues': {':v0': {'S': 'Acme'}, ':v1': {'N': '2000'}, ':v2': {'N': '4'}}}",
                plan("SELECT * FROM Music WHERE Artist = 'Acme' AND 2000 < Year AND Rating >= 4"));
    }

    @Test
    void betweenAndBeginsWithOnTheSortKeyAndOrderByDescending() {
        assertPlan("Query", "{'TableName': 'Music', 'KeyConditionExpression': '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2',"
                + " 'ScanIndexForward': false, 'ExpressionAttributeNames': {'#n0': 'Artist', '#n1': 'Year'},"
                + " 'ExpressionAttributeValues': {':v0': {'S': 'Acme'}, ':v1': {'N': '1990'}, ':v2': {'N': '1999'}}}",
                plan("SELECT * FROM Music WHERE Artist = 'Acme' AND Year BETWEEN 1990 AND 1999 ORDER BY Year DESC"));
    }

    @Test
    void anythingElseIsAScanWithTheWholeWhereAsFilter() {
        assertPlan("Scan", "{'TableName': 'Music'}", plan("SELECT * FROM Music"));
        assertPlan("Scan", "{'TableName': 'Music', 'FilterExpression': '#n0 = :v0 OR #n1 > :v1',"
                + " 'ProjectionExpression': '#n2, #n3.#n4[1]',"
                + " 'ExpressionAttributeNames': {'#n0': 'Artist', '#n1': 'Rating', '#n2': 'Title', '#n3': 'Album',"
                + " '#n4': 'Tracks'}, 'ExpressionAttributeValues': {':v0': {'S': 'Acme'}, ':v1': {'N': '3'}}}",
                plan("SELECT Title, Album.Tracks[1] FROM Music WHERE Artist = 'Acme' OR Rating > 3"));
    }

    @Test
    void aScanFiltersOnKeyEqualitiesToo() {
        assertPlan("Scan", "{'TableName': 'Music', 'FilterExpression': '#n0 IN (:v0, :v1) AND #n1 = :v2',"
                + " 'ExpressionAttributeNames': {'#n0': 'Artist', '#n1': 'Year'}, 'ExpressionAttributeValues':"
                + " {':v0': {'S': 'a'}, ':v1': {'S': 'b'}, ':v2': {'N': '1'}}}",
                plan("SELECT * FROM Music WHERE Artist IN ['a', 'b'] AND Year = 1"));
    }

    @Test
    void aSecondaryIndexIsQueriedByItsOwnKey() {
        PlannedStatement p = plan("SELECT * FROM \"Music\".\"ByGenre\" WHERE Genre = ?", AttributeValue.s("Jazz"));
        assertPlan("Query", "{'TableName': 'Music', 'IndexName': 'ByGenre', 'KeyConditionExpression': '#n0 = :v0',"
                + " 'ExpressionAttributeNames': {'#n0': 'Genre'}, 'ExpressionAttributeValues': {':v0': {'S': 'Jazz'}}}",
                p);
        assertTrue(p.globalIndex());
    }

    @Test
    void conditionsBecomeDynamoDbFunctionsAndOperators() {
        PlannedStatement p = plan("SELECT * FROM Users WHERE nick IS MISSING AND age IS NOT NUMERIC"
                + " AND NOT (a = 1 OR b != 2) AND c IN [1, 2] AND d NOT BETWEEN 1 AND 5 AND begins_with(e, 'x')"
                + " AND SIZE(f) > 3 AND g IS NOT MISSING AND (h = 1 OR h = 2)");
        assertEquals("attribute_not_exists(#n0) AND NOT attribute_type(#n1, :v0) AND NOT (#n2 = :v1 OR #n3 <> :v2)"
                + " AND #n4 IN (:v3, :v4) AND NOT #n5 BETWEEN :v5 AND :v6 AND begins_with(#n6, :v7)"
                + " AND size(#n7) > :v8 AND attribute_exists(#n8) AND (#n9 = :v9 OR #n9 = :v10)",
                p.request().get("FilterExpression").textValue());
        assertEquals(json("{'S': 'N'}"), p.request().at("/ExpressionAttributeValues/:v0"));
    }

    @Test
    void literalsAndParametersBecomeAttributeValues() {
        PlannedStatement p = plan("INSERT INTO Music VALUE {'Artist': ?, 'Year': 2020, 'Tags': <<'b', 'a'>>,"
                + " 'Scores': <<1.50, -2e2>>, 'Info': {'list': [1, true, null, 'x']}, 'Price': -0, 'Cover': ?}",
                AttributeValue.s("Acme"), AttributeValue.b(new byte[] {1, 2}));
        assertPlan("PutItem", "{'TableName': 'Music', 'Item': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'},"
                + " 'Tags': {'SS': ['b', 'a']}, 'Scores': {'NS': ['1.5', '-200']},"
                + " 'Info': {'M': {'list': {'L': [{'N': '1'}, {'BOOL': true}, {'NULL': true}, {'S': 'x'}]}}},"
                + " 'Price': {'N': '0'}, 'Cover': {'B': 'AQI='}},"
                + " 'ConditionExpression': 'attribute_not_exists(#n0)', 'ExpressionAttributeNames': {'#n0': 'Artist'}}",
                p);
        assertTrue(p.insert());
        assertEquals("it's", plan("INSERT INTO Users VALUE {'id': 'it''s'}").key().get("id").s());
    }

    @Test
    void updateSetsRemovesAddsAndChecksTheItemIsThere() {
        PlannedStatement p = plan("UPDATE Music SET Plays = Plays + 1 SET Tags = set_add(Tags, <<'x'>>), "
                + "Genres = set_delete(Genres, ?) REMOVE Obsolete WHERE Artist = 'Acme' AND Year = 2020 AND Plays < 100 "
                + "RETURNING MODIFIED NEW *", AttributeValue.ss(List.of("rock")));
        assertPlan("UpdateItem", "{'TableName': 'Music', 'Key': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'}},"
                + " 'UpdateExpression': 'SET #n0 = #n0 + :v0 REMOVE #n3 ADD #n1 :v1 DELETE #n2 :v2',"
                + " 'ConditionExpression': 'attribute_exists(#n4) AND #n0 < :v3', 'ReturnValues': 'UPDATED_NEW',"
                + " 'ExpressionAttributeNames': {'#n0': 'Plays', '#n1': 'Tags', '#n2': 'Genres', '#n3': 'Obsolete',"
                + " '#n4': 'Artist'}, 'ExpressionAttributeValues': {':v0': {'N': '1'}, ':v1': {'SS': ['x']},"
                + " ':v2': {'SS': ['rock']}, ':v3': {'N': '100'}}}", p);
        assertEquals(json("{'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'}}"), JsonValues.item(p.key()));
    }

    @Test
    void deleteTakesItsKeyAndAnyFurtherCondition() {
        // A missing item is deleted without complaint, whatever the rest of the WHERE says.
        assertPlan("DeleteItem", "{'TableName': 'Users', 'Key': {'id': {'S': 'u1'}}, 'ReturnValues': 'ALL_OLD',"
                + " 'ConditionExpression': 'attribute_not_exists(#n1) OR attribute_exists(#n0)',"
                + " 'ExpressionAttributeNames': {'#n0': 'email', '#n1': 'id'}}",
                plan("DELETE FROM Users WHERE id = 'u1' AND attribute_exists(email) RETURNING ALL OLD *"));
        assertPlan("DeleteItem", "{'TableName': 'Users', 'Key': {'id': {'S': 'u1'}}}",
                plan("DELETE FROM Users WHERE id = 'u1' AND id = 'u1'"));
    }

    @Test
    void aSelectListReturnsEachValueUnderItsLastName() {
        PlannedStatement p = plan("SELECT a.b, c[1], d FROM Users WHERE id = 'u1'");
        JsonNode projected = json("{'a': {'M': {'b': {'S': 'x'}}}, 'c': {'L': [{'N': '2'}]}, 'd': {'BOOL': true}}");
        assertEquals(json("{'b': {'S': 'x'}, 'c[1]': {'N': '2'}, 'd': {'BOOL': true}}"),
                p.selectList().shape(projected));
        assertEquals(json("{}"), p.selectList().shape(json("{}")));
        assertNull(plan("SELECT * FROM Users").request().get("ProjectionExpression"));
    }

    @Test
    void commentsAndNewlinesAreSpace() {
        assertPlan("GetItem", "{'TableName': 'Users', 'Key': {'id': {'S': 'u1'}}}",
                plan("SELECT * -- everything\nFROM Users /* the users\n table */ WHERE id = 'u1'"));
    }
}

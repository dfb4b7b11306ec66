package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.eddy.core.partiql.Schemas.json;
import static dev.eddy.core.partiql.Schemas.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ExecuteTransaction's statements as the TransactWriteItems or TransactGetItems request they are
 * sent as: each statement the Put, Update, Delete, ConditionCheck or Get its plan describes.
 */
class TransactionTranslationTest {

    private static List<PlannedStatement> planAll(String... statements) {
        return Arrays.stream(statements).map(s -> plan(Planner.Mode.TRANSACTION, s)).toList();
    }

    @Test
    void writesAndChecksBecomeOneTransactWriteItems() {
        List<PlannedStatement> planned = planAll(
                "INSERT INTO Users VALUE {'id': 'u2', 'name': 'Ann'}",
                "UPDATE Music SET Plays = Plays + 1 WHERE Artist = 'Acme' AND Year = 2020",
                "DELETE FROM Users WHERE id = 'u3' AND active = false",
                "EXISTS(SELECT * FROM Music WHERE Artist = 'Acme' AND Year = 2019 AND Plays > 10)");
        assertEquals(Transactions.WRITE, Transactions.operation(planned));
        assertEquals(json("{'TransactItems': ["
                        + "{'Put': {'TableName': 'Users', 'Item': {'id': {'S': 'u2'}, 'name': {'S': 'Ann'}},"
                        + " 'ConditionExpression': 'attribute_not_exists(#n0)', 'ExpressionAttributeNames': {'#n0': 'id'}}},"
                        + "{'Update': {'TableName': 'Music', 'Key': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'}},"
                        + " 'UpdateExpression': 'SET #n0 = #n0 + :v0', 'ConditionExpression': 'attribute_exists(#n1)',"
                        + " 'ExpressionAttributeNames': {'#n0': 'Plays', '#n1': 'Artist'},"
                        + " 'ExpressionAttributeValues': {':v0': {'N': '1'}},"
                        + " 'ReturnValuesOnConditionCheckFailure': 'ALL_OLD'}},"
                        + "{'Delete': {'TableName': 'Users', 'Key': {'id': {'S': 'u3'}},"
                        + " 'ConditionExpression': 'attribute_not_exists(#n1) OR #n0 = :v0',"
                        + " 'ExpressionAttributeNames': {'#n0': 'active', '#n1': 'id'},"
                        + " 'ExpressionAttributeValues': {':v0': {'BOOL': false}}}},"
                        + "{'ConditionCheck': {'TableName': 'Music', 'Key': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2019'}},"
                        + " 'ConditionExpression': 'attribute_exists(#n0) AND #n1 > :v0',"
                        + " 'ExpressionAttributeNames': {'#n0': 'Artist', '#n1': 'Plays'},"
                        + " 'ExpressionAttributeValues': {':v0': {'N': '10'}}}}],"
                        + " 'ClientRequestToken': 'token-1', 'ReturnConsumedCapacity': 'TOTAL'}"),
                Transactions.request(planned, Arrays.asList(null, "ALL_OLD", null, null), "token-1", "TOTAL"));
    }

    @Test
    void singleItemSelectsBecomeOneTransactGetItems() {
        List<PlannedStatement> planned = planAll("SELECT * FROM Users WHERE id = 'u1'",
                "SELECT Title, Album.Tracks[0] FROM Music WHERE Artist = 'Acme' AND Year = 2020");
        assertEquals(Transactions.GET, Transactions.operation(planned));
        assertEquals(json("{'TransactItems': ["
                        + "{'Get': {'TableName': 'Users', 'Key': {'id': {'S': 'u1'}}}},"
                        + "{'Get': {'TableName': 'Music', 'Key': {'Artist': {'S': 'Acme'}, 'Year': {'N': '2020'}},"
                        + " 'ProjectionExpression': '#n0, #n1.#n2[0]',"
                        + " 'ExpressionAttributeNames': {'#n0': 'Title', '#n1': 'Album', '#n2': 'Tracks'}}}]}"),
                Transactions.request(planned, Arrays.asList(null, null), "ignored-for-reads", null));

        JsonNode reply = json("{'Responses': [{'Item': {'id': {'S': 'u1'}}},"
                + " {'Item': {'Title': {'S': 'T'}, 'Album': {'M': {'Tracks': {'L': [{'S': 'one'}]}}}}}]}");
        assertEquals(List.of(json("{'Item': {'id': {'S': 'u1'}}}"),
                        json("{'Item': {'Title': {'S': 'T'}, 'Tracks[0]': {'S': 'one'}}}")),
                Transactions.responses(planned, reply));
        assertEquals(List.of(json("{}"), json("{}")), Transactions.responses(planned, json("{'Responses': [{}, {}]}")));
    }
}

package dev.eddy.core.partiql;

import dev.eddy.core.model.AttributeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.eddy.core.partiql.Schemas.assertValidation;
import static dev.eddy.core.partiql.Schemas.plan;

/**
 * DynamoDB's PartiQL errors, statement by statement. Every expected text is what DynamoDB Local
 * 2.6.1 answered to the same statement on tables of the same shape (its PartiQL translator is the
 * one DynamoDB ships); positions are " at line:column:length" in the statement.
 */
class StatementErrorsTest {
    private static final String NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELEC * FROM Users",
        "SELECT * FROM Users WHERE",
        "SELECT FROM Users",
        "SELECT *, v FROM Users",
        "SELECT size FROM Users",
        "SELECT m.b[*] FROM Users WHERE id = 'a'",
        "SELECT * FROM Users WHERE id = 'a' AND size = 1",
        "SELECT * FROM Users WHERE missing(v)",
        "SELECT * FROM Users WHERE id = 'a' RETURNING ALL OLD *",
        "SELECT * FROM Users; SELECT * FROM Users",
        "INSERT INTO Users VALUES {'id': 'a'}",
        "INSERT INTO Users VALUE {'id': 'a'} WHERE id = 'a'",
        "INSERT INTO Users VALUE {'id': 'a'}, {'id': 'b'}",
        "UPDATE Users SET v IS MISSING WHERE id = 'a'",
        "UPDATE Users REMOVE a, b WHERE id = 'a'",
        "UPDATE Users SET v += 1 WHERE id = 'a'",
        "UPDATE Users ADD v 1 WHERE id = 'a'",
        "UPDATE Users SET v = 1 WHERE id = 'a' RETURNING UPDATED NEW *",
        "DELETE * FROM Users WHERE id = 'a'",
        "SELECT * FROM Users WHERE v = 'unterminated",
        "SELECT * FROM Users WHERE v = `1`",
        "``",
    })
    void statementsThatDoNotParse(String statement) {
        assertValidation(NOT_WELL_FORMED + statement, () -> plan(statement));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELEC|Unsupported operation: VariableReference",
        "`'a'`|Unsupported operation: Literal",
        "[1]|Unsupported operation: Seq",
        "x.y|Unsupported operation: Path",
        "CREATE TABLE foo|Unsupported operation: CreateTable",
        "INSERT INTO Users VALUES (1)|Unsupported operation: InsertOp",
        "INSERT INTO Users <<{}>>|Unsupported operation: InsertOp",
        "1 + 1|EXISTS can only be used in ExecuteTransaction write requests.",
        "EXISTS(SELECT * FROM Users WHERE id = '1' AND v = 1)|EXISTS can only be used in ExecuteTransaction write requests.",
    })
    void statementsThatAreNoneOfTheFour(String statement, String message) {
        assertValidation(message, () -> plan(statement));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT COUNT(*) FROM Users|Unexpected path component at 1:8:5",
        "SELECT 1 FROM Users WHERE id = 'a'|Unexpected path component at 1:8:1",
        "SELECT v+1 FROM Users WHERE id = 'a'|Unexpected path component at 1:9:1",
        "SELECT m.* FROM Users WHERE id = 'a'|Changing item's hierarchy while reading isn't supported",
        "SELECT v AS x FROM Users WHERE id = 'a'|Aliasing is not supported",
        "SELECT * FROM Users u WHERE u.id = 'a'|Aliasing is not supported",
        "SELECT VALUE v FROM Users|Select projection doesn't support value or pivot keywords",
        "SELECT DISTINCT v FROM Users|Unsupported token in expression: DISTINCT",
        "SELECT v, v FROM Users|Duplicate identifiers in select clause: v",
        "SELECT m.b, b FROM Users|Duplicate identifiers in select clause: b",
        "SELECT * FROM Users, Music|Only select from a single table or index is supported.",
        "SELECT * FROM \"Music\".\"a\".\"b\"|A path may contain at most 2 components in the FROM clause",
        "SELECT * FROM \"bad name\"|Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
        "SELECT * FROM \"ab\"|Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
        "SELECT * FROM (SELECT * FROM Users)|Unexpected from source",
        "SELECT * FROM [1]|Unexpected from source",
        "SELECT * FROM Users WHERE id = '1' GROUP BY id|Unsupported clause: GROUP BY",
        "SELECT * FROM Users LIMIT 1|Unsupported clause: LIMIT at 1:27:1",
        "SELECT * FROM Music ORDER BY Year DESC|Must have WHERE clause in the statement when using ORDER BY clause.",
        "SELECT * FROM Music WHERE Artist = 'a' ORDER BY Rating|Variable reference Rating in ORDER BY clause must be part of the primary key",
        "SELECT * FROM Music WHERE Rating > 1 ORDER BY Year|Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
        "SELECT * FROM Music WHERE Artist = 1|Key attribute's data type should match its data type in table's schema: Key Artist",
        "SELECT * FROM Music WHERE Artist = 'a' AND Year = '1'|Key attribute's data type should match its data type in table's schema: Key Year",
        "SELECT * FROM Music WHERE Artist = 'a' AND begins_with(Year, '1')|Key attribute's data type should match its data type in table's schema: Key Year",
        "SELECT * FROM Users WHERE id = ?|Number of parameters in request and statement don't match.",
        "SELECT * FROM Users WHERE v|WHERE clause must contain an expression that resolves to a boolean",
        "SELECT * FROM Users WHERE 1|WHERE clause must contain an expression that resolves to a boolean",
        "SELECT * FROM Users WHERE id = 'a' AND v|The arguments to AND/OR must be Expressions",
        "SELECT * FROM Users WHERE NOT v|The argument to NOT must be a Type or Expression",
        "SELECT * FROM Users WHERE v + 1 = 6|Unsupported operator in Condition Expression. Operator: +",
        "SELECT * FROM Users WHERE v LIKE 'x%'|Unsupported operator in Condition Expression. Operator: like",
        "SELECT * FROM Users WHERE foo(v)|Unrecognized function: foo",
        "SELECT * FROM Users WHERE exists(v)|Unrecognized function: exists",
        "SELECT * FROM Users WHERE lower(s) = 'x'|Unrecognized function: lower",
        "SELECT * FROM Users WHERE count(v) = 1|Unsupported token in expression: count at 1:27:5",
        "SELECT * FROM Users WHERE v = MISSING|MISSING must be compared using IS operator",
        "SELECT * FROM Users WHERE v IN v|IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member",
        "SELECT * FROM Users WHERE v IS INT|Unsupported data type for IS operator: INTEGER. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST] at 1:29:2",
        "SELECT * FROM Users WHERE v IS BAG|Unsupported data type for IS operator: BAG. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST] at 1:29:2",
    })
    void selectErrors(String statement, String message) {
        assertValidation(message, () -> plan(statement));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "INSERT INTO Music VALUE {'Artist': 'a'}|Key attribute should be present in the item: Key Year",
        "INSERT INTO Music VALUE {'Artist': 'a', 'Year': 'x'}|Key attribute's data type should match its data type in table's schema: Key Year",
        "INSERT INTO Users VALUE ?|Unsupported format in item expression. Please use struct format {...} to express item values for insert statement. at 1:25:1",
        "INSERT INTO Users VALUE [1]|Unsupported format in item expression. Please use struct format {...} to express item values for insert statement. at 1:25:1",
        "INSERT INTO Users VALUE {'id':'e', 'id': 'f'}|Duplicate keys in tuple. Key: id under root at 1:36:4",
        "INSERT INTO Users VALUE {'id':'z1','m':{'a':1,'a':2}}|Duplicate keys in tuple. Key: a under root at 1:40:1",
        "INSERT INTO Users VALUE {'id':'z1','m':{'a':{'b':1,'b':2}}}|Duplicate keys in tuple. Key: b under root.a at 1:45:1",
        "INSERT INTO Users VALUE {'id':'z1','m':[{'b':1,'b':2}]}|Duplicate keys in tuple. Key: b under root.0 at 1:41:1",
        "INSERT INTO Users VALUE {'id':'e', 'x': missing}|Unsupported data type: MISSING under key root at 1:41:7",
        "INSERT INTO Users VALUE {'id':'z1','m':{'a':missing}}|Unsupported data type: LiteralMissing under key root.a at 1:45:7",
        "INSERT INTO Users VALUE {'id':'z1','m':{x:1}}|Tuple keys must be of type String. Actual type: VariableReference under root at 1:41:1",
        "INSERT INTO Users VALUE {'id':'z1','m':{1.5:1}}|Tuple keys must be of type String. Actual type: DECIMAL under root at 1:41:3",
        "INSERT INTO Users VALUE {'id':'z1','m':v}|Unsupported data type: v under key root at 1:40:1",
        "INSERT INTO Users VALUE {'id':'z1','m':1+1}|Unsupported data type: + under key root at 1:41:1",
        "INSERT INTO Users VALUE {'id':'z1','m':-0.0}|Negative zero decimal is not supported under key root at 1:41:3",
        "INSERT INTO Users VALUE {'id':'e', 'x': <<>>}|Empty bags are not supported at 1:41:2",
        "INSERT INTO Users VALUE {'id':'e', 'x': <<'a', 'a'>>}|Input collection contains duplicates",
        "INSERT INTO Users VALUE {'id':'e', 'x': <<1, 1.0>>}|Input collection contains duplicates",
        "INSERT INTO Users VALUE {'id':'e', 'x': <<1, 'a'>>}|Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
        "INSERT INTO Users VALUE {'id':'e', 'x': <<true>>}|Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags at 1:43:4",
        "INSERT INTO Users VALUE {'id':'e', 'x': 1e400}|Number overflow. Attempting to store a number with magnitude larger than supported range",
        "INSERT INTO Users VALUE {'id':'e', 'x': 123456789012345678901234567890123456789}|DynamoDB only supports precision up to 38 digits",
        "INSERT INTO \"Music\".\"ByGenre\" VALUE {'Artist': 'a', 'Year': 1}|FROM clause may only contain a single table name in data manipulation statements",
        "INSERT INTO Users VALUE {'id': 'a'} RETURNING ALL OLD *|RETURNING is not supported in INSERT",
    })
    void insertErrors(String statement, String message) {
        assertValidation(message, () -> plan(statement));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "UPDATE Music SET v = 1 WHERE Artist = 'a'|Where clause does not contain a mandatory equality on all key attributes",
        "UPDATE Music SET v = 1 WHERE Artist = 'a' OR Year = 2|Where clause does not contain a mandatory equality on all key attributes",
        "UPDATE Music SET v = 1 WHERE Artist = 'a' AND Year > 2|Where clause does not contain a mandatory equality on all key attributes",
        "UPDATE Music SET v = 1|Where clause does not contain a mandatory equality on all key attributes",
        "DELETE FROM Music WHERE Artist = 'a'|Where clause does not contain a mandatory equality on all key attributes",
        "UPDATE Music SET v = 1 WHERE Artist = 'a' AND Year = 2 AND Year = 3|Multiple conditions on same key Year. Only single item Update/Insert/Delete are supported",
        "UPDATE \"Music\".\"ByGenre\" SET v = 1 WHERE Artist = 'a' AND Year = 2|This operation is not supported on an index",
        "UPDATE Music SET v = 1 WHERE Artist = 1 AND Year = 2|Key attribute's data type should match its data type in table's schema: Key Artist",
        "UPDATE Users SET v = 1 WHERE id = 'a' RETURNING ALL OLD *, ALL NEW *|Invalid syntax with multiple returning elements in RETURNING clause",
        "DELETE FROM Users WHERE id = 'a' RETURNING ALL NEW *|Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
        "DELETE FROM Users WHERE id = 'a' RETURNING MODIFIED OLD *|Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
        "UPDATE Users SET v = v * 2 WHERE id = 'a'|Unsupported operator in Update Expression. Operator: *",
        "UPDATE Users SET ss = set_add(ss) WHERE id='u1'|SET_ADD must have exactly two arguments at 1:23:7",
        "UPDATE Users SET ss = set_add(l, <<'b'>>) WHERE id = 'u1'|The first argument to SET_ADD must equal the assignment value",
        "UPDATE Users SET ss = set_add(ss, 'b') WHERE id='u1'|The second argument to SET_ADD must be a value with type SET at 1:31:2",
        "UPDATE Users SET v = -v WHERE id = 'u1'|Incorrect number of operands for operator or function; operator or function: -, number of operands: 1",
        "UPDATE Users SET v = MISSING WHERE id = 'u1'|MISSING must be compared using IS operator",
        "UPDATE Users SET v = lower(v) WHERE id = 'u1'|Unrecognized function: lower",
        "UPDATE Users SET v = size(v) WHERE id = 'u1' AND pk.x = 1|Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key id",
    })
    void updateAndDeleteErrors(String statement, String message) {
        assertValidation(message, () -> plan(statement.replace("pk.x", "id.x")));
    }

    @Test
    void returningNamesAllOrNothing() {
        assertValidation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
                () -> plan("UPDATE Users SET v = 1 WHERE id = 'a' RETURNING ALL OLD v"));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT * FROM Music WHERE Artist = 'a'|Only single item select is supported",
        "SELECT * FROM Users WHERE id = '1' AND x = 1|Only single item select is supported",
        "SELEC|Invalid operation. Only select, insert, update and delete operations are valid",
        "EXISTS(SELECT * FROM Users WHERE id = '1' AND v = 1)|EXISTS can only be used in ExecuteTransaction write requests.",
        "1 + 1|EXISTS can only be used in ExecuteTransaction write requests.",
    })
    void batchErrors(String statement, String message) {
        assertValidation(message, () -> plan(Planner.Mode.BATCH, statement));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT * FROM Music WHERE Artist = 'a'|Select statements within ExecuteTransaction must specify the primary key in the where clause.",
        "SELECT * FROM Users WHERE id = '1' AND x = 5|Select statements within ExecuteTransaction must specify the primary key in the where clause.",
        "SELECT * FROM \"Music\".\"ByGenre\" WHERE Genre = 'x'|Reads on indices are not supported within transactions.",
        "EXISTS(SELECT * FROM Users WHERE id = '1')|EXISTS() must contain a single item read with additional condition",
        "EXISTS(SELECT * FROM Music WHERE Artist = 'a' AND v = 1)|EXISTS() must contain a single item read with additional condition",
        "NOT EXISTS(SELECT * FROM Users WHERE id = '1' AND v = 1)|Unsupported operation in transaction.",
        "1 + 1|Unsupported operation in transaction.",
        "SELEC|Unsupported operation: VariableReference",
        "UPDATE Users SET x = 5 WHERE id = '1' RETURNING ALL NEW *|RETURNING clause is not supported in ExecuteTransaction.",
    })
    void transactionErrors(String statement, String message) {
        assertValidation(message, () -> plan(Planner.Mode.TRANSACTION, statement));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT m.b[?] FROM Users WHERE id = 'a'|Unexpected path component at 1:12:1",
        "UPDATE Users SET ss = set_add(ss, ?) WHERE id = 'u1'|The second argument to SET_ADD must be a value with type SET at 1:31:2",
    })
    void parameterErrors(String statement, String message) {
        assertValidation(message, () -> plan(statement, AttributeValue.n("0")));
    }
}

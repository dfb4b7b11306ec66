package dev.eddy.core.error;

import java.util.List;

/**
 * The errors of DynamoDB's PartiQL operations (ExecuteStatement, BatchExecuteStatement,
 * ExecuteTransaction). Texts are those of DynamoDB's PartiQL translator as DynamoDB Local 2.6.1
 * answers them; many end in " at line:column:length", the place in the statement they point to,
 * which callers pass in already rendered.
 */
public final class PartiqlErrors {
    /** The prefixes DynamoDB drops when an expression error surfaces through a statement. */
    private static final List<String> EXPRESSION_PREFIXES = List.of("Invalid ConditionExpression: ",
            "Invalid FilterExpression: ", "Invalid KeyConditionExpression: ", "Invalid UpdateExpression: ",
            "Invalid ProjectionExpression: ");

    private PartiqlErrors() {
    }

    // --- the statement as a whole -------------------------------------------------------------

    public static DynamoException notWellFormed(String statement) {
        return Errors.validation("Statement wasn't well formed, can't be processed: " + statement);
    }

    /** @param kind what the statement is instead of a DML statement: Literal, Path, CreateTable, ... */
    public static DynamoException unsupportedOperation(String kind) {
        return Errors.validation("Unsupported operation: " + kind);
    }

    public static DynamoException existsOutsideTransaction() {
        return Errors.validation("EXISTS can only be used in ExecuteTransaction write requests.");
    }

    public static DynamoException parameterCount() {
        return Errors.validation("Number of parameters in request and statement don't match.");
    }

    /** A number Parameter whose text is no number. */
    public static DynamoException parameterNotANumber() {
        return Errors.validation("A value provided cannot be converted into a number");
    }

    /** @param constraint e.g. "Member must have length less than or equal to 8192" */
    public static DynamoException tooLong(String constraint) {
        return Errors.validation(constraint);
    }

    public static DynamoException unsupportedClause(String clause, String at) {
        return Errors.validation("Unsupported clause: " + clause + at);
    }

    public static DynamoException unsupportedToken(String token, String at) {
        return Errors.validation("Unsupported token in expression: " + token + at);
    }

    // --- FROM ---------------------------------------------------------------------------------

    public static DynamoException invalidTableName() {
        return Errors.validation("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', "
                + "'0-9', '-', '_', '.'.");
    }

    public static DynamoException tooManyFromComponents() {
        return Errors.validation("A path may contain at most 2 components in the FROM clause");
    }

    public static DynamoException unexpectedFromSource() {
        return Errors.validation("Unexpected from source");
    }

    public static DynamoException multipleSources() {
        return Errors.validation("Only select from a single table or index is supported.");
    }

    public static DynamoException dmlOnIndexName() {
        return Errors.validation("FROM clause may only contain a single table name in data manipulation statements");
    }

    public static DynamoException operationOnIndex() {
        return Errors.validation("This operation is not supported on an index");
    }

    public static DynamoException aliasing() {
        return Errors.validation("Aliasing is not supported");
    }

    // --- SELECT -------------------------------------------------------------------------------

    public static DynamoException unexpectedPathComponent(String at) {
        return Errors.validation("Unexpected path component" + at);
    }

    public static DynamoException valueOrPivot() {
        return Errors.validation("Select projection doesn't support value or pivot keywords");
    }

    public static DynamoException hierarchyChange() {
        return Errors.validation("Changing item's hierarchy while reading isn't supported");
    }

    public static DynamoException duplicateSelectName(String name) {
        return Errors.validation("Duplicate identifiers in select clause: " + name);
    }

    public static DynamoException orderByWithoutWhere() {
        return Errors.validation("Must have WHERE clause in the statement when using ORDER BY clause.");
    }

    public static DynamoException orderByWithoutHashKey() {
        return Errors.validation("Must have at least one non-optional hash key condition in WHERE clause when using "
                + "ORDER BY clause.");
    }

    public static DynamoException orderByNotKey(String name) {
        return Errors.validation("Variable reference " + name + " in ORDER BY clause must be part of the primary key");
    }

    public static DynamoException orderByNotReference(String type) {
        return Errors.validation("Argument to ORDER BY must be of type VariableReference. Type: " + type);
    }

    public static DynamoException consistentReadOnGlobalIndex() {
        return Errors.validation("Strongly consistent read is not supported on Global Secondary Indexes");
    }

    public static DynamoException invalidNextToken() {
        return Errors.validation("Invalid NextToken");
    }

    public static DynamoException nextTokenMismatch() {
        return Errors.validation("NextToken does not match request");
    }

    // --- WHERE and expressions ----------------------------------------------------------------

    public static DynamoException incompleteKey() {
        return Errors.validation("Where clause does not contain a mandatory equality on all key attributes");
    }

    public static DynamoException multipleKeyConditions(String key) {
        return Errors.validation("Multiple conditions on same key " + key
                + ". Only single item Update/Insert/Delete are supported");
    }

    public static DynamoException nestedKeyPath(String key) {
        return Errors.validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
                + "allowed: Key " + key);
    }

    public static DynamoException keyTypeMismatch(String key) {
        return Errors.validation("Key attribute's data type should match its data type in table's schema: Key " + key);
    }

    public static DynamoException keyMissing(String key) {
        return Errors.validation("Key attribute should be present in the item: Key " + key);
    }

    public static DynamoException whereNotBoolean() {
        return Errors.validation("WHERE clause must contain an expression that resolves to a boolean");
    }

    public static DynamoException andOrOperand() {
        return Errors.validation("The arguments to AND/OR must be Expressions");
    }

    public static DynamoException notOperand() {
        return Errors.validation("The argument to NOT must be a Type or Expression");
    }

    public static DynamoException conditionOperator(String operator) {
        return Errors.validation("Unsupported operator in Condition Expression. Operator: " + operator);
    }

    public static DynamoException updateOperator(String operator) {
        return Errors.validation("Unsupported operator in Update Expression. Operator: " + operator);
    }

    public static DynamoException unrecognizedFunction(String name) {
        return Errors.validation("Unrecognized function: " + name);
    }

    public static DynamoException invalidIn() {
        return Errors.validation("IN operator must have a left hand argument of type Variable Reference and right hand "
                + "argument of type Seq with at least one member");
    }

    public static DynamoException missingCompared() {
        return Errors.validation("MISSING must be compared using IS operator");
    }

    public static DynamoException isOperand() {
        return Errors.validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path");
    }

    public static DynamoException isInUpdate() {
        return Errors.validation("IS operator is not supported in update expressions");
    }

    public static DynamoException isType(String type, String at) {
        return Errors.validation("Unsupported data type for IS operator: " + type + ". Supported data types are "
                + "[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]" + at);
    }

    public static DynamoException unpivotPath() {
        return Errors.validation("Unpivot path component like a.*.b are not supported");
    }

    public static DynamoException emptyPathComponent() {
        return Errors.validation("Path component cannot be an empty string");
    }

    // --- values -------------------------------------------------------------------------------

    public static DynamoException itemNotStruct(String at) {
        return Errors.validation("Unsupported format in item expression. Please use struct format {...} to express "
                + "item values for insert statement." + at);
    }

    /** @param under where the tuple sits: "root", or "root.a" inside attribute value a, "root.0" in a list */
    public static DynamoException duplicateTupleKey(String key, String under, String at) {
        return Errors.validation("Duplicate keys in tuple. Key: " + key + " under " + under + at);
    }

    public static DynamoException tupleKeyType(String type, String under, String at) {
        return Errors.validation("Tuple keys must be of type String. Actual type: " + type + " under " + under + at);
    }

    public static DynamoException unsupportedValue(String what, String under, String at) {
        return Errors.validation("Unsupported data type: " + what + " under key " + under + at);
    }

    public static DynamoException negativeZero(String under, String at) {
        return Errors.validation("Negative zero decimal is not supported under key " + under + at);
    }

    public static DynamoException emptyBag(String at) {
        return Errors.validation("Empty bags are not supported" + at);
    }

    public static DynamoException bagMemberType(String at) {
        return Errors.validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in "
                + "bags" + at);
    }

    public static DynamoException bagDuplicates() {
        return Errors.validation("Input collection contains duplicates");
    }

    // --- UPDATE, DELETE, INSERT ---------------------------------------------------------------

    /** @param function SET_ADD or SET_DELETE */
    public static DynamoException setFunctionArguments(String function, String at) {
        return Errors.validation(function + " must have exactly two arguments" + at);
    }

    public static DynamoException setFunctionTarget(String function) {
        return Errors.validation("The first argument to " + function + " must equal the assignment value");
    }

    public static DynamoException setFunctionValue(String function, String at) {
        return Errors.validation("The second argument to " + function + " must be a value with type SET" + at);
    }

    public static DynamoException returningNotStar() {
        return Errors.validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    }

    public static DynamoException returningMultiple() {
        return Errors.validation("Invalid syntax with multiple returning elements in RETURNING clause");
    }

    public static DynamoException returningInInsert() {
        return Errors.validation("RETURNING is not supported in INSERT");
    }

    /** @param returning as written, e.g. "ALL NEW *" */
    public static DynamoException returningInDelete(String returning) {
        return Errors.validation("Invalid returning clause: RETURNING " + returning
                + ". Only RETURNING ALL OLD * is allowed in DELETE statements.");
    }

    /**
     * INSERT of an item whose key is taken. DynamoDB's API reference names the type
     * DuplicateItemException (DynamoDB Local sends "DuplicateItem"); the SDKs map the former.
     */
    public static DynamoException duplicateItem() {
        return new DynamoException(DynamoException.DYNAMODB, "DuplicateItemException",
                "Duplicate primary key exists in table", 400);
    }

    // --- BatchExecuteStatement ----------------------------------------------------------------

    public static DynamoException emptyBatch() {
        return Errors.validation("The statement was empty.");
    }

    public static DynamoException notDml() {
        return Errors.validation("Invalid operation. Only select, insert, update and delete operations are valid");
    }

    public static DynamoException batchMixesReadsAndWrites() {
        return Errors.validation("Read and write requests together in the same batch is not supported.");
    }

    public static DynamoException tooManyBatchReads() {
        return Errors.validation("BatchGetItem cannot fetch more than 25 items");
    }

    public static DynamoException tooManyBatchWrites() {
        return Errors.validation("BatchWriteItem cannot write more than 25 items");
    }

    public static DynamoException batchSelectNotSingleItem() {
        return Errors.validation("Only single item select is supported");
    }

    // --- ExecuteTransaction -------------------------------------------------------------------

    public static DynamoException emptyTransaction() {
        return Errors.validation("ExecutePartiQLTransaction can not have empty statement.");
    }

    public static DynamoException transactionMixesReadsAndWrites() {
        return Errors.validation("ExecuteTransaction API does not support both read and write operations in the same "
                + "request.");
    }

    public static DynamoException unsupportedInTransaction() {
        return Errors.validation("Unsupported operation in transaction.");
    }

    public static DynamoException returningInTransaction() {
        return Errors.validation("RETURNING clause is not supported in ExecuteTransaction.");
    }

    public static DynamoException transactionSelectNotSingleItem() {
        return Errors.validation("Select statements within ExecuteTransaction must specify the primary key in the "
                + "where clause.");
    }

    public static DynamoException transactionReadOnIndex() {
        return Errors.validation("Reads on indices are not supported within transactions.");
    }

    public static DynamoException transactionCheckOnIndex() {
        return Errors.validation("Operations on indices are not supported in transactions");
    }

    public static DynamoException existsWithoutCondition() {
        return Errors.validation("EXISTS() must contain a single item read with additional condition");
    }

    /** A validation error of one statement, reported with its place in TransactStatements. */
    public static DynamoException inTransactionStatement(int index, DynamoException e) {
        return Errors.validation("Validation failed in TransactStatements[" + index + "]: " + e.getMessage());
    }

    /** Eddy's own text: the transaction operation a statement list translates into is not there. */
    public static DynamoException transactionsUnavailable(String operation) {
        return Errors.validation("ExecuteTransaction is not supported yet: it runs as " + operation
                + ", which this server does not implement");
    }

    // --- errors of the item operations a statement runs as ------------------------------------

    /**
     * An error of the GetItem, Query, Scan, PutItem, UpdateItem or DeleteItem a statement became,
     * as the statement reports it: an expression error loses its "Invalid &lt;member&gt;: " prefix
     * (the member is not one the caller sent), everything else is unchanged.
     */
    public static DynamoException fromItemOperation(DynamoException e) {
        String message = e.getMessage();
        if (message == null || !"ValidationException".equals(e.type())) {
            return e;
        }
        for (String prefix : EXPRESSION_PREFIXES) {
            if (message.startsWith(prefix)) {
                return Errors.validation(message.substring(prefix.length()));
            }
        }
        return e;
    }

    /**
     * The Code of a per-statement Error in BatchExecuteStatement (BatchStatementErrorCodeEnum): the
     * error type without "Exception", ValidationError for validation.
     */
    public static String batchErrorCode(DynamoException e) {
        return switch (e.type()) {
            case "ValidationException" -> "ValidationError";
            case "ThrottlingException" -> "ThrottlingError";
            // the enum has no ServiceUnavailable: a store out of reach or a statement past its time is the server's
            case "InternalServerError", "ServiceUnavailable" -> "InternalServerError";
            default -> e.type().endsWith("Exception") ? e.type().substring(0, e.type().length() - "Exception".length())
                    : e.type();
        };
    }
}

package dev.eddy.core.error;

import java.util.List;

/**
 * Every DynamoDB error type and message text Eddy produces, in one place. The texts follow what
 * DynamoDB answers, including its odd spacing, because client code and tests match on them.
 */
public final class Errors {
    private Errors() {
    }

    // --- protocol -----------------------------------------------------------------------------

    /** A member of the wrong JSON type, e.g. "NUMBER_VALUE cannot be converted to String". */
    public static DynamoException serialization(String message) {
        return new DynamoException(DynamoException.CORAL, "SerializationException", message, 400);
    }

    /** A body that is not JSON at all: DynamoDB sends the type with no message. */
    public static DynamoException unparseable() {
        return new DynamoException(DynamoException.CORAL, "SerializationException", null, 400);
    }

    /** An X-Amz-Target naming no operation, or none: DynamoDB sends the type with no message. */
    public static DynamoException unknownOperation() {
        return new DynamoException(DynamoException.CORAL, "UnknownOperationException", null, 400);
    }

    /**
     * A request over 16 MB, refused by the operation before it is read (the limit BatchWriteItem's
     * API Reference states, "The total request size exceeds 16 MB", applied to every operation).
     * Not captured from DynamoDB, whose front end may answer HTTP 413 first: the HTTP side belongs
     * to the endpoint.
     */
    public static DynamoException requestTooLarge(String operation) {
        return validation(operation + " request size has exceeded the maximum allowed size of 16 MB");
    }

    /**
     * A body past what the endpoint reads ({@code quarkus.http.limits.max-body-size}): DynamoDB's
     * sentence for a request over 16 MB, with HTTP 413, refused before the body is read (and its
     * connection closed, as the unread rest would otherwise be taken for the next request).
     */
    public static DynamoException requestBodyTooLarge(String operation) {
        return new DynamoException(DynamoException.VALIDATE, "ValidationException",
                operation + " request size has exceeded the maximum allowed size of 16 MB", 413);
    }

    /**
     * An HTTP/1.1 request without a Host header. AWS's front end answers it before DynamoDB sees it,
     * with no DynamoDB body; Eddy answers in the wire format, with its own sentence.
     */
    public static DynamoException missingHost() {
        return new DynamoException(DynamoException.CORAL, "SerializationException",
                "HTTP/1.1 requests must have a Host header", 400);
    }

    /**
     * A request an instance cannot take now: the request bodies it holds in memory would pass its
     * budget (eddy.http.max-buffered-request-bytes). HTTP 503, which the AWS SDKs retry.
     */
    public static DynamoException tooManyRequestBytes() {
        return new DynamoException(DynamoException.DYNAMODB, "ServiceUnavailable",
                "This Eddy instance is reading as many request bytes as it may hold; try again", 503);
    }

    /**
     * A request the store cannot serve now: its servers out of reach (Infinispan restarting, a node
     * away), a cache refusing keys in a network partition, a node suspected or stopping (see
     * error.Unavailability). HTTP 503, which the AWS SDKs retry: the request may or may not have
     * applied, as with any 5xx.
     */
    public static DynamoException storeUnavailable() {
        return new DynamoException(DynamoException.DYNAMODB, "ServiceUnavailable",
                "The store is unavailable at the moment; try again", 503);
    }

    /**
     * A request that was still to start a change when its time was up (EddyConfig.requestTimeoutMillis):
     * that change was not made. HTTP 503, which the AWS SDKs retry.
     */
    public static DynamoException requestTimedOut(long timeoutMillis) {
        return new DynamoException(DynamoException.DYNAMODB, "ServiceUnavailable",
                "The request did not get to its change within " + timeoutMillis
                        + " ms of coming in, so that change was not made; try again", 503);
    }

    public static DynamoException internal(String message) {
        return new DynamoException(DynamoException.DYNAMODB, "InternalServerError", message, 500);
    }

    /**
     * A request sent to an instance that serves none: the maintenance role runs the background
     * duties only, and function instances serve the DynamoDB endpoint.
     */
    public static DynamoException notServing() {
        return new DynamoException(DynamoException.DYNAMODB, "ServiceUnavailable",
                "This Eddy instance runs the maintenance role and serves no requests: "
                        + "send them to a function instance", 503);
    }

    // --- validation ---------------------------------------------------------------------------

    public static DynamoException validation(String message) {
        return new DynamoException(DynamoException.VALIDATE, "ValidationException", message, 400);
    }

    /** "One or more parameter values were invalid: ..." */
    public static DynamoException invalidParameter(String detail) {
        return validation("One or more parameter values were invalid: " + detail);
    }

    /**
     * The constraint-violation form: "1 validation error detected: Value null at 'tableName' failed
     * to satisfy constraint: Member must not be null"; several violations are joined with "; ".
     */
    public static DynamoException constraintViolations(List<String> violations) {
        String count = violations.size() == 1 ? "1 validation error detected: "
                : violations.size() + " validation errors detected: ";
        return validation(count + String.join("; ", violations));
    }

    /**
     * A single semantic error reported in the constraint-violation envelope, as PutItem, UpdateItem
     * and DeleteItem report bad numbers and duplicate set members: "1 validation error detected: ...".
     */
    public static DynamoException inEnvelope(DynamoException e) {
        return constraintViolations(List.of(e.getMessage()));
    }

    public static String violation(String renderedValue, String path, String constraint) {
        return "Value " + renderedValue + " at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    // --- resources ----------------------------------------------------------------------------

    public static DynamoException tableNotFound(String table) {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceNotFoundException",
                "Requested resource not found: Table: " + table + " not found", 400);
    }

    /** What item operations answer for a missing table: DynamoDB does not name it. */
    public static DynamoException resourceNotFound() {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceNotFoundException",
                "Requested resource not found", 400);
    }

    // --- streams -------------------------------------------------------------------------------

    public static DynamoException streamNotFound(String arn) {
        return new DynamoException(DynamoException.STREAMS, "ResourceNotFoundException",
                "Requested resource not found: Stream: " + arn + " not found", 400);
    }

    public static DynamoException shardNotFound(String shardId, String arn) {
        return new DynamoException(DynamoException.STREAMS, "ResourceNotFoundException",
                "Requested resource not found: Shard: " + shardId + " in Stream: " + arn + " not found", 400);
    }

    /** A StreamArn not of the form {@code arn:...:table/<name>/stream/<label>} (the SDKs' integration tests see this). */
    public static DynamoException invalidStreamArn() {
        return validation("Invalid StreamArn");
    }

    public static DynamoException invalidSequenceNumber(String sequenceNumber) {
        return validation("Invalid SequenceNumber: " + sequenceNumber);
    }

    public static DynamoException trimmedData() {
        return new DynamoException(DynamoException.STREAMS, "TrimmedDataAccessException",
                "The operation attempted to read past the oldest stream record in a shard.", 400);
    }

    public static DynamoException expiredIterator(long issuedMillis, long nowMillis, long lifetimeMillis) {
        return new DynamoException(DynamoException.STREAMS, "ExpiredIteratorException",
                "Iterator expired. The iterator was created at time " + issuedMillis + " while right now it is "
                        + nowMillis + " which is further in the future than the tolerated delay of " + lifetimeMillis
                        + " milliseconds.", 400);
    }

    // --- transactions --------------------------------------------------------------------------

    /** A single-item write met an item held by a transaction in flight. */
    public static DynamoException transactionConflict() {
        return new DynamoException(DynamoException.DYNAMODB, "TransactionConflictException",
                "Transaction is ongoing for the item", 400);
    }

    /** TransactionCanceledException: the message lists every action's reason code in request order. */
    public static DynamoException transactionCanceled(java.util.List<DynamoException.CancellationReason> reasons) {
        java.util.StringJoiner codes = new java.util.StringJoiner(", ", "[", "]");
        reasons.forEach(r -> codes.add(r.code()));
        return new DynamoException(DynamoException.DYNAMODB, "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes, 400)
                .withReasons(reasons);
    }

    /** Two actions of one TransactWriteItems, or two Gets of one TransactGetItems, on the same item. */
    public static DynamoException transactionDuplicateItem() {
        return validation("Transaction request cannot include multiple operations on one item");
    }

    public static DynamoException idempotentParameterMismatch() {
        return new DynamoException(DynamoException.DYNAMODB, "IdempotentParameterMismatchException",
                "Transaction with the same client request token exists, but with different parameters", 400);
    }

    public static DynamoException transactionInProgress() {
        return new DynamoException(DynamoException.DYNAMODB, "TransactionInProgressException",
                "Transaction with the same client request token is in progress", 400);
    }

    public static DynamoException indexNotFound(String index) {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceNotFoundException",
                "Requested resource not found: Index: " + index + " not found", 400);
    }

    public static DynamoException tableExists(String table) {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceInUseException",
                "Table already exists: " + table, 400);
    }

    /** @param status CREATING, UPDATING or DELETING */
    public static DynamoException tableInUse(String table, String status) {
        String doing = switch (status) {
            case "CREATING" -> "created";
            case "UPDATING" -> "updated";
            default -> "deleted";
        };
        return new DynamoException(DynamoException.DYNAMODB, "ResourceInUseException",
                "Attempt to change a resource which is still in use: Table is being " + doing + ": " + table, 400);
    }

    /** UpdateTable with nothing to change (DynamoDB's 2026 wording lists every updatable member). */
    /** UpdateTable's members that make an update, in the order DynamoDB's error lists them. */
    private static final List<String> TABLE_UPDATES = List.of("ProvisionedThroughput", "BillingMode",
            "UpdateStreamEnabled", "GlobalSecondaryIndexUpdates", "SSESpecification", "ReplicaUpdates",
            "MultiAccountReplicaReady", "ReplicaTransitRoleArn", "MultiRegionConsistency", "DeletionProtectionEnabled",
            "OnDemandThroughput", "WarmThroughput", "TableClass");

    /**
     * UpdateTable asking for no change. DynamoDB's list leaves out the members the request has
     * (a MultiRegionConsistency alone is not listed); an empty GlobalSecondaryIndexUpdates counts as absent.
     * Real-service captures, 2026 (ack-api-quirks DDB-TABLE-015, -359 and the error catalogue).
     */
    public static DynamoException nothingToUpdate(java.util.Set<String> present) {
        List<String> left = TABLE_UPDATES.stream().filter(n -> !present.contains(n)).toList();
        List<String> names = left.isEmpty() ? TABLE_UPDATES : left;
        String list = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return validation("At least one of " + list + " is required");
    }

    /** An empty GlobalSecondaryIndexUpdates beside another change (DDB-TABLE-359). */
    public static DynamoException emptyIndexUpdates() {
        return invalidParameter("List of GlobalSecondaryIndexUpdates is empty");
    }

    // --- tags, resource ARNs and the features Eddy answers as "not in use" ----------------------
    // Texts of real DynamoDB as captured in 2026 (ack-api-quirks, DDB-TABLE-107, -212, -372 and
    // DDB-GLOBALTABLE-004, -231) and by dynalite's tests, which ran against it.

    /** A ResourceArn that is not a table ARN of this account and region (TagResource and its kin). */
    public static DynamoException invalidTableArn(String arn) {
        return validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
    }

    /** A ResourceArn that does not start with "arn:" (the newer resource-policy validator's text). */
    public static DynamoException arnWithoutPrefix(String arn) {
        return invalidParameter("ARNs must start with 'arn:': " + arn);
    }

    /** A well-formed ARN of another region, account or partition, for GetResourcePolicy. */
    public static DynamoException invalidResourceArn(String arn) {
        return invalidParameter("Invalid resource Arn: " + arn);
    }

    /** An index ARN given to GetResourcePolicy, which takes tables and streams only. */
    public static DynamoException policyArnNotTableOrStream(String arn) {
        return invalidParameter("Invalid resource arn provided, only table or stream is accepted. Provided resource arn: "
                + arn);
    }

    /** DynamoDB's text for a table ARN naming no table, with its misspelling "ResourcArn". */
    public static DynamoException resourceArnNotFound(String arn) {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceNotFoundException",
                "Requested resource not found: ResourcArn: " + arn + " not found", 400);
    }

    public static DynamoException noTags() {
        return validation("Atleast one Tag needs to be provided as Input.");
    }

    public static DynamoException noTagKeys() {
        return validation("Atleast one Tag Key needs to be provided as Input.");
    }

    /** A key too long, empty, missing (null) or with a character outside the tag character set. */
    public static DynamoException invalidTagKey(String key) {
        return validation("The Tag Key provided is invalid, Key: " + key);
    }

    public static DynamoException invalidTagValue(String value) {
        return validation("The Tag Value provided is invalid, Value: " + value);
    }

    public static DynamoException reservedTagKey(String key) {
        return validation("Tag Key cannot be prefixed with aws:, Key: " + key);
    }

    public static DynamoException duplicateTagKey(String key) {
        return validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + key);
    }

    /** More than 50 tags on the resource after the call, or more than 50 keys in one UntagResource. */
    public static DynamoException tooManyTags() {
        return validation("Number of Tags exceed the current limit for the provided ResourceArn");
    }

    /** The continuous-backups operations' error for a missing table. */
    public static DynamoException tableNotFoundForBackups(String table) {
        return new DynamoException(DynamoException.DYNAMODB, "TableNotFoundException", "Table not found: " + table, 400);
    }

    /**
     * Enabling point-in-time recovery, which Eddy does not have: DynamoDB's error for a table whose
     * continuous backups are not available, with the text the API Reference gives the type.
     */
    public static DynamoException continuousBackupsUnavailable() {
        return new DynamoException(DynamoException.DYNAMODB, "ContinuousBackupsUnavailableException",
                "Backups have not yet been enabled for this table.", 400);
    }

    public static DynamoException policyNotFound(String arn) {
        return new DynamoException(DynamoException.DYNAMODB, "PolicyNotFoundException",
                "Resource-based policy not found for the provided ResourceArn: " + arn, 400);
    }

    public static DynamoException notADynamoDbArn(String arn) {
        return invalidParameter("Provided Arn is not a DynamoDB resource arn: " + arn);
    }

    public static DynamoException streamOfTableNotFound(String label, String table) {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceNotFoundException",
                "Requested resource not found: Stream: " + label + " not found for Table: " + table, 400);
    }

    /** DescribeGlobalTable on any name: Eddy has no global tables (version 2017.11.29). */
    public static DynamoException globalTableNotFound(String name) {
        return new DynamoException(DynamoException.DYNAMODB, "GlobalTableNotFoundException",
                "Global table not found: Global table with name: '" + name + "' does not exist.", 400);
    }

    /** DescribeTableReplicaAutoScaling on a table with no replicas (a regional table). */
    public static DynamoException notAGlobalTable(String name) {
        return new DynamoException(DynamoException.DYNAMODB, "ResourceNotFoundException",
                "Global table with name: " + name + " does not exist.", 400);
    }

    // --- on-demand backups -------------------------------------------------------------------------
    // BackupNotFound, TableNotFound and TableAlreadyExists texts as moto's tests have them, checked
    // against DynamoDB when they were written (getmoto/moto#3995); the in-use texts are Eddy's own,
    // as no capture of DynamoDB's was found.

    public static DynamoException backupNotFound(String arn) {
        return new DynamoException(DynamoException.DYNAMODB, "BackupNotFoundException", "Backup not found: " + arn, 400);
    }

    /** Deleting, or restoring from, a backup still being created. */
    public static DynamoException backupBeingCreated(String arn) {
        return new DynamoException(DynamoException.DYNAMODB, "BackupInUseException", "Backup is being created: " + arn,
                400);
    }

    /**
     * CreateBackup whose announcement to the table's writers took so long that they could pass its
     * point first (Eddy's text; a server error, so SDKs retry it): the backup is withdrawn.
     */
    public static DynamoException backupAnnouncedLate(String table) {
        return new DynamoException(DynamoException.DYNAMODB, "InternalServerError",
                "The backup of table " + table + " could not be announced to its writers in time; try again", 500);
    }

    /** Deleting a backup a table is being restored from. */
    public static DynamoException backupBeingRestored(String arn) {
        return new DynamoException(DynamoException.DYNAMODB, "BackupInUseException",
                "Backup is being restored to a table: " + arn, 400);
    }

    /** RestoreTableFromBackup to a name a table has. */
    public static DynamoException tableAlreadyExists(String table) {
        return new DynamoException(DynamoException.DYNAMODB, "TableAlreadyExistsException", "Table already exists: " + table,
                400);
    }

    /** A backup of, or a restore to, a table that is being created or deleted. */
    public static DynamoException tableBeingCreatedOrDeleted(String table) {
        return new DynamoException(DynamoException.DYNAMODB, "TableInUseException",
                "Table is being created or deleted: " + table, 400);
    }

    /** PAY_PER_REQUEST with capacity units given (CreateTable's, and a restore's overrides). */
    public static DynamoException capacityWithOnDemand() {
        return invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode "
                + "is PAY_PER_REQUEST");
    }

    /** PROVISIONED with no capacity units to use. */
    public static DynamoException capacityMissing() {
        return invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
                + "PROVISIONED");
    }

    /** Capacity units for a global index of an on-demand table. */
    public static DynamoException indexCapacityWithOnDemand(String index) {
        return invalidParameter("ProvisionedThroughput should not be specified for index: " + index
                + " when BillingMode is PAY_PER_REQUEST");
    }

    /** An index override naming an index the backup does not have, or giving it another key schema (Eddy's text). */
    public static DynamoException indexNotInBackup(String member, String index) {
        return invalidParameter(member + " must name the backup's indexes with their key schemas; the backup has no "
                + "such index: " + index);
    }

    public static DynamoException limitExceeded(String message) {
        return new DynamoException(DynamoException.DYNAMODB, "LimitExceededException", message, 400);
    }

    // --- items --------------------------------------------------------------------------------

    public static DynamoException conditionalCheckFailed() {
        return new DynamoException(DynamoException.DYNAMODB, "ConditionalCheckFailedException",
                "The conditional request failed", 400);
    }

    public static DynamoException itemTooLarge() {
        return validation("Item size has exceeded the maximum allowed size");
    }

    public static DynamoException keySchemaMismatch() {
        return validation("The provided key element does not match the schema");
    }

    public static DynamoException missingKey(String name) {
        return invalidParameter("Missing the key " + name + " in the item");
    }

    public static DynamoException keyTypeMismatch(String name, String expected, String actual) {
        return invalidParameter("Type mismatch for key " + name + " expected: " + expected + " actual: " + actual);
    }

    /**
     * An empty string or binary key value. DynamoDB words it differently for a whole item
     * (PutItem: "are not valid.") and for a Key parameter ("were invalid:").
     *
     * @param kind "string" or "binary"
     */
    public static DynamoException emptyKeyValue(String name, String kind, boolean inItem) {
        String prefix = inItem ? "One or more parameter values are not valid. "
                : "One or more parameter values were invalid: ";
        return validation(prefix + "The AttributeValue for a key attribute cannot contain an empty " + kind
                + " value. Key: " + name);
    }

    /** An item whose value for a secondary index's key attribute has another type than the index's. */
    public static DynamoException indexKeyTypeMismatch(String attribute, String expected, String actual, String index) {
        return invalidParameter("Type mismatch for Index Key " + attribute + " Expected: " + expected + " Actual: "
                + actual + " IndexName: " + index);
    }

    /** An update expression that sets an index key to an empty value (real-service capture, 2026, transactions). */
    public static DynamoException updatedIndexKeyEmpty(String kind) {
        return validation("One or more parameter values are not valid. The update expression attempted to update a "
                + "secondary index key to a value that is not supported. The AttributeValue for a key attribute "
                + "cannot contain an empty " + kind + " value.");
    }

    public static DynamoException emptyIndexKeyValue(String attribute, String kind, String index) {
        return validation("One or more parameter values are not valid. A value specified for a secondary index key "
                + "is not supported. The AttributeValue for a key attribute cannot contain an empty " + kind
                + " value. IndexName: " + index + ", IndexKey: " + attribute);
    }

    public static DynamoException hashKeyTooLarge() {
        return invalidParameter("Size of hashkey has exceeded the maximum size limit of2048 bytes");
    }

    public static DynamoException rangeKeyTooLarge() {
        return invalidParameter("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    }

    // --- attribute values ---------------------------------------------------------------------

    public static DynamoException attributeValueEmpty() {
        return validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }

    public static DynamoException attributeValueMultipleTypes() {
        return validation("Supplied AttributeValue has more than one datatypes set, "
                + "must contain exactly one of the supported datatypes");
    }

    public static DynamoException nullMustBeTrue() {
        return invalidParameter("Null attribute value types must have the value of true");
    }

    /** DynamoDB's texts, grammar and double space included. */
    public static DynamoException emptySet(String setName) {
        return invalidParameter("binary".equals(setName) ? "Binary sets should not be empty"
                : "An " + setName + " set  may not be empty");
    }

    /** @param rendered the members as DynamoDB lists them, e.g. {@code ["a", "b", "b"]} */
    public static DynamoException duplicateStrings(String rendered) {
        return invalidParameter("Input collection " + rendered + " contains duplicates.");
    }

    /** A number set names no members (they are compared after normalisation, so "1" and "1.0" clash). */
    public static DynamoException duplicateNumbers() {
        return invalidParameter("Input collection contains duplicates.");
    }

    /** DynamoDB's text has no space before "of": {@code ["AA==","AA=="]of type BS}. */
    public static DynamoException duplicateBinaries(String rendered) {
        return invalidParameter("Input collection " + rendered + "of type BS contains duplicates.");
    }

    public static DynamoException notANumber(String text) {
        return validation("The parameter cannot be converted to a numeric value: " + text);
    }

    public static DynamoException numberOverflow() {
        return validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
    }

    public static DynamoException numberUnderflow() {
        return validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }

    public static DynamoException numberPrecision() {
        return validation("Attempting to store more than 38 significant digits in a Number");
    }

    // --- expressions --------------------------------------------------------------------------
    // ConditionExpression, UpdateExpression, ProjectionExpression, KeyConditionExpression and
    // FilterExpression errors all read "Invalid <member>: <detail>"; `member` is the request member
    // the expression came in. Texts checked against DynamoDB Local 2.6.1 and published captures.

    private static DynamoException invalidExpression(String member, String detail) {
        return validation("Invalid " + member + ": " + detail);
    }

    public static DynamoException emptyExpression(String member) {
        return invalidExpression(member, "The expression can not be empty;");
    }

    public static DynamoException expressionTooLong(String member, int size) {
        return invalidExpression(member, "Expression size has exceeded the maximum allowed size; expression size: " + size);
    }

    /** @param near the text from the token before the offending one to the token after it */
    public static DynamoException expressionSyntax(String member, String token, String near) {
        return invalidExpression(member, "Syntax error; token: \"" + token + "\", near: \"" + near + "\"");
    }

    public static DynamoException redundantParentheses(String member) {
        return invalidExpression(member, "The expression has redundant parentheses;");
    }

    public static DynamoException reservedKeyword(String member, String name) {
        return invalidExpression(member, "Attribute name is a reserved keyword; reserved keyword: " + name);
    }

    public static DynamoException undefinedName(String member, String placeholder) {
        return invalidExpression(member,
                "An expression attribute name used in the document path is not defined; attribute name: " + placeholder);
    }

    public static DynamoException undefinedValue(String member, String placeholder) {
        return invalidExpression(member,
                "An expression attribute value used in expression is not defined; attribute value: " + placeholder);
    }

    public static DynamoException unknownFunction(String member, String function) {
        return invalidExpression(member, "Invalid function name; function: " + function);
    }

    public static DynamoException functionNotInCondition(String member, String function) {
        return invalidExpression(member, "The function is not allowed in a condition expression; function: " + function);
    }

    public static DynamoException functionNotInUpdate(String member, String function) {
        return invalidExpression(member, "The function is not allowed in an update expression; function: " + function);
    }

    public static DynamoException functionMisused(String member, String function) {
        return invalidExpression(member,
                "The function is not allowed to be used this way in an expression; function: " + function);
    }

    public static DynamoException operandCount(String member, String function, int count) {
        return invalidExpression(member, "Incorrect number of operands for operator or function; operator or function: "
                + function + ", number of operands: " + count);
    }

    public static DynamoException documentPathRequired(String member, String function) {
        return invalidExpression(member, "Operator or function requires a document path; operator or function: " + function);
    }

    /** @param type the short type name (N, S, L, ...), or a set of them in braces */
    public static DynamoException operandType(String member, String function, String type) {
        return invalidExpression(member, "Incorrect operand type for operator or function; operator or function: "
                + function + ", operand type: " + type);
    }

    /** ADD and DELETE name the operator alone and the type in full (STRING, NUMBER, ...). */
    public static DynamoException updateOperandType(String member, String operator, String longType) {
        return invalidExpression(member, "Incorrect operand type for operator or function; operator: "
                + operator + ", operand type: " + longType);
    }

    /** @param path rendered as DynamoDB does, {@code [a, b, [1]]} */
    public static DynamoException operandsNotDistinct(String member, String operator, String path) {
        return invalidExpression(member, "The first operand must be distinct from the remaining operands for this "
                + "operator or function; operator: " + operator + ", first operand: " + path);
    }

    public static DynamoException attributeTypeName(String member, String type) {
        return invalidExpression(member, "Invalid attribute type name found; type: " + type
                + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    }

    /** @param lower a bound rendered as DynamoDB does, {@code AttributeValue: {N:1}} */
    public static DynamoException betweenTypes(String member, String lower, String upper) {
        return invalidExpression(member, "The BETWEEN operator requires same data type for lower and upper bounds; "
                + "lower bound operand: " + lower + ", upper bound operand: " + upper);
    }

    public static DynamoException betweenBounds(String member, String lower, String upper) {
        return invalidExpression(member, "The BETWEEN operator requires upper bound to be greater than or equal to "
                + "lower bound; lower bound operand: " + lower + ", upper bound operand: " + upper);
    }

    public static DynamoException tooManyInOperands(String member, int count) {
        return invalidExpression(member, "The IN operator is provided with too many operands; number of operands: " + count);
    }

    /** DynamoDB stops counting at the first operator past 300 and reports that count, 301. */
    public static DynamoException tooManyOperators(String member, int count) {
        return invalidExpression(member, "The expression contains too many operators; operator count: " + count);
    }

    public static DynamoException nestingTooDeep(String member, int levels) {
        return invalidExpression(member, "The document path has too many nesting levels; nesting levels: " + levels);
    }

    public static DynamoException listIndexOutOfRange(String member, String index) {
        return invalidExpression(member, "List index is not within the allowable range; index: [" + index + "]");
    }

    public static DynamoException sectionRepeated(String member, String section) {
        return invalidExpression(member, "The \"" + section + "\" section can only be used once in an update expression;");
    }

    public static DynamoException pathsOverlap(String member, String one, String two) {
        return invalidExpression(member, "Two document paths overlap with each other; must remove or rewrite one of "
                + "these paths; path one: " + one + ", path two: " + two);
    }

    public static DynamoException pathsConflict(String member, String one, String two) {
        return invalidExpression(member, "Two document paths conflict with each other; must remove or rewrite one of "
                + "these paths; path one: " + one + ", path two: " + two);
    }

    // ExpressionAttributeNames and ExpressionAttributeValues, and which parameters go together

    public static DynamoException namesEmpty() {
        return validation("ExpressionAttributeNames must not be empty");
    }

    public static DynamoException valuesEmpty() {
        return validation("ExpressionAttributeValues must not be empty");
    }

    public static DynamoException invalidNameKey(String key) {
        return validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
    }

    public static DynamoException invalidValueKey(String key) {
        return validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
    }

    public static DynamoException emptyAttributeName(String key) {
        return validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + key);
    }

    /** @param detail what is wrong with the value, as DynamoDB says it of any attribute value */
    public static DynamoException invalidValue(String detail, String key) {
        return validation("ExpressionAttributeValues contains invalid value: " + detail + " for key " + key);
    }

    /** @param keys in sorted order, as DynamoDB lists them */
    public static DynamoException unusedNames(List<String> keys) {
        return validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                + String.join(", ", keys) + "}");
    }

    public static DynamoException unusedValues(List<String> keys) {
        return validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                + String.join(", ", keys) + "}");
    }

    public static DynamoException namesWithoutExpressions() {
        return validation("ExpressionAttributeNames can only be specified when using expressions");
    }

    /** @param expressions the value-taking expression members of the operation, none of them given */
    public static DynamoException valuesWithoutExpressions(List<String> expressions) {
        return validation("ExpressionAttributeValues can only be specified when using expressions: "
                + String.join(" and ", expressions) + (expressions.size() > 1 ? " are null" : " is null"));
    }

    public static DynamoException mixedParameters(List<String> legacy, List<String> expressions) {
        return validation("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {" + String.join(", ", legacy) + "} "
                + "Expression parameters: {" + String.join(", ", expressions) + "}");
    }

    // applying an update to an item

    public static DynamoException updateAttributeMissing() {
        return validation("The provided expression refers to an attribute that does not exist in the item");
    }

    public static DynamoException invalidUpdatePath() {
        return validation("The document path provided in the update expression is invalid for update");
    }

    public static DynamoException updateOperandDataType() {
        return validation("An operand in the update expression has an incorrect data type");
    }

    /** An addition or subtraction whose exact result needs more than 38 digits. */
    public static DynamoException arithmeticPrecision() {
        return validation("DynamoDB only supports precision up to 38 digits");
    }

    public static DynamoException updatedItemTooLarge() {
        return validation("Item size to update has exceeded the maximum allowed size");
    }

    public static DynamoException keyAttributeUpdate(String name) {
        return invalidParameter("Cannot update attribute " + name + ". This attribute is part of the key");
    }

    // the legacy Expected parameter and ConditionalOperator

    public static DynamoException expectedValueAndList(String attribute) {
        return invalidParameter("Value and AttributeValueList cannot be used together for Attribute: " + attribute);
    }

    public static DynamoException expectedExistsAndOperator(String attribute) {
        return invalidParameter("Exists and ComparisonOperator cannot be used together for Attribute: " + attribute);
    }

    public static DynamoException expectedOperatorWithoutValue(String operator, String attribute) {
        return invalidParameter("Value or AttributeValueList must be used with ComparisonOperator: " + operator
                + " for Attribute: " + attribute);
    }

    public static DynamoException expectedArgumentCount(String operator) {
        return invalidParameter("Invalid number of argument(s) for the " + operator + " ComparisonOperator");
    }

    public static DynamoException expectedMixedTypes() {
        return invalidParameter("AttributeValues inside AttributeValueList must be of same type");
    }

    public static DynamoException expectedOperatorType(String operator, String type) {
        return invalidParameter("ComparisonOperator " + operator + " is not valid for " + type + " AttributeValue type");
    }

    public static DynamoException expectedBetweenBounds() {
        return validation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
    }

    public static DynamoException expectedListWithoutOperator(String attribute) {
        return invalidParameter("AttributeValueList can only be used with a ComparisonOperator for Attribute: " + attribute);
    }

    /** @param exists "true" or "null", as the request had it */
    public static DynamoException expectedValueMissing(String exists, String attribute) {
        return invalidParameter("Value must be provided when Exists is " + exists + " for Attribute: " + attribute);
    }

    public static DynamoException expectedValueWithExistsFalse(String attribute) {
        return invalidParameter("Value cannot be used when Exists is false for Attribute: " + attribute);
    }

    public static DynamoException conditionalOperatorWithOneCondition() {
        return validation("ConditionalOperator can only be used when Filter or Expected has two or more elements");
    }

    public static DynamoException conditionalOperatorWithoutConditions() {
        return validation("ConditionalOperator cannot be used without Filter or Expected");
    }

    // KeyConditionExpression (parsed and checked here; Query applies it)

    /** @param operator OR, NOT, IN, {@code <>} or a function name */
    public static DynamoException keyConditionOperator(String operator) {
        return validation("Invalid operator used in KeyConditionExpression: " + operator);
    }

    public static DynamoException keyConditionNested() {
        return validation("KeyConditionExpressions cannot contain nested operations");
    }

    public static DynamoException keyConditionNoKey() {
        return validation("Invalid condition in KeyConditionExpression: No key attribute specified");
    }

    public static DynamoException keyConditionMultipleNames() {
        return validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    }

    /** @param operator BETWEEN or begins_with */
    public static DynamoException keyConditionKeyFirst(String operator) {
        return validation("Invalid condition in KeyConditionExpression: " + operator
                + " operator must have the key attribute as its first operand");
    }

    public static DynamoException keyConditionOnePerKey() {
        return validation("KeyConditionExpressions must only contain one condition per key");
    }

    public static DynamoException keyConditionNestedKey(String name) {
        return validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: "
                + name);
    }

    /** The same rule for a projection's or filter's path into a secondary index's key attribute. */
    public static DynamoException nestedIndexKey(String name) {
        return validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
                + "IndexKey: " + name);
    }

    /** @param member "Filter Expression" or "QueryFilter", as DynamoDB names them here */
    public static DynamoException filterOnKey(String member, String key) {
        return validation(member + " can only contain non-primary key attributes: Primary key attribute: " + key);
    }

    /** @param attributes sorted, as DynamoDB lists them */
    public static DynamoException filterNotProjected(String index, List<String> attributes) {
        return invalidParameter("Secondary index " + index + " does not project one or more filter attributes: "
                + attributes);
    }

    /**
     * A projection on a global index naming what it does not hold ("Global secondary index queries
     * cannot fetch attributes from the parent table", API Reference, Query: Select). Not captured
     * from DynamoDB: Eddy's text, in the form of the filter's.
     */
    public static DynamoException projectionNotProjected(String index, List<String> attributes) {
        return invalidParameter("Secondary index " + index + " does not project one or more projection attributes: "
                + attributes);
    }

    /**
     * DynamoDB names the key (captured from the service by dynalite's tests; DynamoDB Local 2.6.1
     * leaves the name out for a KeyConditionExpression).
     */
    public static DynamoException keyConditionMissedKey(String key) {
        return validation("Query condition missed key schema element: " + key);
    }

    public static DynamoException keyConditionNotSupported() {
        return validation("Query key condition not supported");
    }

    public static DynamoException keyConditionType() {
        return invalidParameter("Condition parameter type does not match schema type");
    }

    // --- batches: BatchGetItem and BatchWriteItem ---------------------------------------------
    // Texts of real DynamoDB as captured live in 2026 (paritysuite/dynamodb-conformance, tier 3
    // error-messages and validation-ordering) and, where those say nothing, dynalite's tests run
    // against it. BatchGetItem has moved to DynamoDB's newer validation framework ("Value at
    // 'RequestItems...'"); BatchWriteItem still answers from the older one.

    /** The rule on RequestItems' keys, which DynamoDB reports once for the whole map. */
    public static final String TABLE_NAME_MAP_KEYS = "Map keys must satisfy constraint: [Member must have length "
            + "less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy "
            + "regular expression pattern: [a-zA-Z0-9_.-]+]";

    /** The rule on BatchWriteItem's per-table request lists, reported once for the whole map. */
    public static String mapValueLength(int max) {
        return "Map value must satisfy constraint: [Member must have length less than or equal to " + max
                + ", Member must have length greater than or equal to 1]";
    }

    /** The newer framework's violation, which names the member path and shows no value. */
    public static String memberViolation(String path, String constraint) {
        return "Value at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    /** An empty or missing RequestItems in BatchWriteItem (the older framework's sentence). */
    public static DynamoException requestItemsRequired(String operation) {
        return validation("The requestItems parameter is required for " + operation);
    }

    /** More keys or write requests across all tables than one call takes (100 or 25). */
    public static DynamoException tooManyBatchItems(String operation) {
        return validation("Too many items requested for the " + operation + " call");
    }

    /** Two keys of one table alike (BatchGetItem), or two writes to one item (BatchWriteItem). */
    public static DynamoException duplicateBatchKeys() {
        return validation("Provided list of item keys contains duplicates");
    }

    /** A WriteRequest with neither or both of PutRequest and DeleteRequest: DynamoDB reuses this text. */
    public static DynamoException writeRequestNotOneOf() {
        return attributeValueMultipleTypes();
    }

    /** Not captured from DynamoDB (its documentation only says such a batch is rejected); Eddy's text. */
    public static DynamoException batchRequestTooLarge() {
        return requestTooLarge("BatchWriteItem");
    }

    // The older value layer (BatchWriteItem; transactions in most regions) words three value
    // errors differently from the current one: an empty number has no colon, a string or binary
    // set's members are printed as sent and unquoted, and a number set's repeat has neither the
    // prefix nor the full stop.

    public static DynamoException olderEmptyNumber() {
        return validation("The parameter cannot be converted to a numeric value");
    }

    /** @param rendered the members as sent, {@code [b, a, b]} */
    public static DynamoException olderDuplicateStrings(String rendered) {
        return invalidParameter("Input collection " + rendered + " contains duplicates.");
    }

    /** @param rendered the members in base64 as sent, {@code [/w==, AA==, AA==]}; no space before "of" */
    public static DynamoException olderDuplicateBinaries(String rendered) {
        return invalidParameter("Input collection " + rendered + "of type BS contains duplicates.");
    }

    public static DynamoException olderDuplicateNumbers() {
        return validation("Input collection contains duplicates");
    }

    // --- authentication (SigV4) -----------------------------------------------------------------
    // Coral, DynamoDB's framework, checks signatures before any operation runs. Its errors are in
    // the com.amazon.coral.service namespace, HTTP 400, with the message in a lower-case "message"
    // member, as captured from DynamoDB (e.g. {"__type":"com.amazon.coral.service#Missing
    // AuthenticationTokenException","message":"Request is missing Authentication Token"}, 2026).

    private static DynamoException authentication(String type, String message) {
        return new DynamoException(DynamoException.CORAL, type, message, 400, "message");
    }

    /** Neither an Authorization header nor query-string signing parameters. */
    public static DynamoException missingAuthenticationToken() {
        return authentication("MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }

    /** An access key (or session token) no configured credential has. */
    public static DynamoException unrecognizedClient() {
        return authentication("UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    /** A session token whose credential's expiration has passed. */
    public static DynamoException expiredToken() {
        return authentication("ExpiredTokenException", "The security token included in the request is expired");
    }

    public static DynamoException signatureMismatch() {
        return authentication("InvalidSignatureException", "The request signature we calculated does not match the "
                + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
                + "documentation for details.");
    }

    /** @param times the request's time, now less the window, now: all in ISO-8601 basic format */
    public static DynamoException signatureExpired(String requestTime, String earliest, String now, String window) {
        return authentication("InvalidSignatureException", "Signature expired: " + requestTime + " is now earlier than "
                + earliest + " (" + now + " - " + window + ".)");
    }

    public static DynamoException signatureNotYetCurrent(String requestTime, String latest, String now, String window) {
        return authentication("InvalidSignatureException", "Signature not yet current: " + requestTime
                + " is still later than " + latest + " (" + now + " + " + window + ".)");
    }

    /**
     * A credential scope for another region, service, terminator or day. AWS joins every one that
     * applies with a space, each sentence ending ". " (the trailing space is AWS's).
     */
    public static DynamoException invalidCredentialScope(List<String> problems) {
        StringBuilder s = new StringBuilder();
        for (String p : problems) {
            s.append(p).append(' ');
        }
        return authentication("InvalidSignatureException", s.toString());
    }

    public static String scopeRegion(String region) {
        return "Credential should be scoped to a valid region, not '" + region + "'.";
    }

    public static String scopeService(String service) {
        return "Credential should be scoped to correct service: '" + service + "'.";
    }

    public static String scopeTerminator(String terminator) {
        return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + terminator + "'.";
    }

    public static String scopeDate(String scopeDate, String requestDate, String requestTime) {
        return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                + scopeDate + "' != '" + requestDate + "', from '" + requestTime + "'.";
    }

    public static DynamoException hostNotSigned() {
        return authentication("InvalidSignatureException",
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    public static DynamoException headerAndQuerySignature() {
        return authentication("InvalidSignatureException",
                "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
    }

    /**
     * The Authorization header lacks parts: AWS names each missing one in a sentence of its own, in
     * this order, then quotes the header (as captured from AWS in 2019-2020: "... Authorization=Bearer").
     *
     * @param missing any of Credential, Signature, SignedHeaders, and "date" for a request with
     *                neither X-Amz-Date nor Date
     */
    public static DynamoException incompleteAuthorization(List<String> missing, String header) {
        StringBuilder s = new StringBuilder();
        for (String part : missing) {
            s.append(part.equals("date")
                    ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                    : "Authorization header requires '" + part + "' parameter. ");
        }
        return authentication("IncompleteSignatureException", s.append("Authorization=").append(header).toString());
    }

    /**
     * A part of the Authorization header with no '='. AWS used to quote the header; since 2023 it
     * gives the header's SHA-256 in base64 instead (captures of both exist; this is the newer).
     */
    public static DynamoException authorizationPairWithoutEquals(String headerSha256Base64) {
        return authentication("IncompleteSignatureException", "Invalid key=value pair (missing equal-sign) in "
                + "Authorization header (hashed with SHA-256 and encoded with Base64): '" + headerSha256Base64 + "'.");
    }

    public static DynamoException credentialNotFiveParts(String credential) {
        return authentication("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited "
                + "elements, e.g. keyid/date/region/service/term, got '" + credential + "'");
    }

    /** @param missing the query-string parameters absent, in AWS's order */
    public static DynamoException incompleteQuerySignature(List<String> missing) {
        StringBuilder s = new StringBuilder();
        for (String p : missing) {
            s.append("AWS query-string parameters must include '").append(p).append("'. ");
        }
        return authentication("IncompleteSignatureException", s.append("Re-examine the query-string parameters.").toString());
    }

    public static DynamoException unsupportedAlgorithm(String algorithm) {
        return authentication("IncompleteSignatureException", "Unsupported AWS 'algorithm': '" + algorithm + "'.");
    }

    /** X-Amz-Date (or Date) that is not a date in the form SigV4 needs. */
    public static DynamoException badRequestDate(String value) {
        return authentication("IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '"
                + value + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    /** A header named in SignedHeaders that the request does not carry (AWS's wording, seen from AppSync). */
    public static DynamoException signedHeaderMissing(String name) {
        return authentication("IncompleteSignatureException",
                "'" + name + "' is named as a SignedHeader, but it does not exist in the HTTP request.");
    }

    // --- authorization (IAM policies) ------------------------------------------------------------
    // {"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: arn:aws:iam::...:user/...
    // is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:...:table/... because no
    // identity-based policy allows the dynamodb:PutItem action"}: HTTP 400, capital "Message", as captured.

    /** No statement allows the action (IAM's implicit deny). */
    public static DynamoException accessDenied(String principalArn, String action, String resource) {
        return new DynamoException(DynamoException.CORAL, "AccessDeniedException", "User: " + principalArn
                + " is not authorized to perform: " + action + " on resource: " + resource
                + " because no identity-based policy allows the " + action + " action", 400);
    }

    /** A Deny statement matched. */
    public static DynamoException accessExplicitlyDenied(String principalArn, String action, String resource) {
        return new DynamoException(DynamoException.CORAL, "AccessDeniedException", "User: " + principalArn
                + " is not authorized to perform: " + action + " on resource: " + resource
                + " with an explicit deny in an identity-based policy", 400);
    }

    // --- encryption at rest (SSESpecification) -------------------------------------------------
    // Real DynamoDB's texts as captured in 2026 (ack-api-quirks DDB-TABLE-020, -031, -036, -037): the
    // KMS failures carry the KMS client's exception text, request id and all.

    /** A KMS key id or ARN that names no key Eddy has. */
    public static DynamoException kmsKeyNotFound(String keyArn) {
        return validation("KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Key '" + keyArn
                + "' does not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: "
                + java.util.UUID.randomUUID() + "; Proxy: null)");
    }

    /** A KMS alias that names no key Eddy has (with encryption at rest off, alias/aws/dynamodb too). */
    public static DynamoException kmsAliasNotFound(String aliasArn) {
        return validation("KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Alias "
                + aliasArn + " is not found. (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; "
                + "Request ID: " + java.util.UUID.randomUUID() + "; Proxy: null)");
    }

    /** A master key kept only to unwrap what it wrapped before a rotation: KMS's key pending deletion. */
    public static DynamoException kmsKeyPendingDeletion(String keyArn) {
        return validation("KMS validation error: com.amazonaws.services.kms.model.KMSInvalidStateException: " + keyArn
                + " is pending deletion. (Service: AWSKMS; Status Code: 400; Error Code: KMSInvalidStateException; "
                + "Request ID: " + java.util.UUID.randomUUID() + "; Proxy: null)");
    }
}

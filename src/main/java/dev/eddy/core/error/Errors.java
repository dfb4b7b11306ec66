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

    public static DynamoException internal(String message) {
        return new DynamoException(DynamoException.DYNAMODB, "InternalServerError", message, 500);
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

    public static DynamoException duplicateSetMembers(String rendered) {
        return invalidParameter("Input collection " + rendered + " contains duplicates.");
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
}

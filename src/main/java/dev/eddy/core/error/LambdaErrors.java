package dev.eddy.core.error;

/**
 * The errors of the Lambda API's event source mapping operations (CreateEventSourceMapping, ...),
 * which Eddy serves for DynamoDB stream triggers. Lambda is a REST-JSON service: the type travels
 * in the {@code x-amzn-ErrorType} header, the body is {@code {"Type":"User","message":...}}, and each
 * type has its own HTTP status (Lambda API Reference, the operations' Errors sections). Texts that
 * Lambda's own answers are known to carry are kept; the others are Eddy's and say so by being
 * specific about Eddy.
 */
public final class LambdaErrors {
    /** The namespace the wire layer tells Lambda's errors by. */
    public static final String LAMBDA = "lambda";

    private LambdaErrors() {
    }

    /** Whether an error is one of these (rendered in Lambda's shape wherever it surfaces). */
    public static boolean isLambda(DynamoException e) {
        return e.wireType().startsWith(LAMBDA + "#");
    }

    private static DynamoException error(String type, String message, int status) {
        return new DynamoException(LAMBDA, type, message, status);
    }

    public static DynamoException invalidParameter(String message) {
        return error("InvalidParameterValueException", message, 400);
    }

    /** A member outside its range, in the words of AWS's request validation. */
    public static DynamoException outOfRange(String member, Object value, String constraint) {
        return invalidParameter("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    public static DynamoException bodyNotJson() {
        return invalidParameter("Could not parse request body into json: the body is not a JSON object");
    }

    /** Lambda's answer for a mapping UUID it does not have. */
    public static DynamoException mappingNotFound() {
        return error("ResourceNotFoundException", "The resource you requested does not exist.", 404);
    }

    /** A FunctionName that is no function Eddy knows and no URL. */
    public static DynamoException functionNotFound(String functionArn) {
        return error("ResourceNotFoundException", "Function not found: " + functionArn, 404);
    }

    public static DynamoException streamNotFound(String arn) {
        return invalidParameter("Stream not found: " + arn + " (Eddy takes the LatestStreamArn of a table with "
                + "its stream enabled)");
    }

    /** One mapping per stream and function, as Lambda keeps it. */
    public static DynamoException mappingExists(String eventSourceArn, String function, String uuid) {
        return error("ResourceConflictException", "The event source arn (\"" + eventSourceArn + "\") and function (\""
                + function + "\") provided mapping already exists. Please update or delete the existing mapping with"
                + " UUID " + uuid, 409);
    }

    /** A change asked of a mapping that is being deleted. */
    public static DynamoException mappingInUse(String uuid) {
        return error("ResourceInUseException", "Cannot update the event source mapping " + uuid
                + " because it is in use: it is being deleted.", 400);
    }

    /** A Lambda path with a method or a resource Eddy does not serve. */
    public static DynamoException unknownOperation(String method, String path) {
        return error("UnknownOperationException", "Eddy serves Lambda's event source mapping operations only, not "
                + method + " " + path, 404);
    }
}

package dev.eddy.core.error;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;

/**
 * An error DynamoDB returns to the client: its wire type (the part after '#' in {@code __type}),
 * the namespace it lives in, and the message text. Every instance is created through {@link Errors}.
 */
public final class DynamoException extends RuntimeException {
    /** Errors of the DynamoDB service itself. */
    public static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810";
    /** The DynamoDB Streams service's own errors (clients go by the name after the '#'). */
    public static final String STREAMS = "com.amazonaws.dynamodbstreams.v20120810";
    /** Errors raised by the protocol layer before an operation runs (Coral, DynamoDB's framework). */
    public static final String CORAL = "com.amazon.coral.service";
    /** Request validation errors. */
    public static final String VALIDATE = "com.amazon.coral.validate";

    private final String namespace;
    private final String type;
    private final int status;
    /** The item the error carries back (ReturnValuesOnConditionCheckFailure=ALL_OLD), or null. */
    private final Map<String, AttributeValue> item;
    /** A cancelled transaction's reasons, one per action in request order, or null. */
    private final java.util.List<CancellationReason> reasons;
    /** The member the message goes in, when it is not the namespace's usual one (see {@link #messageField()}). */
    private final String messageField;

    /** Why one action of a cancelled transaction failed: Code None when it did not. */
    public record CancellationReason(String code, String message, Map<String, AttributeValue> item) {
    }

    DynamoException(String namespace, String type, String message, int status) {
        this(namespace, type, message, status, null, null, null);
    }

    /** An error whose message goes in {@code messageField} whatever its namespace (Coral's authentication errors). */
    DynamoException(String namespace, String type, String message, int status, String messageField) {
        this(namespace, type, message, status, null, null, messageField);
    }

    private DynamoException(String namespace, String type, String message, int status,
                            Map<String, AttributeValue> item, java.util.List<CancellationReason> reasons,
                            String messageField) {
        super(message, null, false, false);
        this.namespace = namespace;
        this.type = type;
        this.status = status;
        this.item = item;
        this.reasons = reasons;
        this.messageField = messageField;
    }

    /** The same error carrying an item, which the wire format returns as the {@code Item} member. */
    public DynamoException withItem(Map<String, AttributeValue> item) {
        return new DynamoException(namespace, type, getMessage(), status, item, reasons, messageField);
    }

    DynamoException withReasons(java.util.List<CancellationReason> reasons) {
        return new DynamoException(namespace, type, getMessage(), status, item, reasons, messageField);
    }

    public java.util.List<CancellationReason> reasons() {
        return reasons;
    }

    public Map<String, AttributeValue> item() {
        return item;
    }

    public String type() {
        return type;
    }

    /** The full {@code __type} value, e.g. {@code com.amazonaws.dynamodb.v20120810#ValidationException}. */
    public String wireType() {
        return namespace + "#" + type;
    }

    public int status() {
        return status;
    }

    /**
     * The member the message goes in: DynamoDB writes "Message" for protocol-level errors
     * (SerializationException) and "message" for the rest.
     */
    public String messageField() {
        if (messageField != null) {
            return messageField;
        }
        return CORAL.equals(namespace) ? "Message" : "message";
    }
}

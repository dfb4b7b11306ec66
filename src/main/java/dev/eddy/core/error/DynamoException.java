package dev.eddy.core.error;

/**
 * An error DynamoDB returns to the client: its wire type (the part after '#' in {@code __type}),
 * the namespace it lives in, and the message text. Every instance is created through {@link Errors}.
 */
public final class DynamoException extends RuntimeException {
    /** Errors of the DynamoDB service itself. */
    public static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810";
    /** Errors raised by the protocol layer before an operation runs (Coral, DynamoDB's framework). */
    public static final String CORAL = "com.amazon.coral.service";
    /** Request validation errors. */
    public static final String VALIDATE = "com.amazon.coral.validate";

    private final String namespace;
    private final String type;
    private final int status;

    DynamoException(String namespace, String type, String message, int status) {
        super(message, null, false, false);
        this.namespace = namespace;
        this.type = type;
        this.status = status;
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
        return CORAL.equals(namespace) ? "Message" : "message";
    }
}

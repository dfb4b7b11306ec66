package dev.eddy.core.auth.access;

/**
 * The condition keys DynamoDB puts in a request's context (Developer Guide, "Using IAM policy
 * conditions for fine-grained access control", and the PartiQL IAM page), and aws:SecureTransport.
 */
public final class ConditionKeys {
    /** The partition key value(s) the request touches; absent for a Scan, which touches any. */
    public static final String LEADING_KEYS = "dynamodb:LeadingKeys";
    /** The top-level attribute names the request reads, writes or tests, key attributes included. */
    public static final String ATTRIBUTES = "dynamodb:Attributes";
    /** Query and Scan's Select, as in effect (SPECIFIC_ATTRIBUTES with a projection, else ALL_...). */
    public static final String SELECT = "dynamodb:Select";
    /** The ReturnValues of a write, NONE when the request does not say. */
    public static final String RETURN_VALUES = "dynamodb:ReturnValues";
    public static final String RETURN_CONSUMED_CAPACITY = "dynamodb:ReturnConsumedCapacity";
    /** The transaction an action is part of: TransactWriteItems, TransactGetItems or ExecuteTransaction. */
    public static final String ENCLOSING_OPERATION = "dynamodb:EnclosingOperation";
    /** A PartiQL SELECT that reads the whole table (it became a Scan). */
    public static final String FULL_TABLE_SCAN = "dynamodb:FullTableScan";
    public static final String SECURE_TRANSPORT = "aws:SecureTransport";
    /**
     * The value dynamodb:Attributes holds for a read that returns every attribute (no projection):
     * it matches an allow-list of names only through a wildcard, so such a read is not mistaken for
     * one of listed attributes.
     */
    public static final String ALL_ATTRIBUTES = "*";

    /**
     * dynamodb:LeadingKeys of a request on a known table whose partition key value cannot be read
     * (the operation will refuse it): the empty string, which no partition key can be, so the request
     * matches no policy's list of keys rather than passing ForAllValues as a request without keys would.
     */
    public static final String UNREADABLE_KEY = "";

    private ConditionKeys() {
    }
}

package dev.eddy.core.api;

/**
 * One DynamoDB operation, in two steps: {@link #prepare} validates the request and parses its
 * expressions, once, with nothing that waits on a server; the {@link Prepared} it returns runs the
 * request against the store. Each operation is one class, registered once (with its properties) in
 * the registry, {@code dev.eddy.core.operation.Operations}; the wire endpoint, Funqy functions and
 * CloudEvents all dispatch through it.
 */
public interface Operation {
    /** The operation's name as in {@code X-Amz-Target} (PutItem, CreateTable, ...). */
    String name();

    /** The members read into their own form while the body streams by (see {@link RequestShape}). */
    default RequestShape shape() {
        return RequestShape.NONE;
    }

    /** Validates the request and parses what it carries; throws DynamoDB's error for a bad one. */
    Prepared prepare(Request request);
}

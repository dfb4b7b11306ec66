package dev.eddy.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * One DynamoDB operation: validates its request and writes its response object. Each operation
 * is one class, registered once in {@link Operations}; the wire endpoint, Funqy functions and
 * CloudEvents all dispatch through that registry.
 */
public interface Operation {
    /** The operation's name as in {@code X-Amz-Target} (PutItem, CreateTable, ...). */
    String name();

    /** Runs the request; writes the response members into {@code out}, which is an open object. */
    void execute(Request request, JsonGenerator out) throws IOException;
}

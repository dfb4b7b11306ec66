package dev.eddy.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * An operation that validates and runs in one go, waiting on the servers as it needs: table
 * management, scans, batches, transactions, the Streams API. The registry marks it as one that
 * waits, so transports run it where waiting is allowed; its work happens as its reply is written.
 */
public interface BlockingOperation extends Operation {
    /** Validates and runs the request; writes the response members into {@code out}, an open object. */
    void execute(Request request, JsonGenerator out) throws IOException;

    @Override
    default Prepared prepare(Request request) {
        return continuations -> CompletableFuture.completedFuture(out -> execute(request, out));
    }
}

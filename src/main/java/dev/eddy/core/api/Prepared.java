package dev.eddy.core.api;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** A validated request, ready to run against the store. */
@FunctionalInterface
public interface Prepared {
    /**
     * Runs the request. An operation the registry marks as never waiting returns at once: its stage
     * is complete when this instance's memory answered (the near cache), and completes when the
     * servers answer otherwise, its next steps then running on {@code continuations} (the request's
     * event loop). Other operations wait here, and run only where waiting is allowed.
     */
    CompletionStage<Reply> run(Executor continuations);
}

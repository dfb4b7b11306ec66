package dev.eddy.core.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Waiting for a run where waiting is allowed: its reply, or its own error (not wrapped). */
public final class Replies {
    private Replies() {
    }

    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException | CompletionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an operation", e);
        }
    }

    /** The error a stage failed with, as its operation threw it. */
    public static RuntimeException unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof Error e) {
            throw e;
        }
        return new CompletionException(c);
    }
}

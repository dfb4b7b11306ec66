package dev.eddy.core.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** Chaining Hot Rod's futures: a step that is done already goes on here, one that is not on the request's executor. */
final class Async {
    private Async() {
    }

    static <T, U> CompletableFuture<U> then(CompletableFuture<T> f, Function<T, CompletableFuture<U>> next,
                                            Executor continuations) {
        if (f.isDone() && !f.isCompletedExceptionally() && !f.isCancelled()) {
            try {
                return next.apply(f.join());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return f.thenComposeAsync(next, continuations);
    }
}

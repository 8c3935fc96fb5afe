package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a pool's first workers: all of them ready, or the first failure. */
final class Readiness {
    private Readiness() {
    }

    static void await(List<CompletableFuture<Void>> readiness) {
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        readiness.forEach(ready -> ready.exceptionally(failure -> {
            firstFailure.completeExceptionally(failure);
            return null;
        }));
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(readiness.toArray(CompletableFuture[]::new)),
                    firstFailure).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof WorkerStartException start ? start
                    : new WorkerStartException("a worker failed to start: " + cause, cause);
        }
    }
}

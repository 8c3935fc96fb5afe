package dev.procpool.internal;

import java.util.concurrent.CompletableFuture;

/** One apply: a chunk of one input whose outcome completes a future. */
final class SingleJob<R> implements ChunkSink {
    private final CompletableFuture<R> future = new CompletableFuture<>();

    CompletableFuture<R> future() {
        return future;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void completed(Chunk chunk, Object[] values, Throwable[] failures) {
        if (failures != null) {
            future.completeExceptionally(failures[0]);
        } else {
            future.complete((R) values[0]);
        }
    }

    @Override
    public void failed(Chunk chunk, Throwable failure) {
        future.completeExceptionally(failure);
    }

    @Override
    public boolean wanted() {
        return !future.isDone();
    }
}

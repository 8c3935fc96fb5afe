package dev.procpool.internal;

import dev.procpool.protocol.Values;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One apply: a chunk of one input whose outcome completes a future. */
final class SingleJob<R> implements ChunkSink {
    private final CompletableFuture<R> future = new CompletableFuture<>();

    /** {@code onCancel} stops the chunk wherever it is when the caller cancels the future. */
    SingleJob(Consumer<ChunkSink> onCancel) {
        future.whenComplete((result, failure) -> {
            if (future.isCancelled()) {
                onCancel.accept(this);
            }
        });
    }

    CompletableFuture<R> future() {
        return future;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void completed(Chunk chunk, Values values, Throwable[] failures) {
        if (failures != null) {
            future.completeExceptionally(failures[0]);
        } else {
            future.complete((R) values.get(0));
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

    @Override
    public boolean cancelled() {
        return future.isCancelled();
    }
}

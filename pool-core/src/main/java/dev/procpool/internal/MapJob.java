package dev.procpool.internal;

import dev.procpool.protocol.Values;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A map: results land at their input positions; the future completes when every chunk has, or fails at the first
 * failure reported (the remaining chunks are then skipped, not run).
 */
final class MapJob<R> implements ChunkSink {
    private final CompletableFuture<List<R>> future = new CompletableFuture<>();
    private final int chunksize;
    private Values[] chunks; // guarded by this: the results of chunk k at k, as the worker sent them
    private int chunkCount; // guarded by this
    private int size; // guarded by this: inputs submitted so far
    private int pendingChunks; // guarded by this
    private boolean sealed; // guarded by this: every chunk has been submitted
    private volatile long failedIndex = -1;

    /** {@code onCancel} stops the job's chunks wherever they are when the caller cancels the future. */
    MapJob(Consumer<ChunkSink> onCancel, int chunksize, int expectedSize) {
        this.chunksize = chunksize;
        this.chunks = new Values[Math.max(1, (int) ((expectedSize + (long) chunksize - 1) / chunksize))];
        future.whenComplete((result, failure) -> {
            if (future.isCancelled()) {
                onCancel.accept(this);
            }
        });
    }

    CompletableFuture<List<R>> future() {
        return future;
    }

    /** Position of the input whose failure failed the future, or -1. */
    long failedIndex() {
        return failedIndex;
    }

    /** One more chunk of {@code items} inputs was submitted (every chunk but the last has chunksize). */
    synchronized void expect(int items) {
        pendingChunks++;
        size += items;
        if (++chunkCount > chunks.length) {
            chunks = Arrays.copyOf(chunks, 2 * chunks.length);
        }
    }

    void sealed() {
        List<R> done;
        synchronized (this) {
            sealed = true;
            done = resultsIfDone();
        }
        if (done != null) {
            future.complete(done);
        }
    }

    /** The caller's iterable threw: nobody will wait for this job, its chunks need not run. */
    void abandon(Throwable reason) {
        future.completeExceptionally(reason);
    }

    @Override
    public void completed(Chunk chunk, Values values, Throwable[] failures) {
        if (failures != null) {
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] != null) {
                    fail(chunk.firstIndex + i, failures[i]);
                    return;
                }
            }
        }
        List<R> done;
        synchronized (this) {
            chunks[(int) (chunk.firstIndex / chunksize)] = values;
            pendingChunks--;
            done = resultsIfDone();
        }
        if (done != null) {
            future.complete(done);
        }
    }

    @Override
    public void failed(Chunk chunk, Throwable failure) {
        fail(chunk.firstIndex, failure);
    }

    private void fail(long index, Throwable failure) {
        synchronized (this) {
            if (future.isDone()) {
                return;
            }
            failedIndex = index;
        }
        future.completeExceptionally(failure);
    }

    private List<R> resultsIfDone() {
        if (!sealed || pendingChunks > 0 || future.isDone()) {
            return null;
        }
        return new ChunkedList<>(chunks, chunksize, size);
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

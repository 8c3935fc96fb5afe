package dev.procpool.internal;

import dev.procpool.protocol.Values;

/** Receives the outcome of a job's chunks. Called on a pool thread; implementations must not block. */
interface ChunkSink {
    /**
     * The worker ran the chunk. {@code failures} is null when every item succeeded, else {@code failures[i]} is the
     * failure of item i or null when {@code values[i]} is its result.
     */
    void completed(Chunk chunk, Values values, Throwable[] failures);

    /** The chunk as a whole failed (worker crash, serialization of its inputs, cancellation). */
    void failed(Chunk chunk, Throwable failure);

    /** False once the job no longer needs this chunk (cancelled, already failed): it is then skipped, not run. */
    boolean wanted();

    /** True once the caller cancelled the job: a chunk of it that started must be stopped by killing its worker. */
    default boolean cancelled() {
        return false;
    }
}

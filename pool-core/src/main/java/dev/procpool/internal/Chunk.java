package dev.procpool.internal;

import dev.procpool.protocol.Values;
import java.util.concurrent.ScheduledFuture;

/**
 * The unit sent to a worker in one RUN frame: a function over consecutive inputs of one job. Its outcome goes to the
 * job's {@link ChunkSink}.
 */
final class Chunk {
    final long requestId;
    final FunctionRef function;
    final Values inputs;
    /** Position of {@code inputs[0]} in the job's input sequence. */
    final long firstIndex;
    final ChunkSink sink;
    /** Longest time the worker may spend on this chunk; 0 = no limit. */
    final long timeoutNanos;
    /** When it was written to a worker (System.nanoTime), to estimate how long tasks take. */
    volatile long dispatchedAt;
    /** A REVOKE was asked for: the worker may give this chunk back unstarted (guarded by the supervisor's lock). */
    boolean revokeRequested;

    /** The timer's check of {@link #timeoutNanos}, armed when the chunk starts (guarded by the supervisor's lock). */
    ScheduledFuture<?> deadline;

    /** "item 17" in a map's messages; an apply's single item (index -1) is "the item". */
    String itemName(int offset) {
        return firstIndex < 0 ? "the item" : "item " + (firstIndex + offset);
    }

    /** "input 17" in a map's messages, "the input" of an apply. */
    String inputName(int offset) {
        return firstIndex < 0 ? "the input" : "input " + (firstIndex + offset);
    }

    Chunk(long requestId, FunctionRef function, Values inputs, long firstIndex, ChunkSink sink, long timeoutNanos) {
        this.requestId = requestId;
        this.function = function;
        this.inputs = inputs;
        this.firstIndex = firstIndex;
        this.sink = sink;
        this.timeoutNanos = timeoutNanos;
    }

    int size() {
        return inputs.size();
    }
}

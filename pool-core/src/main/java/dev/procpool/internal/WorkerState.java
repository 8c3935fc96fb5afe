package dev.procpool.internal;

import java.util.ArrayDeque;

/**
 * One worker's scheduling state, owned by the {@link Scheduler} and guarded by the supervisor's lock: the chunks
 * written to it in order (the head is the one it runs), what it has been told, and how fast its tasks are.
 */
final class WorkerState {
    static final int MAX_PIPELINE = 32;
    static final long FAST_TASK_NANOS = 200_000;

    final int slot;
    /** The process this state belongs to; null in scheduler tests. */
    final WorkerHandle handle;
    final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    int dispatched;
    boolean ready;
    /** Takes no more work; is told to exit when its in-flight work is done. */
    boolean retiring;
    /** The worker itself said it exits after its last result. */
    boolean retireAnnounced;
    boolean endSent;
    long endSentAt;
    boolean gone;
    private long taskNanos = Long.MAX_VALUE; // moving average of chunk service time
    private long lastResultAt;

    WorkerState(int slot, WorkerHandle handle) {
        this.slot = slot;
        this.handle = handle;
    }

    /** The chunk the worker runs now, or null. */
    Chunk running() {
        return inFlight.peekFirst();
    }

    /** Serving: ready, not leaving, not gone. */
    boolean serving() {
        return ready && !retiring && !gone && !endSent;
    }

    /**
     * How many more chunks this worker may hold. One at a time while tasks are slow or of unknown length, so that
     * work spreads evenly; a pipeline when they are fast, so that the pipe round trip does not dominate.
     */
    int room() {
        if (!serving() || givingBack()) {
            return 0; // a worker that is asked to give chunks back is too slow to take more
        }
        if (taskNanos >= FAST_TASK_NANOS) {
            return inFlight.isEmpty() ? 1 : 0;
        }
        return MAX_PIPELINE - inFlight.size();
    }

    /** Chunks written to it that it has not started and that were not asked back: counted, not searched. */
    int waiting() {
        Chunk head = inFlight.peekFirst();
        if (head == null) {
            return 0;
        }
        return inFlight.size() - 1 - (askedBack - (head.revokeRequested ? 1 : 0));
    }

    /** Chunks in flight that were asked back: counted, not searched (room() is on every result's path). */
    private int askedBack;

    boolean givingBack() {
        return askedBack > 0;
    }

    void askBack(Chunk chunk) {
        chunk.revokeRequested = true;
        askedBack++;
    }

    /** The chunk left the in-flight list (answered, given back, not sent). */
    void left(Chunk chunk) {
        if (chunk.revokeRequested) {
            askedBack--;
        }
    }

    void clearAskedBack() {
        askedBack = 0;
    }

    Chunk find(long requestId) {
        for (Chunk chunk : inFlight) {
            if (chunk.requestId == requestId) {
                return chunk;
            }
        }
        return null;
    }

    void resultAt(long now, Chunk chunk) {
        long service = now - Math.max(chunk.dispatchedAt, lastResultAt);
        lastResultAt = now;
        taskNanos = taskNanos == Long.MAX_VALUE ? service : (taskNanos * 7 + service) / 8;
    }

    @Override
    public String toString() {
        return "worker " + slot + (handle == null ? "" : " (pid " + handle.pid() + ")");
    }
}

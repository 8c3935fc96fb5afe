package dev.procpool.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls this side made and whose REPLY has not come: request ids are allocated here, by the caller, so either
 * side can call the other on the same pair of pipes. The reader thread hands a reply's frame straight to the waiting
 * caller, who decodes it with its own codec.
 */
public final class PendingCalls {
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentMap<Long, CompletableFuture<Frame>> waiting = new ConcurrentHashMap<>();
    private volatile String closedBecause;

    /** A new call id whose reply {@link #await} can wait for. */
    public long open() {
        long id = ids.incrementAndGet();
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        waiting.put(id, reply);
        String closed = closedBecause;
        if (closed != null) {
            reply.completeExceptionally(new IllegalStateException(closed));
        }
        return id;
    }

    /**
     * The reply to call {@code id}.
     *
     * @throws InterruptedException when the caller is interrupted; the call stays open until {@link #forget}
     * @throws TimeoutException when no reply came in time; the call stays open
     * @throws IllegalStateException when the other side is gone
     */
    public Frame await(long id, long timeoutNanos) throws InterruptedException, TimeoutException {
        CompletableFuture<Frame> reply = waiting.get(id);
        try {
            Frame frame = timeoutNanos < 0 ? reply.get() : reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
            waiting.remove(id);
            return frame;
        } catch (ExecutionException e) {
            waiting.remove(id);
            throw (IllegalStateException) e.getCause();
        }
    }

    /** Runs {@code then} with the reply when it arrives (at once if it already has). */
    public void whenArrived(long id, java.util.function.Consumer<Frame> then) {
        CompletableFuture<Frame> reply = waiting.get(id);
        if (reply != null) {
            reply.thenAccept(then);
        }
    }

    public void forget(long id) {
        waiting.remove(id);
    }

    /** Hands a REPLY to its caller; false when no call with that id is waiting (the sender gets an ERROR). */
    public boolean arrived(Frame reply) {
        CompletableFuture<Frame> caller = waiting.get(reply.requestId());
        return caller != null && caller.complete(reply);
    }

    /** The other side is gone: every waiting call and every later one fails with {@code why}. */
    public void close(String why) {
        closedBecause = why;
        waiting.values().forEach(reply -> reply.completeExceptionally(new IllegalStateException(why)));
    }
}

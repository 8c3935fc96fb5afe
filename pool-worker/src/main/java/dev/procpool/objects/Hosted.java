package dev.procpool.objects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * A shared object's state in the root JVM: a monitor-guarded state machine. An operation that cannot complete now
 * parks as a waiter (in arrival order) and is answered when a later operation makes it possible, when its timeout
 * passes, when its caller cancels it, or when its caller's process dies: no thread ever blocks here, so the reader
 * of a child's pipe that hands an operation in is never held up.
 */
abstract class Hosted {
    /** An operation waiting to complete. */
    static final class Waiter {
        final Op op;
        final Reply reply;
        ScheduledFuture<?> timeout;

        Waiter(Op op, Reply reply) {
            this.op = op;
            this.reply = reply;
        }

        int code() {
            return op.code();
        }
    }

    final long id;
    final Host host;
    /** Guarded by this: the parked operations by op id, oldest first. */
    private final Map<Long, Waiter> waiters = new LinkedHashMap<>();

    Hosted(long id, Host host) {
        this.id = id;
        this.host = host;
    }

    /** Serves one operation; what it answers is delivered after the monitor is released. */
    final void serve(Op op, Reply reply) {
        Deliveries out = new Deliveries();
        synchronized (this) {
            try {
                handle(op, reply, out);
            } catch (RuntimeException e) {
                out.failed(reply, e);
            }
        }
        out.deliver();
    }

    /**
     * A copy of a stored element for the caller of {@code op} (a get, a snapshot): the element stays stored, and the
     * handles in the copy count as given to the caller.
     */
    final Element shown(Element element, Op op) {
        host.lifetimes().shown(element.embedded(), op.caller().process());
        return element.as(false);
    }

    /**
     * An element about to leave for the caller of {@code op}, who sent in args[index] the most bytes it can receive
     * in one frame (older callers send none): one that does not fit would be lost in a reply that cannot be sent,
     * so the operation fails and the element stays.
     */
    static void requireRoom(Element element, Op op, int index, String what) {
        long room = op.args().length > index ? (Integer) op.args()[index] : Long.MAX_VALUE;
        if (element.bytes().length + 16L + 10L * element.embedded().length > room) {
            throw new IllegalArgumentException(what + ", a copy of " + element.bytes().length + " bytes, is larger"
                    + " than the calling JVM can receive in one frame (" + room + " bytes, see maxFrameBytes): it"
                    + " stays");
        }
    }

    /** Under the monitor: answers through {@code out}, or {@link #park}s the operation. */
    abstract void handle(Op op, Reply reply, Deliveries out);

    /** What a parked operation answers when its time runs out (null for a poll, false for a tryAcquire...). */
    abstract Object timedOut(Op op);

    /** What a parked operation answers when its caller cancels it (interrupted). */
    Object cancelled(Op op) {
        return Marker.CANCELLED;
    }

    /** Under the monitor: the operation waits; one that may not wait at all times out at once (null). */
    final Waiter park(Op op, Reply reply, Deliveries out) {
        if (op.timeoutNanos() == 0) {
            Waiter never = new Waiter(op, reply);
            out.done(reply, timedOut(op));
            gaveUp(never, Marker.TIMED_OUT, out);
            return null;
        }
        Waiter waiter = new Waiter(op, reply);
        waiters.put(op.id(), waiter);
        if (op.timeoutNanos() > 0) {
            waiter.timeout = host.schedule(() -> end(op.id(), Marker.TIMED_OUT), op.timeoutNanos());
        }
        return waiter;
    }

    /** Waiters in arrival order, for the subclass to satisfy (remove with {@link #satisfied}). */
    final Iterable<Waiter> waiting() {
        return new ArrayList<>(waiters.values());
    }

    final boolean anyWaiting(int code) {
        for (Waiter waiter : waiters.values()) {
            if (waiter.code() == code) {
                return true;
            }
        }
        return false;
    }

    /** Under the monitor: the waiter completes now. */
    final void satisfied(Waiter waiter, Object value, Deliveries out) {
        forget(waiter);
        out.done(waiter.reply, value);
    }

    final void failWaiter(Waiter waiter, Throwable failure, Deliveries out) {
        forget(waiter);
        out.failed(waiter.reply, failure);
    }

    private void forget(Waiter waiter) {
        waiters.remove(waiter.op.id());
        if (waiter.timeout != null) {
            waiter.timeout.cancel(false);
        }
    }

    /** The waiter's time ran out or its caller cancelled: it answers so, if it still waits. */
    final void end(long opId, Marker why) {
        Deliveries out = new Deliveries();
        synchronized (this) {
            Waiter waiter = waiters.get(opId);
            if (waiter != null) {
                forget(waiter);
                Object answer = why == Marker.TIMED_OUT ? timedOut(waiter.op) : cancelled(waiter.op);
                out.done(waiter.reply, answer);
                gaveUp(waiter, why, out);
            }
        }
        out.deliver();
    }

    /** Under the monitor, after a waiter gave up: the object may have to change (a barrier breaks). */
    void gaveUp(Waiter waiter, Marker why, Deliveries out) {
    }

    /** A process of the family ended: its waits end unanswered (nobody listens), and it gives back what it held. */
    final void processGone(long process, boolean abnormal) {
        Deliveries out = new Deliveries();
        synchronized (this) {
            List<Waiter> ofTheDead = new ArrayList<>();
            for (Waiter waiter : waiters.values()) {
                if (waiter.op.caller().process() == process) {
                    ofTheDead.add(waiter);
                }
            }
            for (Waiter waiter : ofTheDead) { // gaveUp may end other waiters (a barrier breaks): not while iterating
                forget(waiter);
                gaveUp(waiter, Marker.CANCELLED, out);
            }
            giveBack(process, abnormal, out);
        }
        out.deliver();
    }

    /** Under the monitor: what the dead process held (a lock, permits) is returned. */
    void giveBack(long process, boolean abnormal, Deliveries out) {
    }
}

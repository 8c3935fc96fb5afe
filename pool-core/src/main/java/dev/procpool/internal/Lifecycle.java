package dev.procpool.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's run state, guarded by the supervisor's lock (a submission checks it and queues its chunks atomically,
 * so nothing is queued behind a drain).
 * <pre>
 * STARTING   --every worker ready-->            RUNNING
 * STARTING   --a worker failed to start-->      TERMINATED (build() throws)
 * RUNNING    --shutdown()-->                    SHUTDOWN   queued work still runs, then workers end
 * RUNNING, SHUTDOWN --workers cannot start-->   BROKEN     queued work fails with the start failure
 * any        --terminate()-->                   TERMINATED workers are killed, work is cancelled
 * </pre>
 * Only RUNNING accepts work. The pool has ended once it is past RUNNING and no worker process is left.
 */
final class Lifecycle {
    enum State { STARTING, RUNNING, SHUTDOWN, BROKEN, TERMINATED }

    private final String pool;
    private final ReentrantLock lock; // the supervisor's
    private final Condition ended;
    private State state = State.STARTING;
    private Throwable brokenBy;
    private boolean over; // past RUNNING, no worker left, and the launcher closed

    Lifecycle(String pool, ReentrantLock supervisorLock) {
        this.pool = pool;
        this.lock = supervisorLock;
        this.ended = supervisorLock.newCondition();
    }

    /** Takes the lock: every worker is ready. */
    void started() {
        lock.lock();
        try {
            if (state == State.STARTING) {
                state = State.RUNNING;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock. */
    boolean running() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: the last worker of a pool past RUNNING is gone and its launcher closed. */
    void ended() {
        over = true;
        ended.signalAll();
    }

    /** Takes the lock: true once the pool is past RUNNING, no worker process is left and its launcher closed. */
    boolean awaitEnd(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (!over) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = ended.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock: after a failed start, until every worker launched is reaped. */
    void awaitNoWorkers(Slots slots) {
        lock.lock();
        try {
            while (!slots.isEmpty()) {
                ended.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    State state() {
        return state;
    }

    boolean is(State s) {
        return state == s;
    }

    /** STARTING or RUNNING: not yet told to stop. */
    boolean open() {
        return state == State.STARTING || state == State.RUNNING;
    }

    Throwable brokenBy() {
        return brokenBy;
    }

    /** True if this call moved the pool to SHUTDOWN. */
    boolean shutdown() {
        if (open()) {
            state = State.SHUTDOWN;
            return true;
        }
        return false;
    }

    /** True if this call broke the pool. */
    boolean broken(Throwable cause) {
        if (state == State.RUNNING || state == State.SHUTDOWN) {
            state = State.BROKEN;
            brokenBy = cause;
            return true;
        }
        return false;
    }

    /** True if this call terminated the pool (it was not already). */
    boolean terminate() {
        if (state == State.TERMINATED) {
            return false;
        }
        state = State.TERMINATED;
        return true;
    }

    void checkAccepting() {
        if (state != State.RUNNING) {
            RejectedExecutionException rejected = new RejectedExecutionException(state == State.BROKEN
                    ? pool + " is broken: " + brokenBy
                    : pool + " is " + state.name().toLowerCase() + ": it accepts no new work");
            rejected.initCause(brokenBy);
            throw rejected;
        }
    }
}

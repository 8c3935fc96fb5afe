package dev.procpool.objects;

import java.util.HashMap;
import java.util.Map;

/**
 * A lock owned by (process, thread), reentrant or not, with conditions. A condition waiter gives the lock up
 * entirely; signalled, it queues for the lock again and its await answers once it holds it, with its hold count.
 * An await that times out or is cancelled answers its hold count instead, and the caller takes the lock back with
 * it. A dead owner's lock is released.
 */
final class HostedLock extends Hosted {
    private final boolean reentrant;
    private Caller owner;
    private int holds;
    /** Hold counts of condition waiters, by op id; {@code signalled} once they queue for the lock again. */
    private final Map<Long, Integer> awaiting = new HashMap<>();
    private final Map<Long, Boolean> signalled = new HashMap<>();

    HostedLock(long id, Host host, boolean reentrant) {
        super(id, host);
        this.reentrant = reentrant;
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        Caller caller = op.caller();
        switch (op.code()) {
            case Codes.LOCK -> lock(op, reply, out);
            case Codes.UNLOCK -> {
                requireOwner(caller, "unlock()");
                if (--holds == 0) {
                    release(out);
                }
                out.done(reply, null);
            }
            case Codes.IS_LOCKED -> out.done(reply, owner != null);
            case Codes.HELD_BY_CALLER -> out.done(reply, caller.equals(owner));
            case Codes.AWAIT -> {
                requireOwner(caller, "await()");
                awaiting.put(op.id(), holds);
                park(op, reply, out);
                release(out);
            }
            case Codes.SIGNAL, Codes.SIGNAL_ALL -> {
                requireOwner(caller, op.code() == Codes.SIGNAL ? "signal()" : "signalAll()");
                int condition = (Integer) op.args()[0];
                for (Waiter waiter : waiting()) {
                    if (waiter.code() == Codes.AWAIT && !signalled.containsKey(waiter.op.id())
                            && (Integer) waiter.op.args()[0] == condition) {
                        signalled.put(waiter.op.id(), Boolean.TRUE);
                        if (op.code() == Codes.SIGNAL) {
                            break;
                        }
                    }
                }
                out.done(reply, null);
            }
            default -> throw new IllegalArgumentException("no lock operation " + op.code());
        }
    }

    /** args[0]: the hold count to take (1, or what an await gave up). */
    private void lock(Op op, Reply reply, Deliveries out) {
        int count = (Integer) op.args()[0];
        if (op.caller().equals(owner)) {
            if (!reentrant) {
                if (op.timeoutNanos() == 0) {
                    out.done(reply, Boolean.FALSE); // tryLock() by the owner of a non-reentrant lock
                    return;
                }
                throw new IllegalMonitorStateException("this thread already holds the lock, which is not reentrant");
            }
            holds += count;
            out.done(reply, Boolean.TRUE);
        } else if (owner == null && !anyWaiting(Codes.LOCK)) {
            owner = op.caller();
            holds = count;
            out.done(reply, Boolean.TRUE);
        } else {
            park(op, reply, out);
        }
    }

    private void requireOwner(Caller caller, String what) {
        if (!caller.equals(owner)) {
            throw new IllegalMonitorStateException(what + " by a thread that does not hold the lock");
        }
    }

    /** The lock is free: the oldest waiter that may take it gets it (a lock() or a signalled await()). */
    private void release(Deliveries out) {
        owner = null;
        holds = 0;
        for (Waiter waiter : waiting()) {
            if (waiter.code() == Codes.LOCK) {
                owner = waiter.op.caller();
                holds = (Integer) waiter.op.args()[0];
                satisfied(waiter, Boolean.TRUE, out);
                return;
            }
            if (waiter.code() == Codes.AWAIT && signalled.remove(waiter.op.id()) != null) {
                owner = waiter.op.caller();
                holds = awaiting.remove(waiter.op.id());
                satisfied(waiter, Boolean.TRUE, out);
                return;
            }
        }
    }

    @Override
    Object timedOut(Op op) {
        return op.code() == Codes.AWAIT ? awaiting.get(op.id()) : Boolean.FALSE;
    }

    @Override
    Object cancelled(Op op) {
        return op.code() == Codes.AWAIT ? awaiting.get(op.id()) : Marker.CANCELLED;
    }

    @Override
    void gaveUp(Waiter waiter, Marker why, Deliveries out) {
        awaiting.remove(waiter.op.id());
        signalled.remove(waiter.op.id());
    }

    @Override
    void giveBack(long process, boolean abnormal, Deliveries out) {
        if (owner != null && owner.process() == process) {
            System.getLogger("dev.procpool.shared").log(System.Logger.Level.WARNING,
                    "shared lock " + id + " was held by a process that ended: released");
            release(out);
        }
    }
}

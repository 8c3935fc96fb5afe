package dev.procpool.objects;

import java.util.HashMap;
import java.util.Map;

/**
 * A lock owned by (process, thread), reentrant or not, with conditions. Its state is a {@link LockWord}, which
 * processes that map the file change themselves; the root changes it for callers on the pipe path (LOCK, UNLOCK),
 * for waiters (it hands the lock to the oldest one: LOCK, LOCK_FAST, or a signalled AWAIT), and when an owner dies.
 * The hold count of an owner on the pipe path is kept here; one of the mapped file keeps its own.
 *
 * <p>A condition waiter gives the lock up entirely; signalled, it queues for the lock again and its await answers
 * once it holds it. An await that times out or is cancelled answers its hold count instead, and the caller takes
 * the lock back with it. A dead owner's lock is released.
 */
final class HostedLock extends HostedOnWord {
    private final boolean reentrant;
    /** Guarded by this: the hold count of an owner on the pipe path. */
    private int holds;
    /** Hold counts of condition waiters, by op id; {@code signalled} once they queue for the lock again. */
    private final Map<Long, Integer> awaiting = new HashMap<>();
    private final Map<Long, Boolean> signalled = new HashMap<>();

    HostedLock(long id, Host host, boolean reentrant, Host.Cell cell) {
        super(id, host, cell);
        this.reentrant = reentrant;
    }

    @Override
    long[] params() {
        return new long[] {reentrant ? 1 : 0};
    }

    private long owner(Caller caller) {
        return LockWord.owner(host.slots().of(caller.process()), caller.thread());
    }

    /** A caller that maps the file: LOCK_FAST, or an AWAIT that carries its hold count. */
    private static boolean mapped(Op op) {
        return op.code() == Codes.LOCK_FAST || (op.code() == Codes.AWAIT && op.args().length > 1);
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        Caller caller = op.caller();
        switch (op.code()) {
            case Codes.LOCK, Codes.LOCK_FAST -> lock(op, reply, out);
            case Codes.UNLOCK -> {
                requireOwner(caller, "unlock()");
                if (--holds == 0) {
                    release(out);
                }
                out.done(reply, null);
            }
            case Codes.IS_LOCKED -> out.done(reply, LockWord.ownerOf(word.get()) != 0);
            case Codes.HELD_BY_CALLER -> out.done(reply, LockWord.ownerOf(word.get()) == owner(caller));
            case Codes.AWAIT -> {
                requireOwner(caller, "await()");
                awaiting.put(op.id(), mapped(op) ? (Integer) op.args()[1] : holds);
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
                handOff(out); // the owner's word gets the waiters bit: its unlock will wake the signalled
                out.done(reply, null);
            }
            case Codes.WAKE -> {
                handOff(out);
                out.done(reply, null);
            }
            default -> throw new IllegalArgumentException("no lock operation " + op.code());
        }
    }

    /** args[0]: the hold count to take (1, or what an await gave up). */
    private void lock(Op op, Reply reply, Deliveries out) {
        int count = (Integer) op.args()[0];
        long me = owner(op.caller());
        if (LockWord.ownerOf(word.get()) == me) {
            if (!reentrant || mapped(op)) {
                if (op.timeoutNanos() == 0) {
                    out.done(reply, Boolean.FALSE); // tryLock() by the owner of a non-reentrant lock
                    return;
                }
                throw new IllegalMonitorStateException("this thread already holds the lock, which is not reentrant");
            }
            holds += count;
            out.done(reply, Boolean.TRUE);
        } else if (first(0) == null && word.cas(0, me)) {
            holds = mapped(op) ? 0 : count;
            out.done(reply, Boolean.TRUE);
        } else if (park(op, reply, out) != null) {
            handOff(out);
        }
    }

    private void requireOwner(Caller caller, String what) {
        if (LockWord.ownerOf(word.get()) != owner(caller)) {
            throw new IllegalMonitorStateException(what + " by a thread that does not hold the lock");
        }
    }

    /** The owner (on whose behalf the root acts) gives the lock up; the oldest waiter that may take it gets it. */
    private void release(Deliveries out) {
        holds = 0;
        word.set(0); // only the owner and the root (here, under the monitor) change an owned word
        handOff(out);
    }

    /**
     * Under the monitor, whenever waiters may have changed or the word may be free: a free word goes to the oldest
     * waiter that may take it (with the waiters bit if more wait); an owned word gets the bit if anyone waits,
     * loses it if nobody does. Loops because processes take and release the word meanwhile.
     */
    private void handOff(Deliveries out) {
        while (true) {
            Waiter first = first(0);
            long w = word.get();
            if (first == null) {
                if ((w & LockWord.WAITERS) == 0 || word.cas(w, w & ~LockWord.WAITERS)) {
                    return;
                }
            } else if (w == 0) {
                long to = owner(first.op.caller()) | (first(1) != null ? LockWord.WAITERS : 0);
                if (word.cas(0, to)) {
                    grant(first, out);
                    return;
                }
            } else if ((w & LockWord.WAITERS) != 0 || word.cas(w, w | LockWord.WAITERS)) {
                return;
            }
        }
    }

    /** The waiter owns the word now. */
    private void grant(Waiter waiter, Deliveries out) {
        int count = waiter.code() == Codes.AWAIT ? awaiting.remove(waiter.op.id()) : (Integer) waiter.op.args()[0];
        signalled.remove(waiter.op.id());
        holds = mapped(waiter.op) ? 0 : count;
        satisfied(waiter, Boolean.TRUE, out);
    }

    /** The waiter that may take the lock after {@code skip} others: a lock() or a signalled await(), or null. */
    private Waiter first(int skip) {
        for (Waiter waiter : waiting()) {
            boolean eligible = waiter.code() == Codes.LOCK || waiter.code() == Codes.LOCK_FAST
                    || (waiter.code() == Codes.AWAIT && signalled.containsKey(waiter.op.id()));
            if (eligible && skip-- == 0) {
                return waiter;
            }
        }
        return null;
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
        handOff(out); // the waiters bit may have to go, or the next waiter may take a free word
    }

    @Override
    void giveBack(long process, boolean abnormal, Deliveries out) {
        int slot = host.slots().peek(process);
        for (long w = word.get(); slot != 0 && w != 0 && LockWord.slotOf(w) == slot; w = word.get()) {
            if (word.cas(w, 0)) {
                holds = 0;
                System.getLogger("dev.procpool.shared").log(System.Logger.Level.WARNING,
                        "shared lock " + id + " was held by a process that ended: released");
            }
        }
        handOff(out); // also when it died between its release and its WAKE
    }
}

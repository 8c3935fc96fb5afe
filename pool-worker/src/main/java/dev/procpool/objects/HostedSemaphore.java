package dev.procpool.objects;

import java.util.HashMap;
import java.util.Map;

/**
 * Permits in a {@link SemaphoreWord}, which processes that map the file change themselves; the root changes it for
 * callers on the pipe path, for parked waiters (handed out in arrival order) and when a process dies. It has no
 * owner, but the permits each process acquired and has not released are known (here for callers on the pipe
 * path, in the file's held words for the others): when a process dies abnormally they come back.
 */
final class HostedSemaphore extends HostedOnWord {
    private final int initial;
    private final boolean bounded;
    /** Guarded by this: permits held by callers on the pipe path. */
    private final Map<Long, Long> heldBy = new HashMap<>();

    HostedSemaphore(long id, Host host, int permits, boolean bounded, Host.Cell cell) {
        super(id, host, cell);
        this.initial = permits;
        this.bounded = bounded;
        if (cell.reused()) { // a fresh cell's held words are zero; untouched pages stay unallocated
            for (int slot = 1; slot < Shm.MAX_FAST_SLOTS; slot++) { // nobody holds the new semaphore yet
                SemaphoreWord.clear(cell.shm().held(slot, cell.index()));
            }
        }
        word.set(SemaphoreWord.word(permits, false, 0, 0));
    }

    @Override
    long[] params() {
        return new long[] {bounded ? 1 : 0, initial, cell.index()};
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        switch (op.code()) {
            case Codes.ACQUIRE -> {
                int n = (Integer) op.args()[0];
                if (!anyWaiting(Codes.ACQUIRE) && !anyWaiting(Codes.ACQUIRE_FAST) && take(n)) {
                    heldBy.merge(op.caller().process(), (long) n, Long::sum);
                    out.done(reply, Boolean.TRUE);
                } else if (park(op, reply, out) != null) {
                    handOut(out);
                }
            }
            case Codes.ACQUIRE_FAST -> {
                if (park(op, reply, out) != null) {
                    handOut(out);
                }
            }
            case Codes.RELEASE_PERMITS -> {
                int n = (Integer) op.args()[0];
                change(n, true);
                long process = op.caller().process();
                heldBy.computeIfPresent(process, (p, held) -> held > n ? held - n : null);
                handOut(out);
                out.done(reply, null);
            }
            case Codes.AVAILABLE -> out.done(reply, SemaphoreWord.permits(word.get()));
            case Codes.WAKE -> {
                handOut(out);
                out.done(reply, null);
            }
            default -> throw new IllegalArgumentException("no semaphore operation " + op.code());
        }
    }

    /** Takes n permits if there are as many; the waiters bit stays as it is. */
    private boolean take(int n) {
        while (true) {
            long w = word.get();
            if (SemaphoreWord.permits(w) < n) {
                return false;
            }
            SemaphoreWord.settle(cell.shm(), cell.index(), w, 0);
            if (word.cas(w, SemaphoreWord.word(SemaphoreWord.permits(w) - n, (w & SemaphoreWord.WAITERS) != 0, 0,
                    0))) {
                return true;
            }
        }
    }

    /** Adds n permits (a release, a give-back); the waiters bit stays (handOut decides about it). */
    private void change(long n, boolean checked) {
        while (true) {
            long w = word.get();
            long permits = SemaphoreWord.permits(w);
            if (checked && bounded && permits + n > initial) {
                throw new IllegalStateException("release above the initial " + initial + " permits of a bounded"
                        + " semaphore");
            }
            SemaphoreWord.settle(cell.shm(), cell.index(), w, 0);
            if (word.cas(w, SemaphoreWord.word(permits + n, (w & SemaphoreWord.WAITERS) != 0, 0, 0))) {
                return;
            }
        }
    }

    /**
     * Under the monitor: waiters take permits in arrival order (a large request is not overtaken by a later one);
     * the waiters bit is set while one still waits, so that the next release of a mapped-file process tells us.
     */
    private void handOut(Deliveries out) {
        for (Waiter waiter : waiting()) {
            int n = (Integer) waiter.op.args()[0];
            while (true) {
                long w = word.get();
                if (SemaphoreWord.permits(w) >= n) {
                    if (take(n)) {
                        break;
                    }
                } else if ((w & SemaphoreWord.WAITERS) != 0 || word.cas(w, w | SemaphoreWord.WAITERS)) {
                    if (SemaphoreWord.permits(word.get()) < n) {
                        return; // the bit is set on a word with too few permits: a release will tell us
                    }
                }
            }
            long process = waiter.op.caller().process();
            if (waiter.code() == Codes.ACQUIRE_FAST && process != Self.token()) {
                SemaphoreWord.add(cell.shm().held(host.slots().peek(process), cell.index()), n);
            } else if (waiter.code() == Codes.ACQUIRE) {
                heldBy.merge(process, (long) n, Long::sum);
            }
            satisfied(waiter, Boolean.TRUE, out);
        }
        for (long w = word.get(); (w & SemaphoreWord.WAITERS) != 0; w = word.get()) {
            if (word.cas(w, w & ~SemaphoreWord.WAITERS)) {
                return;
            }
        }
    }

    @Override
    Object timedOut(Op op) {
        return Boolean.FALSE;
    }

    @Override
    void gaveUp(Waiter waiter, Marker why, Deliveries out) {
        handOut(out); // a large request that gave up may have held smaller ones back
    }

    @Override
    void giveBack(long process, boolean abnormal, Deliveries out) {
        long held = heldBy.getOrDefault(process, 0L);
        heldBy.remove(process);
        int slot = host.slots().peek(process);
        if (cell.shm() != null && slot > 0 && slot < Shm.MAX_FAST_SLOTS) {
            SemaphoreWord.settle(cell.shm(), cell.index(), word.get(), 0); // its last CAS, if not counted yet
            held += SemaphoreWord.clear(cell.shm().held(slot, cell.index()));
        }
        if (abnormal && held > 0) {
            change(held, false); // what it held was taken from the initial permits: it fits
        }
        handOut(out);
    }
}

package dev.procpool.objects;

/**
 * A semaphore's fast path in a process that maps the file (or in the root, on its own word): acquire and release
 * by CAS on the word, counted in this process's held word by the rule of {@link SemaphoreWord}; after a bounded
 * spin an acquirer parks in the root (ACQUIRE_FAST), which takes the permits for it and counts them; a release
 * that clears the waiters bit tells the root (WAKE). The root itself never dies: its changes carry no journal.
 */
final class FastSemaphore {
    /**
     * This JVM's changes of semaphores, one at a time: its one journal word describes one change. Held for a few
     * atomic instructions, never while waiting; taken after nothing else (a leaf lock).
     */
    private static final Object JOURNAL = new Object();

    private final Ref ref;
    private final Word word;
    private final Shm shm;
    private final int slot;
    private final int cell;
    private final boolean journaled;
    private final boolean bounded;
    private final long initial;

    FastSemaphore(Ref ref, Fast.View view) {
        this.ref = ref;
        this.word = view.word();
        this.shm = view.shm();
        this.slot = view.slot();
        this.bounded = view.params()[0] != 0;
        this.initial = view.params()[1];
        this.cell = (int) view.params()[2];
        this.journaled = !Self.isRoot() && shm != null && cell >= 0;
    }

    /** {@code nanos}: -1 forever, 0 not at all. */
    boolean acquire(int n, long nanos) throws InterruptedException {
        if (n == 0) {
            return true;
        }
        for (Spin spin = new Spin(); ; ) {
            if (SemaphoreWord.permits(word.get()) >= n && change(-n)) {
                return true;
            }
            if (nanos == 0) {
                return false;
            }
            if (!spin.again()) {
                return (Boolean) ref.call(Codes.ACQUIRE_FAST, nanos, n);
            }
        }
    }

    void release(int n) {
        if (n > 0 && change(n)) {
            ref.tell(Codes.WAKE); // the waiters bit was set: the root hands the permits on
        }
    }

    int available() {
        return SemaphoreWord.permits(word.get());
    }

    /**
     * One change of {@code delta} permits. An acquire: true if taken, false if too few permits. A release: true if
     * it cleared the waiters bit (the root must be told).
     */
    private boolean change(int delta) {
        if (!journaled) {
            return move(delta, 0, 0);
        }
        synchronized (JOURNAL) {
            Word held = shm.held(slot, cell);
            int seq = SemaphoreWord.next(SemaphoreWord.heldSeq(held.get()));
            // ordered before the word's CAS: whoever sees the word name this change sees this journal
            shm.journal(slot).setRelease(SemaphoreWord.journal(cell, seq, delta));
            boolean moved = move(delta, slot, seq);
            if (delta < 0 && !moved) {
                return false; // the journal names a change that never happened: nobody counts it
            }
            for (long h = held.get(); SemaphoreWord.heldSeq(h) != seq; h = held.get()) {
                if (held.cas(h, SemaphoreWord.counted(h, delta, seq))) {
                    break;
                }
            }
            return moved;
        }
    }

    /** The CAS itself, after settling the change of whoever moved the word last. */
    private boolean move(int delta, int mySlot, int seq) {
        while (true) {
            long w = word.get();
            long permits = SemaphoreWord.permits(w);
            if (delta < 0 && permits < -delta) {
                return false;
            }
            if (delta > 0 && bounded && permits + delta > initial) {
                throw new IllegalStateException("release above the initial " + initial + " permits of a bounded"
                        + " semaphore");
            }
            SemaphoreWord.settle(shm, cell, w, mySlot);
            boolean waiters = (w & SemaphoreWord.WAITERS) != 0;
            long to = SemaphoreWord.word(permits + delta, delta < 0 && waiters, mySlot, seq);
            if (word.cas(w, to)) {
                Hooks.changed();
                return delta < 0 || waiters;
            }
        }
    }
}

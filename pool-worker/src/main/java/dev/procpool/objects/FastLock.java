package dev.procpool.objects;

/**
 * A lock's fast path in a process that maps the file (or in the root, on its own word): take and release the
 * {@link LockWord} with one CAS / swap each; after a bounded spin a taker parks in the root (LOCK_FAST), which hands
 * it the word; a release that finds the waiters bit tells the root (WAKE). The hold count is kept here and is only
 * touched by the owner thread (the word's CAS and swap order it between threads of this process).
 */
final class FastLock {
    private final Ref ref;
    private final Word word;
    private final int slot;
    private final boolean reentrant;
    private int holds;

    FastLock(Ref ref, Fast.View view) {
        this.ref = ref;
        this.word = view.word();
        this.slot = view.slot();
        this.reentrant = view.params()[0] != 0;
    }

    private long me() {
        return LockWord.owner(slot, Thread.currentThread().getId());
    }

    /**
     * Takes the lock with {@code count} holds; {@code nanos}: -1 forever, 0 not at all. False when the time ran out
     * (or tryLock() by the owner of a non-reentrant lock).
     */
    boolean lock(int count, long nanos) throws InterruptedException {
        long me = me();
        long w = word.get();
        if (LockWord.ownerOf(w) == me) {
            if (!reentrant) {
                if (nanos == 0) {
                    return false;
                }
                throw new IllegalMonitorStateException("this thread already holds the lock, which is not reentrant");
            }
            holds += count;
            return true;
        }
        for (Spin spin = new Spin(); ; ) {
            while (w == 0) {
                if (word.cas(0, me)) {
                    Hooks.changed();
                    holds = count;
                    return true;
                }
                w = word.get();
            }
            if (nanos == 0) {
                return false;
            }
            if (!spin.again()) {
                break;
            }
            w = word.get();
        }
        if ((Boolean) ref.call(Codes.LOCK_FAST, nanos, count)) { // the spin's few microseconds are not taken off
            holds = count; // the root made the word ours before it answered
            return true;
        }
        return false;
    }

    void unlock() {
        if (LockWord.ownerOf(word.get()) != me()) {
            throw new IllegalMonitorStateException("unlock() by a thread that does not hold the lock");
        }
        if (--holds > 0) {
            return;
        }
        long before = word.getAndSet(0);
        Hooks.changed();
        if ((before & LockWord.WAITERS) != 0) {
            ref.tell(Codes.WAKE);
        }
    }

    boolean isLocked() {
        return LockWord.ownerOf(word.get()) != 0;
    }

    boolean isHeldByCurrentThread() {
        return LockWord.ownerOf(word.get()) == me();
    }

    /** The holds an await gives up (the root takes the word from this owner). */
    int holds() {
        if (!isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("await() by a thread that does not hold the lock");
        }
        return holds;
    }

    /** After a signalled await: the root gave the word back to this thread. */
    void holdAgain(int count) {
        holds = count;
    }
}

package dev.procpool.objects;

/**
 * The word of a lock: 0 when free; else the owner, (process slot, thread id), and a waiters bit that only the root
 * sets (under the lock object's monitor, by compare-and-set on an owned word). Bits: 63 waiters, 62-47 slot, 46-0
 * thread id. Every process takes a free lock with one CAS 0 -> owner and releases it with one swap owner -> 0; a
 * release whose swap returns the waiters bit tells the root (WAKE), which hands the lock to its oldest waiter.
 * Since the bit is only ever set on an owned word, and its owner's swap sees it, no wake-up is lost; an owner that
 * dies between its swap and the WAKE is covered by the root handing the lock on at every process's end.
 */
final class LockWord {
    static final long WAITERS = 1L << 63;
    private static final int SLOT_SHIFT = 47;
    private static final long THREAD_MASK = (1L << SLOT_SHIFT) - 1;
    private static final long OWNER_MASK = ~WAITERS;

    private LockWord() {
    }

    static long owner(int slot, long threadId) {
        return ((long) slot << SLOT_SHIFT) | (threadId & THREAD_MASK);
    }

    static long ownerOf(long word) {
        return word & OWNER_MASK;
    }

    static int slotOf(long word) {
        return (int) ((word & OWNER_MASK) >>> SLOT_SHIFT);
    }
}

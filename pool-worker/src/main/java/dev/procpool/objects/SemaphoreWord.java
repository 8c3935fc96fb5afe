package dev.procpool.objects;

/**
 * The words of a semaphore and the rule that keeps the permits each process holds exact across a SIGKILL.
 *
 * <p>Semaphore word: bits 0-31 permits, bit 32 waiters (set by the root only), bits 33-47 seq, bits 48-63 slot:
 * the last process of the mapped file that changed it and its sequence number for that change (slot 0: the root,
 * which never dies, or nobody). Held word {@code H[p][c]} (per process slot p and semaphore cell c): bits 0-47
 * permits that p holds, bits 48-62 the seq of p's last change of c that is counted in it. Journal word {@code J[p]}:
 * bits 0-31 the delta p is applying (-n acquire, +n release), bits 32-46 its seq, bits 47-63 the cell.
 *
 * <p>A process p changes a semaphore (its operations on semaphores one at a time, under {@link FastSemaphore}'s
 * lock): it takes seq = H.seq + 1, writes J[p] = (c, seq, delta), moves the word by CAS to (permits + delta, p,
 * seq), then counts the change in H[p][c] by CAS (held, seq-1) -> (held', seq). Whoever moves a word that names
 * (p, s), p another process, first {@link #settle}s p's change: if J[p] still says (c, s), the CAS of p happened
 * (the word says so) and may not be counted yet, so it counts it (the CAS on H makes the count happen once, by
 * whoever comes first). So when p dies the root knows exactly: the word names (p, s) and H[p][c].seq is s-1 (its
 * CAS happened, it died before counting: count it), or the change is counted, or p's CAS never happened (nobody
 * else can have moved a word off (p, s) without counting it). Then the root gives back H[p][c].held if p died
 * abnormally. A seq is 15 bits and never reset (a slot's next process goes on from the last), so a thread would
 * have to stall between two reads for 32,767 changes of one cell by one slot to take one change for another.
 */
final class SemaphoreWord {
    static final long WAITERS = 1L << 32;
    private static final long PERMITS = 0xFFFF_FFFFL;
    private static final int SEQ_MASK = 0x7FFF;
    private static final long HELD_MASK = (1L << 48) - 1;

    private SemaphoreWord() {
    }

    static int permits(long w) {
        return (int) (w & PERMITS);
    }

    static int slot(long w) {
        return (int) (w >>> 48);
    }

    static int seq(long w) {
        return (int) ((w >>> 33) & SEQ_MASK);
    }

    /** The word after a change by {@code slot} with {@code seq}; {@code waiters}: keep that bit. */
    static long word(long permits, boolean waiters, int slot, int seq) {
        if (permits > Integer.MAX_VALUE || permits < 0) {
            throw new IllegalStateException("a semaphore holds at most " + Integer.MAX_VALUE + " permits");
        }
        return permits | (waiters ? WAITERS : 0) | ((long) seq << 33) | ((long) slot << 48);
    }

    static long journal(int cell, int seq, int delta) {
        return (delta & PERMITS) | ((long) seq << 32) | ((long) cell << 47);
    }

    static int journalCell(long j) {
        return (int) (j >>> 47);
    }

    static int journalSeq(long j) {
        return (int) ((j >>> 32) & SEQ_MASK);
    }

    static int journalDelta(long j) {
        return (int) j;
    }

    static long held(long h) {
        return h & HELD_MASK;
    }

    static int heldSeq(long h) {
        return (int) (h >>> 48);
    }

    /** The next seq after {@code seq}, never 0 (a journal of zeros names no change). */
    static int next(int seq) {
        return seq == SEQ_MASK ? 1 : seq + 1;
    }

    /** What p holds after a change of {@code delta}: a release gives back at most what p holds. */
    static long counted(long h, int delta, int seq) {
        long held = held(h);
        long after = delta < 0 ? held - delta : Math.max(0, held - delta);
        return (after & HELD_MASK) | ((long) seq << 48);
    }

    /**
     * Before moving word {@code w} of {@code cell}: counts the change of the process the word names, if its CAS
     * happened but is not counted yet. {@code mine}: this process's slot (its own changes are counted already).
     */
    static void settle(Shm shm, int cell, long w, int mine) {
        int slot = slot(w);
        if (slot == 0 || slot == mine || shm == null || slot >= Shm.MAX_FAST_SLOTS) {
            return;
        }
        int seq = seq(w);
        long j = shm.journal(slot).get();
        if (journalCell(j) != cell || journalSeq(j) != seq) {
            return; // that process went on to another change: it counted this one first
        }
        Word held = shm.held(slot, cell);
        // only while H names the change just before this one: once that process counted it (or went on, when
        // this thread read the word long ago), counting again would count a change that is not this one
        for (long h = held.get(); next(heldSeq(h)) == seq; h = held.get()) {
            if (held.cas(h, counted(h, journalDelta(j), seq))) {
                return;
            }
        }
    }

    /** Adds permits the root handed to a waiting process (its seq unchanged: no change of its own). */
    static void add(Word held, long n) {
        for (long h = held.get(); !held.cas(h, (h & ~HELD_MASK) | ((held(h) + n) & HELD_MASK)); h = held.get()) {
            Thread.onSpinWait();
        }
    }

    /** Sets what a process holds to 0, its seq unchanged; the permits it held. */
    static long clear(Word held) {
        for (long h = held.get(); ; h = held.get()) {
            if (held.cas(h, h & ~HELD_MASK)) {
                return held(h);
            }
        }
    }
}

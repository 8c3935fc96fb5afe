package dev.procpool.objects;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * In the root: the 16-bit slot of every process that uses a lock, semaphore or event of the fast kind, the number
 * its lock words and journal carry instead of its 64-bit token. Slots below {@link Shm#MAX_FAST_SLOTS} are for
 * processes that map the file (they index the journals and the held permits); the others name callers on the
 * pipe path in lock words. A slot is free again once its process's end was handled (nothing carries it then), and
 * is reused last-freed-last (a FIFO), so that a number comes back as late as possible.
 */
final class Slots {
    static final int MAX = 1 << 16;

    /** Guarded by this, a leaf lock: taken under a shared object's monitor (lock order: object, then Slots). */
    private final Map<Long, Integer> byToken = new HashMap<>();
    private final ArrayDeque<Integer> freeFast = new ArrayDeque<>();
    private final ArrayDeque<Integer> freePipe = new ArrayDeque<>();

    Slots() {
        for (int slot = 1; slot < Shm.MAX_FAST_SLOTS; slot++) {
            freeFast.add(slot);
        }
        for (int slot = Shm.MAX_FAST_SLOTS; slot < MAX; slot++) {
            freePipe.add(slot);
        }
    }

    /** A slot that may map the file, or 0 when all are taken (that process stays on the pipe path). */
    synchronized int fast(long token) {
        Integer known = byToken.get(token);
        if (known != null) {
            return known < Shm.MAX_FAST_SLOTS ? known : 0;
        }
        Integer slot = freeFast.poll();
        if (slot == null) {
            return 0;
        }
        byToken.put(token, slot);
        return slot;
    }

    /** The caller's slot, given now from the pipe range if it has none. */
    synchronized int of(long token) {
        Integer known = byToken.get(token);
        if (known != null) {
            return known;
        }
        Integer slot = freePipe.poll();
        if (slot == null) {
            throw new IllegalStateException("more than " + MAX + " processes use shared locks at once");
        }
        byToken.put(token, slot);
        return slot;
    }

    /** The slot of a process, 0 if it has none. */
    synchronized int peek(long token) {
        return byToken.getOrDefault(token, 0);
    }

    /** The process ended and what it held was given back: its slot may name another process. */
    synchronized void gone(long token) {
        Integer slot = byToken.remove(token);
        if (slot != null) {
            (slot < Shm.MAX_FAST_SLOTS ? freeFast : freePipe).add(slot);
        }
    }
}

package dev.procpool.shared;

import dev.procpool.objects.Factory;

/**
 * Objects shared by the JVMs of one family: the root JVM (the one procpool did not start) and every pool worker
 * and JvmProcess started from it, at any depth. They live in the root; elsewhere a handle is a proxy that calls the
 * root over the existing pipes, and in the root the handle is the object itself (no I/O). A handle can be captured
 * by a task or target lambda, passed as an input, put in a SharedQueue or stored in a SharedMap: it travels as a
 * reference. A process that dies gives back what it held (locks, permits, waits, barrier parties); an object that
 * no JVM of the family can reach any more is freed.
 */
public final class Shared {
    private Shared() {
    }

    /** Unbounded. */
    public static <E> SharedQueue<E> queue() {
        return Factory.queue(Integer.MAX_VALUE, false);
    }

    /** Python's {@code Queue(maxsize)}: put blocks while it holds {@code capacity} elements. */
    public static <E> SharedQueue<E> queue(int capacity) {
        return Factory.queue(capacity, false);
    }

    public static <E> SharedJoinableQueue<E> joinableQueue() {
        return Factory.queue(Integer.MAX_VALUE, true);
    }

    public static <E> SharedJoinableQueue<E> joinableQueue(int capacity) {
        return Factory.queue(capacity, true);
    }

    /** Not reentrant: lock() again by its owner throws IllegalMonitorStateException. */
    public static SharedLock lock() {
        return Factory.lock(false);
    }

    /** Python's {@code RLock}. */
    public static SharedLock reentrantLock() {
        return Factory.lock(true);
    }

    public static SharedSemaphore semaphore(int permits) {
        return Factory.semaphore(permits, false);
    }

    /** A release above the initial permits: IllegalStateException. */
    public static SharedSemaphore boundedSemaphore(int permits) {
        return Factory.semaphore(permits, true);
    }

    public static SharedEvent event() {
        return Factory.event();
    }

    public static SharedBarrier barrier(int parties) {
        return Factory.barrier(parties);
    }

    /** Python's {@code Value('q')} with atomic operations. */
    public static SharedAtomicLong atomicLong(long initial) {
        return Factory.atomicLong(initial);
    }

    /** {@code Manager().dict()}. */
    public static <K, V> SharedMap<K, V> map() {
        return Factory.map();
    }

    /** {@code Manager().list()}. */
    public static <E> SharedList<E> list() {
        return Factory.list();
    }

    /** {@code Manager().Namespace()}. */
    public static SharedNamespace namespace() {
        return Factory.namespace();
    }
}

package dev.procpool.objects;

import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedJoinableQueue;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedNamespace;
import dev.procpool.shared.SharedSemaphore;

/** Makes shared objects: in the root directly, elsewhere by asking the root. Behind {@link dev.procpool.shared.Shared}. */
public final class Factory {
    private Factory() {
    }

    @SuppressWarnings("unchecked")
    public static <E> SharedJoinableQueue<E> queue(int capacity, boolean joinable) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        return (SharedJoinableQueue<E>) create(Codes.KIND_QUEUE, capacity, joinable);
    }

    public static SharedLock lock(boolean reentrant) {
        return (SharedLock) create(Codes.KIND_LOCK, reentrant);
    }

    public static SharedSemaphore semaphore(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be >= 0, was " + permits);
        }
        return (SharedSemaphore) create(Codes.KIND_SEMAPHORE, permits, bounded);
    }

    public static SharedEvent event() {
        return (SharedEvent) create(Codes.KIND_EVENT);
    }

    public static SharedBarrier barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1, was " + parties);
        }
        return (SharedBarrier) create(Codes.KIND_BARRIER, parties);
    }

    public static SharedAtomicLong atomicLong(long initial) {
        return (SharedAtomicLong) create(Codes.KIND_ATOMIC, initial);
    }

    @SuppressWarnings("unchecked")
    public static <K, V> SharedMap<K, V> map() {
        return (SharedMap<K, V>) create(Codes.KIND_MAP);
    }

    @SuppressWarnings("unchecked")
    public static <E> SharedList<E> list() {
        return (SharedList<E>) create(Codes.KIND_LIST);
    }

    public static SharedNamespace namespace() {
        return (SharedNamespace) create(Codes.KIND_NAMESPACE);
    }

    /** Objects the root keeps alive now, asked from any JVM of the family: for tests that they are freed. */
    public static int aliveInRoot() {
        if (Self.isRoot()) {
            return Host.INSTANCE.size();
        }
        return (Integer) Channel.call(new Op(0, Codes.ALIVE, new Object[0], 0, Caller.current(), 0, Op.NONE));
    }

    /**
     * Whether this JVM changes locks, semaphores, atomics and events in the family's mapped file itself (true in
     * the root, on its own words, even without a file); false: every operation is a call to the root.
     */
    public static boolean mapped() {
        return Fast.get() != null;
    }

    private static Object create(int kind, Object... parameters) {
        Object[] args = new Object[parameters.length + 1];
        args[0] = kind;
        System.arraycopy(parameters, 0, args, 1, parameters.length);
        if (Self.isRoot()) {
            return Handles.of(kind, Host.INSTANCE.create(args), false);
        }
        Op op = new Op(0, Codes.CREATE, args, 0, Caller.current(), 0, Op.NONE);
        long id = (Long) Channel.call(op);
        return Handles.of(kind, id, true);
    }
}

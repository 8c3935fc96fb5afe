package dev.procpool.objects;

import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedLock;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A shared lock, reentrant or not, and its conditions: on the word itself when it can ({@link FastLock}). */
final class LockHandle implements SharedLock, Shareable {
    private final Ref ref;
    private final AtomicInteger conditions = new AtomicInteger();
    /** Null until first used; {@link #PIPE} when this JVM calls the root for every operation. */
    private volatile Object fast;
    private static final Object PIPE = new Object();

    LockHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_LOCK);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    private FastLock fast() {
        Object f = fast;
        if (f == null) {
            Fast.View view = ref.view();
            f = view == null ? PIPE : new FastLock(ref, view);
            synchronized (this) { // one FastLock per handle: it keeps the hold count
                if (fast == null) {
                    fast = f;
                }
                f = fast;
            }
        }
        return f == PIPE ? null : (FastLock) f;
    }

    /** Takes {@code count} holds; see {@link FastLock#lock}. */
    private boolean take(int count, long nanos) throws InterruptedException {
        FastLock f = fast();
        if (f == null) {
            return nanos == 0 ? (Boolean) ref.now(Codes.LOCK, count) : (Boolean) ref.call(Codes.LOCK, nanos, count);
        }
        return f.lock(count, nanos);
    }

    @Override
    public void lock() {
        takeUninterruptibly(1);
    }

    private void takeUninterruptibly(int count) {
        boolean interrupted = false;
        while (true) {
            try {
                take(count, -1);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // lock() is not interruptible: wait on, and keep the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        take(1, -1);
    }

    @Override
    public boolean tryLock() {
        try {
            return take(1, 0);
        } catch (InterruptedException impossible) {
            throw new IllegalStateException("a tryLock() that does not wait was interrupted", impossible);
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long nanos = Ref.nanos(time, unit);
        return nanos == 0 ? tryLock() : take(1, nanos);
    }

    @Override
    public void unlock() {
        FastLock f = fast();
        if (f == null) {
            ref.now(Codes.UNLOCK);
        } else {
            f.unlock();
        }
    }

    @Override
    public SharedCondition newCondition() {
        return new Condition(this, conditions.incrementAndGet());
    }

    @Override
    public boolean isLocked() {
        FastLock f = fast();
        return f == null ? (Boolean) ref.now(Codes.IS_LOCKED) : f.isLocked();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        FastLock f = fast();
        return f == null ? (Boolean) ref.now(Codes.HELD_BY_CALLER) : f.isHeldByCurrentThread();
    }

    @Override
    public String toString() {
        return "SharedLock" + ref;
    }

    /**
     * A condition of this lock. Awaiting gives the lock up; signalled, the await returns once it holds it again.
     * One that times out or is interrupted answers its hold count and takes the lock back with it here.
     */
    private static final class Condition implements SharedCondition {
        private final LockHandle lock; // serialized as the lock's reference: a condition travels with its lock
        private final int number;

        Condition(LockHandle lock, int number) {
            this.lock = lock;
            this.number = number;
        }

        /** True if signalled; false after the timeout. The lock is held again either way. */
        private boolean await(long nanos) throws InterruptedException {
            Object answer;
            FastLock fast = lock.fast();
            int holds = fast == null ? 0 : fast.holds();
            try { // the fast owner says how many holds it gives up; the root knows those of a pipe-path owner
                answer = fast == null ? lock.ref.await(Codes.AWAIT, nanos, number)
                        : lock.ref.await(Codes.AWAIT, nanos, number, holds);
            } catch (Channel.Failed failed) {
                throw Ref.unchecked(failed.getCause());
            } catch (InterruptedException impossible) {
                throw impossible; // interrupted before the await started: the lock is still held
            }
            if (answer instanceof Integer given) { // timed out or cancelled: the lock must be taken back
                boolean interrupted = Thread.interrupted();
                lock.takeUninterruptibly(given);
                if (interrupted) {
                    throw new InterruptedException("interrupted while awaiting a shared condition");
                }
                return false;
            }
            if (fast != null) {
                fast.holdAgain(holds);
            }
            return true;
        }

        @Override
        public void await() throws InterruptedException {
            await(-1);
        }

        @Override
        public void awaitUninterruptibly() {
            boolean interrupted = false;
            while (true) {
                try {
                    await(-1);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the lock is held again; wait once more
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public long awaitNanos(long nanosTimeout) throws InterruptedException {
            long start = System.nanoTime();
            if (nanosTimeout <= 0) {
                return nanosTimeout;
            }
            boolean signalled = await(nanosTimeout);
            long left = nanosTimeout - (System.nanoTime() - start);
            return signalled ? Math.max(1, left) : Math.min(0, left);
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            return unit.toNanos(time) > 0 && await(unit.toNanos(time));
        }

        @Override
        public boolean awaitUntil(Date deadline) throws InterruptedException {
            long nanos = TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis());
            return nanos > 0 && await(nanos);
        }

        @Override
        public void signal() {
            lock.ref.now(Codes.SIGNAL, number);
        }

        @Override
        public void signalAll() {
            lock.ref.now(Codes.SIGNAL_ALL, number);
        }
    }
}

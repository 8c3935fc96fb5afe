package dev.procpool.objects;

import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedLock;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A shared lock, reentrant or not, and its conditions. */
final class LockHandle implements SharedLock, Shareable {
    private final Ref ref;
    private final AtomicInteger conditions = new AtomicInteger();

    LockHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_LOCK);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                ref.call(Codes.LOCK, -1, 1);
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
        ref.call(Codes.LOCK, -1, 1);
    }

    @Override
    public boolean tryLock() {
        return (Boolean) ref.now(Codes.LOCK, 1);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return (Boolean) ref.call(Codes.LOCK, Ref.nanos(time, unit), 1);
    }

    @Override
    public void unlock() {
        ref.now(Codes.UNLOCK);
    }

    @Override
    public SharedCondition newCondition() {
        return new Condition(this, conditions.incrementAndGet());
    }

    @Override
    public boolean isLocked() {
        return (Boolean) ref.now(Codes.IS_LOCKED);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return (Boolean) ref.now(Codes.HELD_BY_CALLER);
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
            try {
                answer = lock.ref.await(Codes.AWAIT, nanos, number);
            } catch (Channel.Failed failed) {
                throw Ref.unchecked(failed.getCause());
            } catch (InterruptedException impossible) {
                throw impossible; // interrupted before the await started: the lock is still held
            }
            if (answer instanceof Integer holds) { // timed out or cancelled: the lock must be taken back
                boolean interrupted = Thread.interrupted();
                reacquire(holds);
                if (interrupted) {
                    throw new InterruptedException("interrupted while awaiting a shared condition");
                }
                return false;
            }
            return true;
        }

        private void reacquire(int holds) {
            boolean interrupted = false;
            while (true) {
                try {
                    lock.ref.call(Codes.LOCK, -1, holds);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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

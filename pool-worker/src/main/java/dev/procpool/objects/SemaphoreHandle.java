package dev.procpool.objects;

import dev.procpool.shared.SharedSemaphore;
import java.util.concurrent.TimeUnit;

/** A shared semaphore, bounded or not. */
final class SemaphoreHandle implements SharedSemaphore, Shareable {
    private final Ref ref;

    SemaphoreHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_SEMAPHORE);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    private static int positive(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be >= 0, was " + permits);
        }
        return permits;
    }

    @Override
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    @Override
    public void acquire(int permits) throws InterruptedException {
        ref.call(Codes.ACQUIRE, -1, positive(permits));
    }

    @Override
    public boolean tryAcquire() {
        return (Boolean) ref.now(Codes.ACQUIRE, 1);
    }

    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    @Override
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        return (Boolean) ref.call(Codes.ACQUIRE, Ref.nanos(timeout, unit), positive(permits));
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int permits) {
        ref.now(Codes.RELEASE_PERMITS, positive(permits));
    }

    @Override
    public int availablePermits() {
        return (Integer) ref.now(Codes.AVAILABLE);
    }

    @Override
    public String toString() {
        return "SharedSemaphore" + ref;
    }
}

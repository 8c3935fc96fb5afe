package dev.procpool.objects;

import dev.procpool.shared.SharedSemaphore;
import java.util.concurrent.TimeUnit;

/** A shared semaphore, bounded or not: on its word when this JVM maps it ({@link FastSemaphore}). */
final class SemaphoreHandle implements SharedSemaphore, Shareable {
    private final Ref ref;
    /** Null until first used; {@link #PIPE} when this JVM calls the root for every operation. */
    private volatile Object fast;
    private static final Object PIPE = new Object();

    SemaphoreHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_SEMAPHORE);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    private FastSemaphore fast() {
        Object f = fast;
        if (f == null) {
            Fast.View view = ref.view();
            f = view == null ? PIPE : new FastSemaphore(ref, view); // stateless: two made by a race are alike
            fast = f;
        }
        return f == PIPE ? null : (FastSemaphore) f;
    }

    private boolean take(int permits, long nanos) throws InterruptedException {
        FastSemaphore f = fast();
        if (f != null) {
            return f.acquire(positive(permits), nanos);
        }
        return nanos == 0 ? (Boolean) ref.now(Codes.ACQUIRE, positive(permits))
                : (Boolean) ref.call(Codes.ACQUIRE, nanos, positive(permits));
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
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        take(permits, -1);
    }

    @Override
    public boolean tryAcquire() {
        try {
            return take(1, 0);
        } catch (InterruptedException impossible) {
            throw new IllegalStateException("a tryAcquire() that does not wait was interrupted", impossible);
        }
    }

    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    @Override
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return take(permits, Ref.nanos(timeout, unit));
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int permits) {
        FastSemaphore f = fast();
        if (f == null) {
            ref.now(Codes.RELEASE_PERMITS, positive(permits));
        } else {
            f.release(positive(permits));
        }
    }

    @Override
    public int availablePermits() {
        FastSemaphore f = fast();
        return f == null ? (Integer) ref.now(Codes.AVAILABLE) : f.available();
    }

    @Override
    public String toString() {
        return "SharedSemaphore" + ref;
    }
}

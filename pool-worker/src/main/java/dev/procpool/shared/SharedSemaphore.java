package dev.procpool.shared;

import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore shared by the JVMs of one family, with {@link java.util.concurrent.Semaphore}'s names. It has
 * no owner (a release without an acquire is allowed), but permits that a process acquired and had not released when
 * it died abnormally (a signal, Runtime.halt, a JVM crash) are returned.
 */
public interface SharedSemaphore {
    void acquire() throws InterruptedException;

    void acquire(int permits) throws InterruptedException;

    boolean tryAcquire();

    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

    void release();

    void release(int permits);

    int availablePermits();
}

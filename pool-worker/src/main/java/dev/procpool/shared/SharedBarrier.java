package dev.procpool.shared;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for parties in several processes, with {@link java.util.concurrent.CyclicBarrier}'s names. A party that
 * dies while waiting breaks it.
 */
public interface SharedBarrier {
    int await() throws InterruptedException, BrokenBarrierException;

    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    int getParties();

    int getNumberWaiting();

    boolean isBroken();

    void reset();
}

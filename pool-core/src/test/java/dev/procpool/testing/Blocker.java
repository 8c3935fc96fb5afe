package dev.procpool.testing;

import java.util.concurrent.CountDownLatch;

/** Inside a worker: blocks the task forever (until the worker is killed), without spinning. */
public final class Blocker {
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private Blocker() {
    }

    public static void blockForever() throws InterruptedException {
        NEVER.await();
    }
}

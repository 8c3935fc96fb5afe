package dev.procpool.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * --timeout: a deadline for the whole run. When it passes before {@link #cancel()}, a thread of its own runs the
 * expiry action (terminate the pool), which makes the waiting consumer fail at once. {@link #cancel()} ends the
 * thread either way.
 */
final class Deadline {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean passed;

    private Deadline(Duration timeout, Runnable onExpiry) {
        thread = new Thread(() -> {
            try {
                if (!finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    passed = true;
                    onExpiry.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "procpool-deadline");
        thread.setDaemon(true);
        thread.start();
    }

    /** A deadline {@code timeout} from now; none if timeout is null. */
    static Deadline after(Duration timeout, Runnable onExpiry) {
        return timeout == null ? null : new Deadline(timeout, onExpiry);
    }

    boolean passed() {
        return passed;
    }

    void cancel() throws InterruptedException {
        finished.countDown();
        thread.join();
    }
}

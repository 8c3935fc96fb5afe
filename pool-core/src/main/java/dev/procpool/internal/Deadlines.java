package dev.procpool.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pool's one timer thread: each running chunk's time limit, and a periodic check of the workers (silence,
 * workers that overstay their exit). It ends with the pool.
 */
final class Deadlines {
    /** Told on the timer thread that a chunk's time limit passed while it ran on a worker. */
    interface Passed {
        void passed(WorkerHandle worker, Chunk chunk);
    }

    private final ScheduledThreadPoolExecutor timer;
    private final Passed passed;

    Deadlines(String pool, long checkEveryNanos, Runnable check, Passed passed) {
        this.passed = passed;
        timer = new ScheduledThreadPoolExecutor(1, body -> {
            Thread thread = new Thread(body, pool + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleAtFixedRate(check, checkEveryNanos, checkEveryNanos, TimeUnit.NANOSECONDS);
    }

    /** Arms the chunk's deadline once, when it starts to run (guarded by the supervisor's lock). */
    void arm(WorkerHandle worker, Chunk chunk) {
        if (chunk.timeoutNanos > 0 && chunk.deadline == null && !timer.isShutdown()) {
            chunk.deadline = timer.schedule(() -> passed.passed(worker, chunk), chunk.timeoutNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** The chunk is answered: its deadline no longer matters (guarded by the supervisor's lock). */
    void disarm(Chunk chunk) {
        if (chunk.deadline != null) {
            chunk.deadline.cancel(false);
        }
    }

    /** The chunk runs again elsewhere: its clock starts again when it does (guarded by the supervisor's lock). */
    void reset(Chunk chunk) {
        disarm(chunk);
        chunk.deadline = null;
    }

    void stop() {
        timer.shutdownNow();
    }
}

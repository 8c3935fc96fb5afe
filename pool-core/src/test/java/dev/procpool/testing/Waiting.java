package dev.procpool.testing;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * In any JVM of a family: runs a shared object's blocking call on a thread of its own, interrupts that thread once
 * it waits for the call's answer (parked, with the shared objects' code on its stack), and says how the call
 * ended: "interrupted" (InterruptedException), "returned " + its value, or "failed " + what it threw.
 */
public final class Waiting {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** A blocking call. */
    @FunctionalInterface
    public interface Call {
        Object call() throws Exception;
    }

    private Waiting() {
    }

    public static String interrupted(Call call) throws InterruptedException {
        return interrupted(call, "", () -> { });
    }

    /** As {@link #interrupted(Call)}, running {@code afterInterrupt} once the interrupt was sent. */
    public static String interrupted(Call call, Runnable afterInterrupt) throws InterruptedException {
        return interrupted(call, "", afterInterrupt);
    }

    /**
     * As {@link #interrupted(Call, Runnable)}, interrupting once the call is parked inside a shared-object class
     * whose name contains {@code in} (for a call that makes a quick call first, as a condition's lock()).
     */
    public static String interrupted(Call call, String in, Runnable afterInterrupt) throws InterruptedException {
        AtomicReference<String> outcome = new AtomicReference<>("did not end");
        Thread caller = new Thread(() -> {
            try {
                outcome.set("returned " + call.call());
            } catch (InterruptedException e) {
                outcome.set("interrupted");
            } catch (Throwable t) {
                outcome.set("failed " + t);
            }
        }, "blocking-call");
        caller.start();
        awaitParkedIn(caller, in);
        caller.interrupt();
        afterInterrupt.run();
        caller.join(TimeUnit.NANOSECONDS.toMillis(LIMIT_NANOS));
        return caller.isAlive() ? "still blocked after the interrupt" : outcome.get();
    }

    /** Until {@code thread} is parked inside a shared object's call (a bounded poll of its state). */
    public static void awaitParkedInCall(Thread thread) {
        awaitParkedIn(thread, "");
    }

    /**
     * Until {@code thread} is parked in a shared object's call with a frame of a shared-object class whose name
     * contains {@code in} on its stack: "Condition" tells a condition's await from the lock() before it.
     */
    public static void awaitParkedIn(Thread thread, String in) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!parkedIn(thread, in)) {
            if (System.nanoTime() - deadline > 0 || !thread.isAlive()) {
                throw new IllegalStateException(thread + " never waited in a shared object's call");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Inside a pool worker: until {@code thread} reads the worker's input (a bounded poll of its stack). */
    public static void awaitReading(Thread thread) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (Arrays.stream(thread.getStackTrace()).noneMatch(frame -> frame.getClassName()
                .equals("dev.procpool.protocol.FrameReader") && frame.getMethodName().equals("read"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(thread + " never read the worker's input");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static boolean parkedIn(Thread thread, String in) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName()
                        .startsWith("dev.procpool.objects.") && frame.getClassName().contains(in));
    }
}

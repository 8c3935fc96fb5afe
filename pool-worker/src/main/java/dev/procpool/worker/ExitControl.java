package dev.procpool.worker;

import dev.procpool.protocol.Message;
import dev.procpool.protocol.Uplink;
import java.io.IOException;

/**
 * How a child JVM ends. Every orderly exit (its own, a task's System.exit, SIGTERM) runs the shutdown hooks, and a
 * hook that never returns must not keep a retired worker alive: the first hook to run is ours, and it halts the JVM
 * once the grace period has passed. Whatever way the JVM ends, the processes its tasks started die first.
 */
final class ExitControl {
    private static volatile long graceMillis = 2_000;
    private static volatile int exitCode = 1; // for a halt after a System.exit whose status the hook cannot see
    private static volatile boolean exiting;

    private ExitControl() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitControl::onShutdown, "procpool-exit"));
    }

    /** True once this JVM is ending: a reader that then sees its input end ends quietly. */
    static boolean exiting() {
        return exiting;
    }

    static void gracePeriod(long millis) {
        graceMillis = millis;
    }

    /** An orderly exit, bounded by the grace period. */
    static void exit(int code) {
        exitCode = code;
        System.exit(code);
    }

    /** The parent is gone while a task runs: no hook may delay the end. */
    static void halt(int code) {
        exiting = true;
        killDescendants();
        Runtime.getRuntime().halt(code);
    }

    private static void onShutdown() {
        Thread watchdog = new Thread(ExitControl::haltAfterGrace, "procpool-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start(); // first: nothing below may keep the JVM past the grace period
        exiting = true; // before GOODBYE: the parent then ends this JVM's input
        sayGoodbye();
        killDescendants();
    }

    private static void haltAfterGrace() {
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        Object never = new Object();
        synchronized (never) {
            for (long left = graceMillis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                try {
                    never.wait(left); // a timer: nothing notifies it
                } catch (InterruptedException e) {
                    // the grace period still holds
                }
            }
        }
        System.err.println("procpool: a shutdown hook was still running after " + graceMillis + " ms: halting");
        halt(exitCode);
    }

    /**
     * An orderly exit: the parent then knows this death was not abnormal (a lock holder's permits stay spent), and
     * ends this JVM's input, which wakes the reader blocked in it (see ProtocolStreams).
     */
    private static void sayGoodbye() {
        Uplink uplink = Uplink.current();
        if (uplink != null) {
            try {
                uplink.signal(Message.Signal.GOODBYE, 0);
            } catch (IOException | RuntimeException e) {
                // the parent is gone already
            }
        }
    }

    static void killDescendants() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }
}

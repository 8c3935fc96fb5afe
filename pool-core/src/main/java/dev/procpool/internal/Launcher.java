package dev.procpool.internal;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Starts child JVMs. The local launcher starts them on this machine; another (Slurm job steps, say) can start them
 * elsewhere, as long as it hands over a pair of protocol streams and reports the exit. Public only for the launchers
 * in the packages below this one.
 */
public interface Launcher {
    /** Starts a child now; everything after happens through {@code wiring}, on the launcher's threads. */
    Child launch(String name, String stderrLabel, Wiring wiring);

    /**
     * The pool has ended and every child has exited: give back what the launcher holds (a cluster allocation).
     * Called at most once per end, before awaitTermination returns; must be bounded in time.
     */
    default void close() {
    }

    /** A started child process. */
    interface Child {
        /** Its pid, or -1 until it is known. */
        long pid();

        /** Kills it and its descendants now (SIGKILL). */
        void kill();

        /** Asks it to end (SIGTERM): its shutdown hooks run, and they end its descendants. */
        void terminate();

        boolean killRequested();

        /** Waits for it to exit; false if it still runs after the timeout. */
        boolean awaitExit(long timeout, java.util.concurrent.TimeUnit unit);

        /** The last lines it wrote to stderr, for failure messages. */
        String stderrTail();
    }

    /** What the launcher tells the one who asked for the child. */
    interface Wiring {
        /**
         * The child runs; these are its protocol streams. Called once, before anything else. Closing {@code toChild}
         * ends the child's input and nothing else.
         */
        void connected(Child child, InputStream fromChild, OutputStream toChild);

        /** Blocks until the reader of {@code fromChild} reached its end (so that no frame is lost at exit). */
        void awaitDrained();

        /** The child exited (or could not start: {@code launchFailure} is then set) and was reaped. */
        void exited(int exitCode, Throwable launchFailure);
    }
}

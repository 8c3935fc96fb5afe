package dev.procpool.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a worker's exit means for its work and the counters: who is blamed, what runs again elsewhere, what is
 * cancelled. Pure: it decides from what is known at the exit and changes nothing.
 */
final class ExitPolicy {
    private ExitPolicy() {
    }

    enum Kind {
        /** It died before it was ready: a start failure. */
        START_FAILED,
        /** The pool was terminated: its work is cancelled. */
        TERMINATED,
        /** It retired (maxTasksPerChild, memory, a survived Error) and exited. */
        RECYCLED,
        /** It ended with the pool. */
        ENDED,
        /** The pool killed it (timeout, cancellation, silence). */
        KILLED,
        /** It died on its own. */
        CRASHED
    }

    /** What is known when a worker's process is gone. */
    record Exit(boolean ready, boolean terminated, boolean retiring, boolean retireAnnounced, boolean endSent,
                int exitCode, boolean killedByPool, Chunk killedFor, boolean overstayed, boolean streamProblem) {
    }

    /** {@code blamed} fails with the cause of death; {@code requeued} run again; {@code cancelled} end. */
    record Outcome(Kind kind, Chunk blamed, List<Chunk> requeued, List<Chunk> cancelled) {
    }

    /** @param held the chunks written to the worker and not answered, oldest (the one it ran) first */
    static Outcome decide(Exit exit, List<Chunk> held) {
        List<Chunk> rest = new ArrayList<>(held);
        if (!exit.ready()) {
            return new Outcome(Kind.START_FAILED, null, rest, List.of());
        }
        if (exit.terminated()) {
            return new Outcome(Kind.TERMINATED, null, List.of(), rest);
        }
        if (exit.retireAnnounced()) {
            return new Outcome(Kind.RECYCLED, null, rest, List.of());
        }
        // told to exit, and it did: a worker kept alive past the grace period by a shutdown hook counts as exited
        boolean clean = exit.exitCode() == 0 && !exit.killedByPool() || exit.overstayed();
        if (exit.endSent() && held.isEmpty() && clean && !exit.streamProblem()) {
            return new Outcome(exit.retiring() ? Kind.RECYCLED : Kind.ENDED, null, List.of(), List.of());
        }
        // a kill aimed at a chunk that finished just before it spares the chunk that ran next
        boolean blame = !exit.killedByPool() || exit.killedFor() == null
                || (!held.isEmpty() && held.get(0) == exit.killedFor());
        Chunk blamed = blame && !rest.isEmpty() ? rest.remove(0) : null;
        return new Outcome(exit.killedByPool() ? Kind.KILLED : Kind.CRASHED, blamed, rest, List.of());
    }
}

package dev.procpool.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the scheduler decided, for the supervisor to carry out: messages to queue for workers (under the lock, so
 * that each worker's messages keep the order of the decisions), then, outside the lock, writes, replacements,
 * deadlines and failures.
 */
final class Plan {
    /** One message for one worker. */
    record Send(WorkerState worker, Outbox.Item item) {
    }

    final List<Send> sends = new ArrayList<>();
    /** Chunks taken from the queue that their job no longer wants: counted as failed, never run. */
    final List<Chunk> skipped = new ArrayList<>();
    /** Workers that are leaving and may need a successor in their slot. */
    final List<WorkerState> leaving = new ArrayList<>();
    /** Workers whose running chunk may have changed: its deadline is armed if it has one. */
    final Set<WorkerState> started = new LinkedHashSet<>();

    void run(WorkerState worker, Chunk chunk) {
        sends.add(new Send(worker, new Outbox.Item(Outbox.Kind.RUN, chunk)));
    }

    void revoke(WorkerState worker, Chunk chunk) {
        sends.add(new Send(worker, new Outbox.Item(Outbox.Kind.REVOKE, chunk)));
    }

    void end(WorkerState worker) {
        sends.add(new Send(worker, new Outbox.Item(Outbox.Kind.END, null)));
    }

    /** The workers that have something to write, each once. */
    Set<WorkerState> writers() {
        if (sends.isEmpty()) {
            return Set.of();
        }
        if (sends.size() == 1) {
            return Set.of(sends.get(0).worker());
        }
        Set<WorkerState> writers = new LinkedHashSet<>();
        sends.forEach(send -> writers.add(send.worker()));
        return writers;
    }
}

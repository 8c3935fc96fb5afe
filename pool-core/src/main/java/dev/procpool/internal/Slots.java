package dev.procpool.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The pool's worker processes by slot: the newest in each slot (a retiring worker's successor replaces it there at
 * once), every one launched and not yet reaped, and how many replacements in a row died before they were ready.
 * Guarded by the supervisor's lock.
 */
final class Slots {
    /** Replacements that die before they are ready, in a row, before the pool gives up. */
    private static final int START_ATTEMPTS = 3;

    private final WorkerHandle[] newest;
    private final List<WorkerHandle> live = new ArrayList<>();
    private int failedStartsInARow;

    Slots(int workers) {
        newest = new WorkerHandle[workers];
    }

    void add(WorkerHandle worker) {
        newest[worker.state.slot] = worker;
        live.add(worker);
    }

    boolean isNewest(WorkerHandle worker) {
        return newest[worker.state.slot] == worker;
    }

    List<WorkerHandle> live() {
        return live;
    }

    /** It is reaped and its work settled; true when no worker process is left. */
    boolean remove(WorkerHandle worker) {
        live.remove(worker);
        return live.isEmpty();
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    void started() {
        failedStartsInARow = 0;
    }

    /** One more died before it was ready; true when that was one too many. */
    boolean startFailed() {
        return ++failedStartsInARow >= START_ATTEMPTS;
    }

    /** The workers serving now: ready, and neither gone nor told to exit. */
    List<Long> servingPids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerHandle worker : live) {
            if (worker.state.ready && !worker.state.gone && !worker.state.endSent) {
                pids.add(worker.pid());
            }
        }
        return pids;
    }
}

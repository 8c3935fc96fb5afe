package dev.procpool.internal;

import dev.procpool.PoolStats;
import java.util.concurrent.atomic.LongAdder;

/** The pool's counters, outside the supervisor's lock: results are the hot path. */
final class Counters {
    final LongAdder submitted = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder workersStarted = new LongAdder();
    final LongAdder workersRecycled = new LongAdder();
    final LongAdder workersCrashed = new LongAdder();
    final LongAdder workersKilled = new LongAdder();

    void exited(ExitPolicy.Kind kind) {
        switch (kind) {
            case RECYCLED -> workersRecycled.increment();
            case KILLED -> workersKilled.increment();
            case CRASHED -> workersCrashed.increment();
            default -> { }
        }
    }

    PoolStats snapshot(long queued) {
        return new PoolStats(submitted.sum(), completed.sum(), failed.sum(), queued, workersStarted.sum(),
                workersRecycled.sum(), workersCrashed.sum(), workersKilled.sum());
    }
}

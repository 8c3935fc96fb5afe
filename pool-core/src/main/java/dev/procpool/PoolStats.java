package dev.procpool;

/**
 * A snapshot of a pool's counters. Tasks are counted per input item (an apply is one item, a map of n inputs is n);
 * workers are counted per process.
 *
 * @param submitted        items accepted for execution
 * @param completed        items that produced a result
 * @param failed           items that ended with a failure (task exception, crash, serialization, cancellation)
 * @param queued           items waiting for a worker
 * @param workersStarted   worker processes that became ready, replacements included
 * @param workersRecycled  workers that retired normally (maxTasksPerChild, or after surviving a VM error)
 * @param workersCrashed   workers that died on their own (killed from outside, System.exit, JVM crash, corrupt output)
 * @param workersKilled    workers the pool killed: task timeout, cancellation of a running task, no heartbeat
 */
public record PoolStats(long submitted, long completed, long failed, long queued,
                        long workersStarted, long workersRecycled, long workersCrashed, long workersKilled) {
}

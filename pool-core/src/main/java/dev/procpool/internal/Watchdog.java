package dev.procpool.internal;

import dev.procpool.TaskTimeoutException;
import dev.procpool.WorkerCrashedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who must be killed on the timer's say: a worker that sent nothing, not even a heartbeat, for the heartbeat
 * timeout (stopped, or its JVM hung); one told to exit that is still there past the grace period (kept alive by
 * user code, a shutdown hook); one whose running chunk passed its deadline.
 */
final class Watchdog {
    private static final LazyLogger LOG = new LazyLogger(Watchdog.class);
    /** Past the grace period a worker had to exit, it is killed (its JVM may be too stuck to halt itself). */
    private static final long OVERSTAY_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private Watchdog() {
    }

    record Verdict(long now, List<WorkerHandle> silent, List<WorkerHandle> overstaying) {
    }

    /** Under the supervisor's lock: reads the workers' states. */
    static Verdict judge(List<WorkerHandle> live, long now, PoolConfig config) {
        List<WorkerHandle> silent = new ArrayList<>();
        List<WorkerHandle> overstaying = new ArrayList<>();
        for (WorkerHandle worker : live) {
            WorkerState s = worker.state;
            if (s.endSent && !worker.overstayed()
                    && now - s.endSentAt > config.exitGraceNanos() + OVERSTAY_MARGIN_NANOS) {
                overstaying.add(worker);
            } else if (s.ready && !s.gone && !s.endSent && now - worker.lastHeard() > config.heartbeatTimeoutNanos()) {
                silent.add(worker);
            }
        }
        return new Verdict(now, silent, overstaying);
    }

    /** Outside the lock: the kills, each with its reason. */
    static void act(Verdict verdict, PoolConfig config) {
        for (WorkerHandle worker : verdict.overstaying()) {
            LOG.get().warn("{}: still running {} ms after it was told to exit (a shutdown hook that does not return?):"
                    + " killed", worker, TimeUnit.NANOSECONDS.toMillis(config.exitGraceNanos()));
            worker.killOverstayed();
        }
        for (WorkerHandle worker : verdict.silent()) {
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(verdict.now() - worker.lastHeard());
            worker.kill(new WorkerCrashedException("worker " + worker.state.slot + " (pid " + worker.pid()
                    + ") sent no heartbeat for " + silentMillis + " ms (stopped, or its JVM hung) and was killed",
                    worker.pid(), -1), null);
        }
    }

    /** The chunk the worker still runs passed its deadline. */
    static void timedOut(WorkerHandle worker, Chunk chunk) {
        Duration timeout = Duration.ofNanos(chunk.timeoutNanos);
        worker.kill(new TaskTimeoutException("the task ran longer than " + timeout + " in worker "
                + worker.state.slot + " (pid " + worker.pid() + "), which was killed", timeout), chunk);
    }
}

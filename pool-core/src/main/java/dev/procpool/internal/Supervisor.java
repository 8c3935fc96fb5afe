package dev.procpool.internal;

import dev.procpool.PoolStats;
import dev.procpool.TaskTimeoutException;
import dev.procpool.WorkerCrashedException;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's engine: it hears what happens to the workers and to the jobs, asks the {@link Scheduler} and the
 * {@link ExitPolicy} what follows, and carries it out: messages to {@link Outbox}es, replacements, deadlines,
 * outcomes to the jobs. Each event takes the lock for bookkeeping only, then does its I/O and completes futures
 * outside it.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    /** Replacements that die before they are ready, in a row, before the pool gives up. */
    private static final int START_ATTEMPTS = 3;
    /** Past the grace period a worker had to exit, the pool kills it (its JVM may be too stuck to halt itself). */
    private static final long OVERSTAY_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    final PoolConfig config;
    private final String name;
    private final Launcher launcher;
    private final Counters counters = new Counters();
    private final CallServer calls;
    private final Deadlines deadlines;
    private final Thread shutdownHook;
    private final AtomicInteger processIds = new AtomicInteger();

    /**
     * Guards the scheduler, the lifecycle, the slots and the list of live workers. Lock order: an Outbox's write
     * lock, then this one; this one is never held while writing, launching or calling user code.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allExited = lock.newCondition();
    private final Scheduler scheduler;
    private final Lifecycle lifecycle;
    private final WorkerHandle[] newestInSlot;
    private final List<WorkerHandle> live = new ArrayList<>(); // launched and not yet reaped
    private int failedStartsInARow;

    private Supervisor(PoolConfig config, Launcher launcher) {
        this.config = config;
        this.launcher = launcher;
        this.calls = new CallServer(config.classes());
        this.name = "procpool-" + POOL_IDS.incrementAndGet();
        this.scheduler = new Scheduler(config.maxTasksPerChild());
        this.lifecycle = new Lifecycle(name);
        this.newestInSlot = new WorkerHandle[config.workers()];
        this.shutdownHook = new Thread(this::terminate, name + "-shutdown-hook");
        this.deadlines = new Deadlines(name, Math.max(1, config.heartbeatTimeoutNanos() / 4), this::checkWorkers);
    }

    /** Starts every worker and returns once all are ready, or throws with no worker process left behind. */
    public static Supervisor start(PoolConfig config) {
        Supervisor supervisor = new Supervisor(config, new LocalLauncher(config.command()));
        List<CompletableFuture<Void>> readiness = new ArrayList<>();
        supervisor.lock.lock();
        try {
            for (int slot = 0; slot < config.workers(); slot++) {
                readiness.add(supervisor.spawn(slot).ready);
            }
        } finally {
            supervisor.lock.unlock();
        }
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        readiness.forEach(ready -> ready.exceptionally(failure -> {
            firstFailure.completeExceptionally(failure);
            return null;
        }));
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(readiness.toArray(CompletableFuture[]::new)),
                    firstFailure).join();
        } catch (CompletionException e) {
            supervisor.terminate();
            supervisor.awaitTerminationUninterruptibly();
            Throwable cause = e.getCause();
            throw cause instanceof WorkerStartException start ? start
                    : new WorkerStartException("a worker failed to start: " + cause, cause);
        }
        supervisor.lock.lock();
        try {
            supervisor.lifecycle.started();
        } finally {
            supervisor.lock.unlock();
        }
        Runtime.getRuntime().addShutdownHook(supervisor.shutdownHook);
        return supervisor;
    }

    public int workers() {
        return config.workers();
    }

    String name() {
        return name;
    }

    CallServer calls() {
        return calls;
    }

    // ---- work in ----

    /** Queues the chunks; idle workers get them at once, written on this thread (no hand-over on the way). */
    void submit(List<Chunk> chunks, int items) {
        Plan plan = new Plan();
        lock.lock();
        try {
            lifecycle.checkAccepting();
            counters.submitted.add(items);
            scheduler.enqueue(chunks, plan);
            queue(plan);
        } finally {
            lock.unlock();
        }
        carryOut(plan);
    }

    /** The caller cancelled a job: queued chunks are dropped, waiting ones asked back, running ones killed. */
    void cancel(ChunkSink job) {
        Plan plan = new Plan();
        Scheduler.Cancelled cancelled;
        lock.lock();
        try {
            cancelled = scheduler.cancel(job, plan);
            queue(plan);
        } finally {
            lock.unlock();
        }
        cancelled.dropped().forEach(chunk -> counters.failed.add(chunk.size()));
        carryOut(plan); // asked back from this thread, before cancel() returns: the worker sees it soonest
        for (int i = 0; i < cancelled.running().size(); i++) {
            cancelled.runningOn().get(i).handle.kill(new CancellationException("the task was cancelled while it ran"),
                    cancelled.running().get(i));
        }
    }

    /** Under the lock: each worker's messages join its outbox in decision order; successors start; clocks run. */
    private void queue(Plan plan) {
        for (Plan.Send send : plan.sends) {
            if (send.item().kind() == Outbox.Kind.END) {
                send.worker().endSentAt = System.nanoTime();
            }
            send.worker().handle.outbox().add(send.item());
        }
        for (WorkerState leaving : plan.leaving) {
            replaceIfNeeded(leaving.handle);
        }
        for (WorkerState worker : plan.started) {
            Chunk head = worker.running();
            if (head != null) {
                deadlines.arm(head, () -> deadlinePassed(worker.handle, head));
            }
        }
    }

    /** Outside the lock: the writes, and the chunks their jobs no longer wanted. */
    private void carryOut(Plan plan) {
        for (WorkerState writer : plan.writers()) {
            writer.handle.outbox().flush();
        }
        plan.skipped.forEach(chunk -> counters.failed.add(chunk.size()));
    }

    // ---- what workers say (their reader threads) ----

    Message.Init initFor(int slot) {
        return new Message.Init(Message.Init.POOL_WORKER, slot, "PoolWorker-" + slot, true,
                ProcessHandle.current().pid(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.heartbeatTimeoutNanos()) / 4),
                TimeUnit.NANOSECONDS.toMillis(config.exitGraceNanos()), config.maxMemoryPerChild(),
                config.maxFrameBytes(), config.classes().userClasspath(), config.initializer());
    }

    void workerReady(WorkerHandle worker) {
        Plan plan = new Plan();
        boolean terminated;
        lock.lock();
        try {
            terminated = lifecycle.is(Lifecycle.State.TERMINATED);
            failedStartsInARow = 0;
            if (!terminated) {
                scheduler.ready(worker.state, plan);
                queue(plan);
            }
        } finally {
            lock.unlock();
        }
        counters.workersStarted.increment();
        if (terminated) {
            worker.kill();
        }
        carryOut(plan);
        worker.ready.complete(null);
    }

    void resultArrived(WorkerHandle worker, long requestId, Message.Result result) {
        Plan plan = new Plan();
        Chunk chunk;
        lock.lock();
        try {
            if (result.retiring()) {
                scheduler.retireAnnounced(worker.state, plan); // before more work could be given to it
            }
            chunk = scheduler.completed(worker.state, requestId, System.nanoTime(), plan);
            if (chunk != null) {
                deadlines.disarm(chunk);
            }
            queue(plan);
        } finally {
            lock.unlock();
        }
        carryOut(plan);
        if (chunk == null) {
            protocolError(worker, requestId, "a RESULT for request " + requestId + ", which is not in flight");
            return;
        }
        Outcomes.deliver(chunk, result, config.classLoader(), counters);
    }

    void revoked(WorkerHandle worker, long requestId) {
        Plan plan = new Plan();
        boolean known;
        lock.lock();
        try {
            known = scheduler.revoked(worker.state, requestId, plan);
            queue(plan);
        } finally {
            lock.unlock();
        }
        carryOut(plan);
        if (!known) {
            protocolError(worker, requestId, "REVOKED for request " + requestId + ", which is not in flight");
        }
    }

    /** A REVOKE came after the chunk started: if it was asked back because the caller cancelled it, stop it. */
    void tooLateToRevoke(WorkerHandle worker, long requestId) {
        Chunk started;
        lock.lock();
        try {
            started = worker.state.find(requestId);
        } finally {
            lock.unlock();
        }
        if (started != null && started.sink.cancelled()) {
            worker.kill(new CancellationException("the task was cancelled while it ran"), started);
        }
    }

    /** A chunk whose inputs could not be serialized was never sent (called under its outbox's write lock). */
    void notSent(WorkerHandle worker, Chunk chunk, Throwable failure) {
        Plan plan = new Plan();
        lock.lock();
        try {
            scheduler.notSent(worker.state, chunk, plan);
            queue(plan);
        } finally {
            lock.unlock();
        }
        carryOut(plan);
        counters.failed.add(chunk.size());
        chunk.sink.failed(chunk, failure);
    }

    private void protocolError(WorkerHandle worker, long requestId, String what) {
        LOG.warn("{}: protocol error: {}", worker, what);
        worker.outbox().writeNow(new Message.ErrorText("the supervisor got " + what), requestId);
    }

    // ---- deadlines and silence (the timer thread) ----

    private void deadlinePassed(WorkerHandle worker, Chunk chunk) {
        lock.lock();
        try {
            if (worker.state.gone || worker.state.running() != chunk) {
                return; // it finished just in time
            }
        } finally {
            lock.unlock();
        }
        Duration timeout = Duration.ofNanos(chunk.timeoutNanos);
        worker.kill(new TaskTimeoutException("the task ran longer than " + timeout + " in worker "
                + worker.state.slot + " (pid " + worker.pid() + "), which was killed", timeout), chunk);
    }

    /**
     * A worker that sent nothing, not even a heartbeat, for the heartbeat timeout is stopped or hung; one told to
     * exit that is still there past the grace period is kept alive by user code (a shutdown hook). Both are killed.
     */
    private void checkWorkers() {
        long now = System.nanoTime();
        List<WorkerHandle> silent = new ArrayList<>();
        List<WorkerHandle> overstaying = new ArrayList<>();
        lock.lock();
        try {
            for (WorkerHandle worker : live) {
                WorkerState s = worker.state;
                if (s.endSent && !worker.overstayed()
                        && now - s.endSentAt > config.exitGraceNanos() + OVERSTAY_MARGIN_NANOS) {
                    overstaying.add(worker);
                } else if (s.ready && !s.gone && !s.endSent
                        && now - worker.lastHeard() > config.heartbeatTimeoutNanos()) {
                    silent.add(worker);
                }
            }
        } finally {
            lock.unlock();
        }
        overstaying.forEach(worker -> {
            LOG.warn("{}: still running {} ms after it was told to exit (a shutdown hook that does not return?):"
                    + " killed", worker, TimeUnit.NANOSECONDS.toMillis(config.exitGraceNanos()));
            worker.killOverstayed();
        });
        for (WorkerHandle worker : silent) {
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - worker.lastHeard());
            worker.kill(new WorkerCrashedException("worker " + worker.state.slot + " (pid " + worker.pid()
                    + ") sent no heartbeat for " + silentMillis + " ms (stopped, or its JVM hung) and was killed",
                    worker.pid(), -1), null);
        }
    }

    // ---- a worker's end (its process thread, after the exit and the last frame) ----

    void workerGone(WorkerHandle worker, int exitCode) {
        Plan plan = new Plan();
        ExitPolicy.Outcome outcome;
        List<Chunk> abandoned = new ArrayList<>();
        WorkerStartException startFailure = null;
        boolean brokeNow = false;
        Throwable brokenBy;
        lock.lock();
        try {
            List<Chunk> held = scheduler.gone(worker.state);
            outcome = ExitPolicy.decide(worker.exit(exitCode, lifecycle.is(Lifecycle.State.TERMINATED)), held);
            if (outcome.kind() == ExitPolicy.Kind.START_FAILED) {
                startFailure = Outcomes.startFailure(worker, exitCode);
                boolean hopeless = ++failedStartsInARow >= START_ATTEMPTS || worker.startFailure() != null;
                brokeNow = hopeless && lifecycle.broken(startFailure);
            }
            outcome.requeued().forEach(deadlines::reset); // a chunk spared by a kill may have started its clock
            scheduler.requeueFirst(outcome.requeued(), plan);
            if (lifecycle.is(Lifecycle.State.BROKEN)) {
                abandoned.addAll(scheduler.drainQueue());
            }
            replaceIfNeeded(worker);
            queue(plan);
            brokenBy = lifecycle.brokenBy();
        } finally {
            lock.unlock();
        }
        carryOut(plan);
        counters.exited(outcome.kind());
        if (brokeNow) {
            LOG.error("{}: workers cannot be started any more; the pool accepts no new work", name, brokenBy);
        }
        if (startFailure != null) {
            worker.ready.completeExceptionally(startFailure);
            if (!worker.killRequested()) { // a worker the pool stopped itself is no news
                LOG.warn("{}: {}", worker, startFailure.getMessage());
            }
        }
        if (outcome.blamed() != null) {
            Throwable killedFor = worker.killedFor();
            fail(outcome.blamed(), killedFor != null ? killedFor : Outcomes.crashFailure(worker, exitCode));
        }
        CancellationException cancellation = new CancellationException(name + " was terminated");
        outcome.cancelled().forEach(chunk -> fail(chunk, cancellation));
        abandoned.forEach(chunk -> fail(chunk, brokenBy));
        forget(worker); // only now, with every future of this worker settled, may awaitTermination return
    }

    private void fail(Chunk chunk, Throwable failure) {
        counters.failed.add(chunk.size());
        chunk.sink.failed(chunk, failure);
    }

    private void forget(WorkerHandle worker) {
        boolean poolEnded;
        lock.lock();
        try {
            live.remove(worker);
            poolEnded = live.isEmpty() && !lifecycle.open();
            if (poolEnded) {
                allExited.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (poolEnded) {
            deadlines.stop();
            removeShutdownHook();
        }
    }

    // ---- lifecycle ----

    public void shutdown() {
        Plan plan = new Plan();
        lock.lock();
        try {
            lifecycle.shutdown();
            scheduler.drain(plan);
            queue(plan);
        } finally {
            lock.unlock();
        }
        carryOut(plan);
    }

    /** Kills every worker now; queued and running chunks end with CancellationException. */
    public void terminate() {
        List<Chunk> cancelled;
        List<WorkerHandle> victims;
        lock.lock();
        try {
            if (!lifecycle.terminate()) {
                return;
            }
            cancelled = scheduler.drainQueue();
            victims = new ArrayList<>(live);
        } finally {
            lock.unlock();
        }
        CancellationException cancellation = new CancellationException(name + " was terminated");
        cancelled.forEach(chunk -> fail(chunk, cancellation));
        victims.forEach(victim -> victim.kill(cancellation, null));
    }

    /** True once the pool no longer runs and every worker process has exited and been reaped. */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        Jobs.refuseOwnThreads(name, "waiting for the pool to end");
        lock.lock();
        try {
            while (!live.isEmpty() || lifecycle.open()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = allExited.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void awaitTerminationUninterruptibly() {
        lock.lock();
        try {
            while (!live.isEmpty()) {
                allExited.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isRunning() {
        lock.lock();
        try {
            return lifecycle.is(Lifecycle.State.RUNNING);
        } finally {
            lock.unlock();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    /** The workers serving now: ready, and neither gone nor told to exit. */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (WorkerHandle worker : live) {
                if (worker.state.ready && !worker.state.gone && !worker.state.endSent) {
                    pids.add(worker.pid());
                }
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    public PoolStats stats() {
        long queued;
        lock.lock();
        try {
            queued = scheduler.queuedItems();
        } finally {
            lock.unlock();
        }
        return counters.snapshot(queued);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- helpers, lock held ----

    private WorkerHandle spawn(int slot) {
        WorkerHandle worker = new WorkerHandle(this, slot, name + "-w" + slot + "-p" + processIds.incrementAndGet());
        newestInSlot[slot] = worker;
        live.add(worker);
        scheduler.add(worker.state);
        worker.launch(launcher);
        return worker;
    }

    /** Starts a successor for a worker that is leaving, unless the slot already has one or none is needed. */
    private void replaceIfNeeded(WorkerHandle leaving) {
        boolean needed = lifecycle.is(Lifecycle.State.RUNNING)
                || (lifecycle.is(Lifecycle.State.SHUTDOWN) && !scheduler.queueEmpty());
        if (needed && newestInSlot[leaving.state.slot] == leaving) {
            spawn(leaving.state.slot);
        }
    }
}

package dev.procpool.internal;

import dev.procpool.PoolStats;
import dev.procpool.WorkerStartException;
import dev.procpool.objects.Family;
import java.util.ArrayList;
import java.util.List;
import dev.procpool.protocol.Message;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's engine: it hears what happens to the workers and to the jobs, asks the {@link Scheduler} and the
 * {@link ExitPolicy} what follows, and carries it out: messages to {@link Outbox}es, replacements, deadlines,
 * outcomes to the jobs. Each event takes the lock for bookkeeping only, then does its I/O and completes futures
 * outside it.
 */
public final class Supervisor {
    private static final LazyLogger LOG = new LazyLogger(Supervisor.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

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
    private final Scheduler scheduler;
    private final Lifecycle lifecycle;
    private final Slots slots;

    private Supervisor(PoolConfig config, Launcher launcher) {
        this.config = config;
        this.launcher = launcher;
        this.calls = new CallServer(config.classes());
        this.name = "procpool-" + POOL_IDS.incrementAndGet();
        this.scheduler = new Scheduler(config.maxTasksPerChild());
        this.lifecycle = new Lifecycle(name, lock);
        this.slots = new Slots(config.workers());
        this.shutdownHook = new Thread(this::terminate, name + "-shutdown-hook");
        this.deadlines = new Deadlines(name, Math.max(1, config.heartbeatTimeoutNanos() / 4), this::checkWorkers,
                this::deadlinePassed);
    }

    /** Starts every worker and returns once all are ready, or throws with no worker process left behind. */
    public static Supervisor start(PoolConfig config) {
        Supervisor supervisor = new Supervisor(config, Launchers.forConfig(config));
        List<CompletableFuture<Void>> readiness = new ArrayList<>();
        supervisor.lock.lock();
        try {
            for (int slot = 0; slot < config.workers(); slot++) {
                readiness.add(supervisor.spawn(slot).ready);
            }
        } finally {
            supervisor.lock.unlock();
        }
        try {
            Readiness.await(readiness);
        } catch (WorkerStartException e) {
            supervisor.terminate();
            supervisor.lifecycle.awaitNoWorkers(supervisor.slots);
            throw e;
        }
        supervisor.lifecycle.started();
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
        decide(plan -> {
            lifecycle.checkAccepting();
            counters.submitted.add(items);
            scheduler.enqueue(chunks, plan);
            return null;
        });
    }

    /** The caller cancelled a job: queued chunks are dropped, waiting ones asked back, running ones killed. */
    void cancel(ChunkSink job) {
        // asked back from this thread, before cancel() returns: the worker sees it soonest
        Scheduler.Cancelled cancelled = decide(plan -> scheduler.cancel(job, plan));
        cancelled.dropped().forEach(chunk -> counters.failed.add(chunk.size()));
        for (int i = 0; i < cancelled.running().size(); i++) {
            cancelled.runningOn().get(i).handle.kill(new CancellationException("the task was cancelled while it ran"),
                    cancelled.running().get(i));
        }
    }

    /**
     * Every event of the pool: a decision under the lock, whose plan is queued there (each worker's messages in
     * decision order) and carried out once the lock is released.
     */
    private <T> T decide(java.util.function.Function<Plan, T> decision) {
        Plan plan = new Plan();
        T result;
        lock.lock();
        try {
            result = decision.apply(plan);
            queue(plan);
        } finally {
            lock.unlock();
        }
        carryOut(plan, true);
        return result;
    }

    /** Under the lock: each worker's messages join its outbox in decision order; successors start; clocks run. */
    private void queue(Plan plan) {
        for (int i = 0; i < plan.sendCount(); i++) {
            Plan.Send send = plan.send(i);
            if (send.item().kind() == Outbox.Kind.END) {
                send.worker().endSentAt = System.nanoTime();
            }
            send.worker().handle.outbox().add(send.item());
        }
        for (int i = 0; i < plan.leavingCount(); i++) {
            replaceIfNeeded(plan.leaving(i).handle);
        }
        for (int i = 0; i < plan.startedCount(); i++) {
            WorkerState worker = plan.started(i);
            Chunk head = worker.running();
            if (head != null) {
                deadlines.arm(worker.handle, head);
            }
        }
    }

    /**
     * Outside the lock: the writes, and the chunks their jobs no longer wanted. {@code handOffBig}: big writes go to
     * the outboxes' own threads; not from a reader, which writes its worker's next chunk itself (the worker waits for
     * it either way), so that the first big chunk does not make the JIT recompile the result path it inlines.
     */
    private void carryOut(Plan plan, boolean handOffBig) {
        for (int i = 0; i < plan.sendCount(); i++) {
            Outbox out = plan.send(i).worker().handle.outbox();
            if (handOffBig && plan.bigWrites()) {
                out.flushOnItsThread();
            } else {
                out.flush(); // a second flush of the same outbox finds it empty
            }
        }
        for (int i = 0; i < plan.skippedCount(); i++) {
            counters.failed.add(plan.skipped(i).size());
        }
    }

    // ---- what workers say (their reader threads) ----

    void workerReady(WorkerHandle worker) {
        boolean terminated = decide(plan -> {
            slots.started();
            if (lifecycle.is(Lifecycle.State.TERMINATED)) {
                return true;
            }
            scheduler.ready(worker.state, plan);
            return false;
        });
        counters.workersStarted.increment();
        if (terminated) {
            worker.kill();
        }
        worker.ready.complete(null);
    }

    /** The hot path: written out instead of through {@link #decide}, so that no lambda is made per result. */
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
        carryOut(plan, false);
        if (chunk == null) {
            worker.protocolError(requestId, "a RESULT for request " + requestId + ", which is not in flight");
            return;
        }
        Outcomes.deliver(chunk, result, config.classLoader(), counters);
    }

    void revoked(WorkerHandle worker, long requestId) {
        if (!decide(plan -> scheduler.revoked(worker.state, requestId, plan))) {
            worker.protocolError(requestId, "REVOKED for request " + requestId + ", which is not in flight");
        }
    }

    /** A REVOKE came after the chunk started: if it was asked back because the caller cancelled it, stop it. */
    void tooLateToRevoke(WorkerHandle worker, long requestId) {
        Chunk started = decide(plan -> worker.state.find(requestId));
        if (started != null && started.sink.cancelled()) {
            worker.kill(new CancellationException("the task was cancelled while it ran"), started);
        }
    }

    /** A chunk whose inputs could not be serialized was never sent (called under its outbox's write lock). */
    void notSent(WorkerHandle worker, Chunk chunk, Throwable failure) {
        decide(plan -> {
            scheduler.notSent(worker.state, chunk, plan);
            return null;
        });
        counters.failed.add(chunk.size());
        chunk.sink.failed(chunk, failure);
    }

    // ---- deadlines and silence (the timer thread) ----

    private void deadlinePassed(WorkerHandle worker, Chunk chunk) {
        if (decide(plan -> !worker.state.gone && worker.state.running() == chunk)) { // else it finished just in time
            Watchdog.timedOut(worker, chunk);
        }
    }

    private void checkWorkers() {
        Watchdog.act(decide(plan -> Watchdog.judge(slots.live(), System.nanoTime(), config)), config);
    }

    // ---- a worker's end (its process thread, after the exit and the last frame) ----

    /** What a worker's end decided: the outcome for its work, and whether the pool broke with it. */
    private record Ended(ExitPolicy.Outcome outcome, List<Chunk> abandoned, WorkerStartException startFailure,
                         boolean brokeNow, Throwable brokenBy) {
    }

    void workerGone(WorkerHandle worker, int exitCode) {
        Ended ended = decide(plan -> {
            List<Chunk> held = scheduler.gone(worker.state);
            var outcome = ExitPolicy.decide(worker.exit(exitCode, lifecycle.is(Lifecycle.State.TERMINATED)), held);
            WorkerStartException startFailure = null;
            boolean brokeNow = false;
            if (outcome.kind() == ExitPolicy.Kind.START_FAILED) {
                startFailure = Outcomes.startFailure(worker, exitCode);
                boolean hopeless = slots.startFailed() || worker.startFailure() != null;
                brokeNow = hopeless && lifecycle.broken(startFailure);
            }
            outcome.requeued().forEach(deadlines::reset); // a chunk spared by a kill may have started its clock
            scheduler.requeueFirst(outcome.requeued(), plan);
            List<Chunk> abandoned = lifecycle.is(Lifecycle.State.BROKEN) ? scheduler.drainQueue() : List.of();
            replaceIfNeeded(worker);
            return new Ended(outcome, abandoned, startFailure, brokeNow, lifecycle.brokenBy());
        });
        counters.exited(ended.outcome().kind());
        if (ended.brokeNow()) {
            LOG.get().error("{}: workers cannot be started any more; the pool accepts no new work", name, ended.brokenBy());
        }
        if (ended.startFailure() != null) {
            worker.ready.completeExceptionally(ended.startFailure());
            if (!worker.killRequested()) { // a worker the pool stopped itself is no news
                LOG.get().warn("{}: {}", worker, ended.startFailure().getMessage());
            }
        }
        if (ended.outcome().blamed() != null) {
            Throwable killedFor = worker.killedFor();
            fail(ended.outcome().blamed(), killedFor != null ? killedFor : Outcomes.crashFailure(worker, exitCode));
        }
        CancellationException cancellation = new CancellationException(name + " was terminated");
        ended.outcome().cancelled().forEach(chunk -> fail(chunk, cancellation));
        ended.abandoned().forEach(chunk -> fail(chunk, ended.brokenBy()));
        try {
            Family.childEnded(worker.token, worker.diedAbnormally(exitCode)); // its locks, permits and waits
        } finally {
            forget(worker); // only now, with every future of this worker settled, may awaitTermination return
        }
    }

    private void fail(Chunk chunk, Throwable failure) {
        counters.failed.add(chunk.size());
        chunk.sink.failed(chunk, failure);
    }

    private void forget(WorkerHandle worker) {
        boolean poolEnded;
        lock.lock();
        try {
            poolEnded = slots.remove(worker) && !lifecycle.open();
        } finally {
            lock.unlock();
        }
        if (poolEnded) {
            deadlines.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
            launcher.close(); // before awaitTermination returns: a cluster allocation is given back by then
            lock.lock();
            try {
                lifecycle.ended();
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- lifecycle ----

    public void shutdown() {
        decide(plan -> {
            lifecycle.shutdown();
            scheduler.drain(plan);
            return null;
        });
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
            victims = new ArrayList<>(slots.live());
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
        return lifecycle.awaitEnd(nanos);
    }

    public boolean isRunning() {
        return lifecycle.running();
    }

    /** The workers serving now: ready, and neither gone nor told to exit. */
    public List<Long> workerPids() {
        return decide(plan -> slots.servingPids());
    }

    public PoolStats stats() {
        return counters.snapshot(decide(plan -> scheduler.queuedItems()));
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- helpers, lock held ----

    private WorkerHandle spawn(int slot) {
        WorkerHandle worker = new WorkerHandle(this, slot, name + "-w" + slot + "-p" + processIds.incrementAndGet());
        slots.add(worker);
        scheduler.add(worker.state);
        worker.launch(launcher);
        return worker;
    }

    /** Starts a successor for a worker that is leaving, unless the slot already has one or none is needed. */
    private void replaceIfNeeded(WorkerHandle leaving) {
        boolean needed = lifecycle.is(Lifecycle.State.RUNNING)
                || (lifecycle.is(Lifecycle.State.SHUTDOWN) && !scheduler.queueEmpty());
        if (needed && slots.isNewest(leaving)) {
            spawn(leaving.state.slot);
        }
    }
}

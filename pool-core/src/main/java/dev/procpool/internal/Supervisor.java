package dev.procpool.internal;

import dev.procpool.PoolStats;
import dev.procpool.SerializationException;
import dev.procpool.TaskFailedException;
import dev.procpool.TaskTimeoutException;
import dev.procpool.WorkerCrashedException;
import dev.procpool.WorkerStartException;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's engine: a queue of chunks, a fixed number of worker slots, and the rules that move chunks to workers,
 * replace workers and end the pool. One lock guards all of that state; it is held only for bookkeeping, never
 * across I/O or user code. {@link dev.procpool.ProcessPool} is the public face of this class.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    /** Replacements that die before they are ready, in a row, before the pool gives up. */
    private static final int START_ATTEMPTS = 3;
    /** Chunks an imap keeps submitted ahead of its consumer, per worker. */
    private static final int READ_AHEAD_PER_WORKER = 16;

    private enum State { STARTING, RUNNING, SHUTDOWN, BROKEN, TERMINATED }

    final PoolConfig config;
    private final String name;
    private final FunctionTable functions;
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicInteger processIds = new AtomicInteger();
    private final Thread shutdownHook;
    /** Task deadlines and the heartbeat check; its one thread ends with the pool. */
    private final ScheduledThreadPoolExecutor timer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allExited = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>(); // lock
    private final WorkerProcess[] newestInSlot; // lock
    private final List<WorkerProcess> live = new ArrayList<>(); // lock: launched and not yet reaped
    private State state = State.STARTING; // lock
    private Throwable brokenBy; // lock
    private int failedStartsInARow; // lock
    private long queuedItems; // lock
    private long submitted; // lock
    private final LongAdder completed = new LongAdder(); // counted outside the lock: results are the hot path
    private final LongAdder failed = new LongAdder();
    private long workersStarted; // lock
    private long workersRecycled; // lock
    private long workersCrashed; // lock
    private long workersKilled; // lock

    private Supervisor(PoolConfig config) {
        this.config = config;
        this.name = "procpool-" + POOL_IDS.incrementAndGet();
        this.functions = new FunctionTable(config.classLoader());
        this.newestInSlot = new WorkerProcess[config.workers()];
        this.shutdownHook = new Thread(this::terminate, name + "-shutdown-hook");
        this.timer = new ScheduledThreadPoolExecutor(1, body -> {
            Thread thread = new Thread(body, name + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        long checkEvery = Math.max(1, config.heartbeatTimeoutNanos() / 4);
        timer.scheduleAtFixedRate(this::killSilentWorkers, checkEvery, checkEvery, TimeUnit.NANOSECONDS);
    }

    /** Starts every worker and returns once all are ready, or throws with no worker process left behind. */
    public static Supervisor start(PoolConfig config) {
        Supervisor supervisor = new Supervisor(config);
        List<CompletableFuture<Void>> readiness = new ArrayList<>();
        supervisor.lock.lock();
        try {
            for (int slot = 0; slot < config.workers(); slot++) {
                readiness.add(supervisor.spawn(slot).readyFuture);
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
            if (supervisor.state == State.STARTING) {
                supervisor.state = State.RUNNING;
            }
        } finally {
            supervisor.lock.unlock();
        }
        Runtime.getRuntime().addShutdownHook(supervisor.shutdownHook);
        return supervisor;
    }

    public int workers() {
        return config.workers();
    }

    // ---- submitting work ----

    public <T, R> R apply(Task<T, R> task, T input) {
        return await(applyAsync(task, input, config.taskTimeoutNanos()), () -> -1);
    }

    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input) {
        return applyAsync(task, input, config.taskTimeoutNanos());
    }

    /** @param timeoutNanos limit on the task's run time, 0 for none */
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input, long timeoutNanos) {
        FunctionRef function;
        try {
            function = functions.of(task);
        } catch (SerializationException e) {
            return CompletableFuture.failedFuture(e);
        }
        SingleJob<R> job = new SingleJob<>(this::cancel);
        submit(List.of(new Chunk(requestIds.incrementAndGet(), function, new Object[] {input}, -1, job,
                timeoutNanos)), 1);
        return job.future();
    }

    public <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        MapJob<R> job = submitMap(task, inputs, chunksize);
        return await(job.future(), job::failedIndex);
    }

    public <T, R> CompletableFuture<List<R>> mapAsync(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        return submitMap(task, inputs, chunksize).future();
    }

    /**
     * Submits the chunks of a map as the caller's iterable yields them. An exception from the iterable propagates
     * unchanged, and the chunks already submitted are abandoned.
     */
    private <T, R> MapJob<R> submitMap(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        MapJob<R> job = new MapJob<>(this::cancel, chunksize, inputs instanceof Collection<?> all ? all.size() : 0);
        FunctionRef function;
        try {
            function = functions.of(task);
        } catch (SerializationException e) {
            job.abandon(e);
            return job;
        }
        InputReader reader = new InputReader(inputs, chunksize);
        long index = 0;
        try {
            for (Object[] items = reader.next(); items.length > 0; items = reader.next()) {
                job.expect(items.length);
                submit(List.of(newChunk(function, items, index, job)), items.length);
                index += items.length;
            }
        } catch (RuntimeException | Error e) {
            job.abandon(e); // the pool refused the work
            throw e;
        }
        if (reader.failure() != null) {
            job.abandon(reader.failure());
            InputReader.rethrow(reader.failure());
        }
        job.sealed();
        return job;
    }

    public <T, R> Iterator<R> imap(Task<T, R> task, Iterable<? extends T> inputs, int chunksize, boolean ordered) {
        FunctionRef function = functions.of(task);
        int readAhead = Math.max(2, READ_AHEAD_PER_WORKER * config.workers());
        return new ResultIterator<>(this, function, inputs, chunksize, ordered, readAhead);
    }

    /** Waits for a blocking call's result; a failure comes out as TaskFailedException, cancellation as itself. */
    private <V> V await(CompletableFuture<V> future, LongSupplier failedIndex) {
        refuseOwnThreads("a blocking call");
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new TaskFailedException(failedIndex.getAsLong(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            CancellationException cancelled = new CancellationException("interrupted while waiting for a result");
            cancelled.initCause(e);
            throw cancelled;
        }
    }

    /** A chunk with the pool's task timeout, scaled by its number of inputs. */
    Chunk newChunk(FunctionRef function, Object[] inputs, long firstIndex, ChunkSink sink) {
        long timeout = config.taskTimeoutNanos() == 0 ? 0 : config.taskTimeoutNanos() * inputs.length;
        return new Chunk(requestIds.incrementAndGet(), function, inputs, firstIndex, sink, timeout);
    }

    /**
     * Queues the chunks. When a worker is idle, the first goes straight to it, written on the calling thread: a
     * round trip then costs no hand-over to the worker's stdin thread.
     */
    void submit(List<Chunk> chunks, int items) {
        WorkerProcess direct = null;
        Work work = null;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                RejectedExecutionException rejected = new RejectedExecutionException(
                        state == State.BROKEN ? name + " is broken: " + brokenBy : name + " is " + state.name()
                                .toLowerCase() + ": it accepts no new work");
                rejected.initCause(brokenBy);
                throw rejected;
            }
            boolean wasEmpty = queue.isEmpty();
            queue.addAll(chunks);
            queuedItems += items;
            submitted += items;
            direct = wasEmpty ? idleWorker() : null;
            if (direct != null) {
                List<Chunk> run = dispatch(direct);
                work = run.isEmpty() ? null : new Work(run, List.of(), false, direct.ticketsIssued++);
            }
            if (!queue.isEmpty()) {
                wakeWorkersWithRoom();
            }
        } finally {
            lock.unlock();
        }
        if (work != null) {
            direct.write(work);
        }
    }

    private WorkerProcess idleWorker() {
        for (WorkerProcess worker : live) {
            if (worker.inFlight.isEmpty() && worker.toRevoke.isEmpty() && worker.room() > 0) {
                return worker;
            }
        }
        return null;
    }

    // ---- called by worker threads ----

    /**
     * What is written to a worker next: chunks to ask back, chunks to run, or the end of its input. The ticket is
     * the order of assignment; writes happen in ticket order whichever thread makes them, so that the worker runs
     * chunks in the order of its in-flight list.
     */
    record Work(List<Chunk> run, List<Chunk> revoke, boolean end, long ticket) {
    }

    /**
     * The next work for a worker's stdin thread, blocking until there is some; null when the worker is gone or
     * killed and nothing more is to be written to it.
     */
    Work takeWork(WorkerProcess worker) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (worker.gone || state == State.TERMINATED) {
                    return null;
                }
                boolean drained = queue.isEmpty() && state != State.RUNNING && state != State.STARTING;
                if ((worker.retiring || drained) && worker.inFlight.isEmpty()) {
                    worker.endOfInputSent = true;
                    return new Work(List.of(), List.of(), true, worker.ticketsIssued++);
                }
                List<Chunk> revoke = List.of();
                if (!worker.toRevoke.isEmpty()) {
                    revoke = new ArrayList<>(worker.toRevoke);
                    worker.toRevoke.clear();
                }
                List<Chunk> run = dispatch(worker);
                if (!run.isEmpty() || !revoke.isEmpty()) {
                    return new Work(run, revoke, false, worker.ticketsIssued++);
                }
                if (worker.inFlight.isEmpty() && worker.room() > 0) {
                    stealFor(worker);
                }
                worker.wake.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves chunks from the queue to the worker, a fair share at most so that other workers get some too. */
    private List<Chunk> dispatch(WorkerProcess worker) {
        int room = worker.room();
        if (room == 0 || queue.isEmpty()) {
            return List.of();
        }
        int readyWorkers = 0;
        for (WorkerProcess other : live) {
            readyWorkers += other.ready && !other.retiring && !other.gone ? 1 : 0;
        }
        int share = Math.max(1, (queue.size() + readyWorkers - 1) / Math.max(1, readyWorkers));
        List<Chunk> batch = new ArrayList<>(Math.min(room, share));
        long now = System.nanoTime();
        while (batch.size() < room && batch.size() < share && !queue.isEmpty()) {
            Chunk chunk = queue.pollFirst();
            queuedItems -= chunk.size();
            if (!chunk.sink.wanted()) {
                failed.add(chunk.size());
                continue;
            }
            chunk.dispatchedAt = now;
            chunk.revokeRequested = false;
            worker.inFlight.addLast(chunk);
            batch.add(chunk);
            if (++worker.dispatched == config.maxTasksPerChild()) {
                worker.retiring = true; // its replacement starts now, while it runs its last tasks
                replaceIfNeeded(worker);
                break;
            }
        }
        if (queue.isEmpty() && state != State.RUNNING) {
            wakeAllWorkers(); // idle workers of a closing pool may now exit
        }
        startClock(worker);
        return batch;
    }

    /**
     * An idle worker while another holds chunks it has not started (they queued behind a slow task): ask that one
     * to give half of them back, so they run here instead of waiting.
     */
    private void stealFor(WorkerProcess idle) {
        WorkerProcess victim = null;
        int most = 0;
        for (WorkerProcess other : live) {
            if (other == idle || other.gone) {
                continue;
            }
            int waiting = 0;
            boolean head = true;
            for (Chunk chunk : other.inFlight) {
                waiting += head || chunk.revokeRequested ? 0 : 1;
                head = false;
            }
            if (waiting > most) {
                most = waiting;
                victim = other;
            }
        }
        if (victim == null) {
            return;
        }
        int toSteal = (most + 1) / 2;
        for (var tail = victim.inFlight.descendingIterator(); tail.hasNext() && toSteal > 0; ) {
            Chunk chunk = tail.next();
            if (!chunk.revokeRequested && chunk != victim.inFlight.peekFirst()) {
                chunk.revokeRequested = true;
                victim.toRevoke.add(chunk);
                toSteal--;
            }
        }
        victim.wake.signal();
    }

    /** The worker gave a chunk back unstarted: it goes to the front of the queue for an idle worker. */
    void revoked(WorkerProcess worker, long requestId) {
        lock.lock();
        try {
            for (var it = worker.inFlight.iterator(); it.hasNext(); ) {
                Chunk chunk = it.next();
                if (chunk.requestId == requestId) {
                    it.remove();
                    queue.addFirst(chunk);
                    queuedItems += chunk.size();
                    worker.wake.signal();
                    wakeWorkersWithRoom();
                    return;
                }
            }
            throw new IllegalStateException("protocol error: REVOKED for request " + requestId + ", not in flight");
        } finally {
            lock.unlock();
        }
    }

    /** A chunk whose inputs could not be serialized was never sent: take it back and fail it. */
    void notSent(WorkerProcess worker, Chunk chunk, Throwable failure) {
        lock.lock();
        try {
            worker.inFlight.remove(chunk);
            failed.add(chunk.size());
            startClock(worker);
            wakeIfItHasSomethingToDo(worker);
        } finally {
            lock.unlock();
        }
        chunk.sink.failed(chunk, failure);
    }

    /**
     * The caller cancelled a job's future: its queued chunks are dropped, its unstarted chunks in workers are asked
     * back, and the workers running its chunks are killed (and replaced).
     */
    private void cancel(ChunkSink job) {
        List<WorkerProcess> running = new ArrayList<>();
        List<Chunk> runningChunks = new ArrayList<>();
        List<WorkerProcess> askBack = new ArrayList<>();
        List<Work> revocations = new ArrayList<>();
        lock.lock();
        try {
            for (var it = queue.iterator(); it.hasNext(); ) {
                Chunk chunk = it.next();
                if (chunk.sink == job) {
                    it.remove();
                    queuedItems -= chunk.size();
                    failed.add(chunk.size());
                }
            }
            for (WorkerProcess worker : live) {
                Chunk head = worker.inFlight.peekFirst();
                List<Chunk> revoke = new ArrayList<>();
                for (Chunk chunk : worker.inFlight) {
                    if (chunk.sink != job) {
                        continue;
                    }
                    if (chunk == head) {
                        running.add(worker);
                        runningChunks.add(chunk);
                    } else if (!chunk.revokeRequested) {
                        chunk.revokeRequested = true;
                        revoke.add(chunk);
                    }
                }
                if (!revoke.isEmpty() && !worker.gone) {
                    askBack.add(worker);
                    revocations.add(new Work(List.of(), revoke, false, worker.ticketsIssued++));
                }
            }
        } finally {
            lock.unlock();
        }
        // asked back from this thread, before cancel() returns, so that the worker sees it as soon as possible
        for (int i = 0; i < askBack.size(); i++) {
            askBack.get(i).write(revocations.get(i));
        }
        for (int i = 0; i < running.size(); i++) {
            running.get(i).kill(new CancellationException("the task was cancelled while it ran"), runningChunks.get(i));
        }
    }

    /** A REVOKE came after the chunk started: if it was asked back because the caller cancelled it, stop it. */
    void tooLateToRevoke(WorkerProcess worker, long requestId) {
        Chunk started = null;
        lock.lock();
        try {
            for (Chunk chunk : worker.inFlight) {
                if (chunk.requestId == requestId && chunk.sink.cancelled()) {
                    started = chunk;
                }
            }
        } finally {
            lock.unlock();
        }
        if (started != null) {
            worker.kill(new CancellationException("the task was cancelled while it ran"), started);
        }
    }

    /** Arms the deadline of the chunk the worker runs now (the oldest in flight), once. */
    private void startClock(WorkerProcess worker) {
        Chunk head = worker.inFlight.peekFirst();
        if (head != null && head.timeoutNanos > 0 && head.deadline == null && !timer.isShutdown()) {
            head.deadline = timer.schedule(() -> deadlinePassed(worker, head), head.timeoutNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void deadlinePassed(WorkerProcess worker, Chunk chunk) {
        lock.lock();
        try {
            if (worker.gone || worker.inFlight.peekFirst() != chunk) {
                return; // it finished just in time
            }
        } finally {
            lock.unlock();
        }
        Duration timeout = Duration.ofNanos(chunk.timeoutNanos);
        worker.kill(new TaskTimeoutException("the task ran longer than " + timeout + " in worker " + worker.slot
                + " (pid " + worker.pid() + "), which was killed", timeout), chunk);
    }

    /** A worker that sent nothing, not even a heartbeat, for the heartbeat timeout is stopped or hung: kill it. */
    private void killSilentWorkers() {
        long now = System.nanoTime();
        List<WorkerProcess> silent = new ArrayList<>();
        lock.lock();
        try {
            for (WorkerProcess worker : live) {
                if (worker.ready && !worker.gone && now - worker.lastHeard() > config.heartbeatTimeoutNanos()) {
                    silent.add(worker);
                }
            }
        } finally {
            lock.unlock();
        }
        for (WorkerProcess worker : silent) {
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - worker.lastHeard());
            worker.kill(new WorkerCrashedException("worker " + worker.slot + " (pid " + worker.pid()
                    + ") sent no heartbeat for " + silentMillis + " ms (stopped, or its JVM hung) and was killed",
                    worker.pid(), -1), null);
        }
    }

    void workerReady(WorkerProcess worker) {
        boolean kill;
        lock.lock();
        try {
            kill = state == State.TERMINATED;
            worker.ready = true;
            workersStarted++;
            failedStartsInARow = 0;
        } finally {
            lock.unlock();
        }
        if (kill) {
            worker.kill();
        }
        worker.readyFuture.complete(null);
    }

    /**
     * The RESULT for {@code requestId} arrived. Workers run in order, so it answers the oldest chunk in flight,
     * except that chunks asked back may be skipped (their REVOKED frame can come after a later RESULT).
     */
    Chunk resultArrived(WorkerProcess worker, long requestId) {
        Chunk found = null;
        lock.lock();
        try {
            for (var it = worker.inFlight.iterator(); it.hasNext(); ) {
                Chunk chunk = it.next();
                if (chunk.requestId == requestId) {
                    it.remove();
                    found = chunk;
                    break;
                }
                if (!chunk.revokeRequested) {
                    break;
                }
            }
            if (found == null) {
                Chunk oldest = worker.inFlight.peekFirst();
                throw new IllegalStateException("protocol error: result for request " + requestId + ", expected "
                        + (oldest == null ? "none" : oldest.requestId));
            }
            if (found.deadline != null) {
                found.deadline.cancel(false);
            }
            startClock(worker);
            wakeIfItHasSomethingToDo(worker);
        } finally {
            lock.unlock();
        }
        return found;
    }

    void deliver(Chunk chunk, Object[] values, Throwable[] failures) {
        int failedItems = 0;
        if (failures != null) {
            for (Throwable failure : failures) {
                failedItems += failure == null ? 0 : 1;
            }
        }
        completed.add(chunk.size() - failedItems);
        failed.add(failedItems);
        chunk.sink.completed(chunk, values, failures);
    }

    /** The worker survived a VirtualMachineError and exits after its last result; the work it held is requeued. */
    void retireAnnounced(WorkerProcess worker) {
        lock.lock();
        try {
            worker.retiring = true;
            worker.retireAnnounced = true;
            replaceIfNeeded(worker);
        } finally {
            lock.unlock();
        }
    }

    /** The worker's process has exited and its streams are drained: settle its work, replace it, maybe finish. */
    void workerGone(WorkerProcess worker, int exitCode) {
        List<Chunk> cancelled = new ArrayList<>();
        List<Chunk> abandoned = new ArrayList<>();
        Chunk crashed = null;
        Throwable startFailure = null;
        Throwable brokenCause;
        boolean poolEnded;
        lock.lock();
        try {
            worker.gone = true;
            List<Chunk> pending = new ArrayList<>(worker.inFlight);
            worker.inFlight.clear();
            worker.toRevoke.clear();
            if (!worker.ready) {
                startFailure = startFailure(worker, exitCode);
                if (state == State.RUNNING || state == State.SHUTDOWN) {
                    if (++failedStartsInARow >= START_ATTEMPTS || worker.startFailure() != null) {
                        abandoned.addAll(breakPool(startFailure));
                    }
                }
            } else if (state == State.TERMINATED) {
                cancelled.addAll(pending);
            } else if (worker.retireAnnounced) {
                workersRecycled++;
                requeueFirst(pending);
            } else if (worker.endOfInputSent && pending.isEmpty() && exitCode == 0 && worker.killedFor() == null
                    && worker.streamProblem() == null) {
                workersRecycled += worker.retiring ? 1 : 0; // else it ended with the pool
            } else {
                Chunk target = worker.killedTarget();
                if (worker.killedFor() != null) {
                    workersKilled++;
                } else {
                    workersCrashed++;
                }
                // a kill aimed at a chunk that finished just before it spares the chunk that ran next
                boolean blame = worker.killedFor() == null || target == null
                        || (!pending.isEmpty() && pending.get(0) == target);
                if (!pending.isEmpty() && blame) {
                    crashed = pending.remove(0);
                    failed.add(crashed.size());
                }
                requeueFirst(pending);
            }
            for (Chunk chunk : cancelled) {
                failed.add(chunk.size());
            }
            if (state == State.BROKEN) {
                abandoned.addAll(drainQueue());
            }
            replaceIfNeeded(worker);
            if (!live.isEmpty()) {
                wakeWorkersWithRoom();
            }
            brokenCause = brokenBy;
        } finally {
            lock.unlock();
        }
        if (startFailure != null) {
            worker.readyFuture.completeExceptionally(startFailure);
            if (!worker.killRequested()) { // a worker the pool stopped itself is no news
                LOG.warn("{}: {}", worker.name, startFailure.getMessage());
            }
        }
        if (crashed != null) {
            Throwable killedFor = worker.killedFor();
            crashed.sink.failed(crashed, killedFor != null ? killedFor : crashFailure(worker, exitCode));
        }
        CancellationException cancellation = new CancellationException(name + " was terminated");
        cancelled.forEach(chunk -> chunk.sink.failed(chunk, cancellation));
        abandoned.forEach(chunk -> chunk.sink.failed(chunk, brokenCause));
        // only now, with every future of this worker settled, may awaitTermination return
        lock.lock();
        try {
            live.remove(worker);
            poolEnded = live.isEmpty() && state != State.RUNNING && state != State.STARTING;
            if (poolEnded) {
                allExited.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (poolEnded) {
            timer.shutdownNow();
            removeShutdownHook();
        }
    }

    private WorkerStartException startFailure(WorkerProcess worker, int exitCode) {
        Throwable known = worker.startFailure();
        if (known instanceof WorkerStartException start) {
            return start;
        }
        return new WorkerStartException("worker " + worker.slot + " (pid " + worker.pid() + ") exited with code "
                + exitCode + " before it was ready" + problemText(worker) + "; " + worker.stderrTail(), known);
    }

    private static WorkerCrashedException crashFailure(WorkerProcess worker, int exitCode) {
        return new WorkerCrashedException("worker " + worker.slot + " (pid " + worker.pid()
                + ") died while running the task: exit code " + exitCode + problemText(worker) + "; "
                + worker.stderrTail(), worker.pid(), exitCode);
    }

    private static String problemText(WorkerProcess worker) {
        Throwable problem = worker.streamProblem();
        return problem == null ? "" : " (" + problem.getMessage() + ")";
    }

    // ---- lifecycle ----

    public void shutdown() {
        lock.lock();
        try {
            if (state == State.RUNNING || state == State.STARTING) {
                state = State.SHUTDOWN;
            }
            wakeAllWorkers();
        } finally {
            lock.unlock();
        }
    }

    /** Kills every worker now; queued and running chunks end with CancellationException. */
    public void terminate() {
        List<Chunk> cancelled;
        List<WorkerProcess> victims;
        lock.lock();
        try {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            cancelled = drainQueue();
            victims = new ArrayList<>(live);
            wakeAllWorkers();
        } finally {
            lock.unlock();
        }
        CancellationException cancellation = new CancellationException(name + " was terminated");
        cancelled.forEach(chunk -> chunk.sink.failed(chunk, cancellation));
        victims.forEach(victim -> victim.kill(cancellation, null));
    }

    /** True once the pool no longer runs and every worker process has exited and been reaped. */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        refuseOwnThreads("waiting for the pool to end");
        lock.lock();
        try {
            while (!live.isEmpty() || state == State.RUNNING || state == State.STARTING) {
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

    public boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Callbacks of the pool's futures run on its threads; waiting there for the pool would wait for the very thread
     * that has to deliver the answer.
     */
    private void refuseOwnThreads(String what) {
        if (Thread.currentThread().getName().startsWith(name + "-")) {
            throw new IllegalStateException(what + " on " + Thread.currentThread().getName()
                    + ", one of the pool's own threads (in a callback?), would wait for itself: use the async calls"
                    + " and shutdown() there");
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

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (WorkerProcess worker : live) {
                if (worker.ready && !worker.gone) {
                    pids.add(worker.pid());
                }
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    public PoolStats stats() {
        lock.lock();
        try {
            return new PoolStats(submitted, completed.sum(), failed.sum(), queuedItems, workersStarted, workersRecycled,
                    workersCrashed, workersKilled);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- helpers, lock held ----

    private WorkerProcess spawn(int slot) {
        WorkerProcess worker = new WorkerProcess(this, slot, name + "-w" + slot + "-p" + processIds.incrementAndGet(),
                lock.newCondition());
        newestInSlot[slot] = worker;
        live.add(worker);
        worker.launch();
        return worker;
    }

    /** Starts a successor for a worker that is leaving, unless the slot already has one or none is needed. */
    private void replaceIfNeeded(WorkerProcess leaving) {
        boolean needed = state == State.RUNNING || (state == State.SHUTDOWN && !queue.isEmpty());
        if (needed && newestInSlot[leaving.slot] == leaving) {
            spawn(leaving.slot);
        }
    }

    private void requeueFirst(List<Chunk> chunks) {
        for (int i = chunks.size() - 1; i >= 0; i--) {
            queue.addFirst(chunks.get(i));
            queuedItems += chunks.get(i).size();
        }
    }

    private List<Chunk> drainQueue() {
        List<Chunk> drained = new ArrayList<>(queue);
        queue.clear();
        for (Chunk chunk : drained) {
            failed.add(chunk.size());
        }
        queuedItems = 0;
        return drained;
    }

    /** No worker can be started any more: stop accepting work; what is queued fails with the start failure. */
    private List<Chunk> breakPool(Throwable cause) {
        if (state == State.RUNNING || state == State.SHUTDOWN) {
            state = State.BROKEN;
            brokenBy = cause;
            LOG.error("{}: workers cannot be started any more; the pool accepts no new work", name, cause);
        }
        wakeAllWorkers();
        return drainQueue();
    }

    /**
     * Wakes a worker's stdin thread only when it has something to write or decide; a needless wake-up per result
     * is a context switch on the path of every round trip.
     */
    private void wakeIfItHasSomethingToDo(WorkerProcess worker) {
        boolean mustAct = !queue.isEmpty() || !worker.toRevoke.isEmpty() || worker.retiring
                || state != State.RUNNING || (worker.inFlight.isEmpty() && someoneHasChunksWaiting());
        if (mustAct) {
            worker.wake.signal();
        }
    }

    private boolean someoneHasChunksWaiting() {
        for (WorkerProcess other : live) {
            if (other.inFlight.size() > 1) {
                return true;
            }
        }
        return false;
    }

    private void wakeWorkersWithRoom() {
        for (WorkerProcess worker : live) {
            if (worker.room() > 0) {
                worker.wake.signal();
            }
        }
    }

    private void wakeAllWorkers() {
        for (WorkerProcess worker : live) {
            worker.wake.signal();
        }
    }
}

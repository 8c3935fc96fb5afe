package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.TaskFailedException;
import dev.procpool.protocol.Values;
import dev.procpool.worker.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The calls of {@link dev.procpool.ProcessPool} that submit work: each becomes chunks for the supervisor and a job
 * that collects their outcomes. One behaviour per failure in all of them: a failure of the work (the task throws,
 * a worker dies, an input, result or the task itself cannot be serialized) completes the future exceptionally with
 * the failure itself, and the blocking calls (apply, map, an imap's next) throw TaskFailedException with it as cause.
 */
public final class Jobs {
    /** Chunks an imap keeps submitted ahead of its consumer, per worker. */
    private static final int READ_AHEAD_PER_WORKER = 16;
    /**
     * Chunks of a map handed to the pool together (one lock, one look at the workers), unless they hold this many
     * items: a big chunk goes as soon as it is read, while the workers already run the ones before it.
     */
    private static final int SUBMIT_BATCH = 64;
    private static final int SUBMIT_BATCH_ITEMS = 4096;

    private final Supervisor supervisor;
    private final FunctionTable functions;
    private final AtomicLong requestIds = new AtomicLong();

    public Jobs(Supervisor supervisor) {
        this.supervisor = supervisor;
        this.functions = new FunctionTable(supervisor.config.classLoader(), supervisor.config.classes());
    }

    public <T, R> R apply(Task<T, R> task, T input) {
        return await(applyAsync(task, input, supervisor.config.taskTimeoutNanos()), () -> -1);
    }

    /** With the pool's task timeout. */
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input) {
        return applyAsync(task, input, supervisor.config.taskTimeoutNanos());
    }

    /** @param timeoutNanos limit on the task's run time, 0 for none */
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input, long timeoutNanos) {
        FunctionRef function;
        try {
            function = functions.of(task);
        } catch (SerializationException e) {
            return CompletableFuture.failedFuture(e);
        }
        SingleJob<R> job = new SingleJob<>(supervisor::cancel);
        // an ArrayList, as a map's batches, and the input packed, as a map's: with two list classes, or an Ints
        // after Boxed values only, reaching the write path, the JIT recompiles the whole submit path when the first
        // map follows applies (a class-check deoptimisation)
        List<Chunk> one = new ArrayList<>(1);
        one.add(new Chunk(requestIds.incrementAndGet(), function, Values.packed(new Object[] {input}), -1, job,
                timeoutNanos));
        supervisor.submit(one, 1);
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
        MapJob<R> job = new MapJob<>(supervisor::cancel, chunksize,
                inputs instanceof Collection<?> all ? all.size() : 0);
        FunctionRef function;
        try {
            function = functions.of(task);
        } catch (SerializationException e) {
            job.abandon(e);
            return job;
        }
        InputReader reader = new InputReader(inputs, chunksize);
        long index = 0;
        List<Chunk> batch = new ArrayList<>();
        int batchItems = 0;
        try {
            for (Object[] items = reader.next(); items.length > 0; items = reader.next()) {
                job.expect(items.length);
                batch.add(newChunk(function, items, index, job));
                batchItems += items.length;
                index += items.length;
                // the first chunk goes at once; then a batch per hand-over to the pool, not a chunk
                if (index == items.length || batch.size() == SUBMIT_BATCH || batchItems >= SUBMIT_BATCH_ITEMS) {
                    supervisor.submit(batch, batchItems);
                    batch = new ArrayList<>();
                    batchItems = 0;
                }
            }
            if (!batch.isEmpty()) {
                supervisor.submit(batch, batchItems);
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
        FunctionRef function;
        try {
            function = functions.of(task);
        } catch (SerializationException e) {
            return ResultIterator.failing(e);
        }
        int readAhead = Math.max(2, READ_AHEAD_PER_WORKER * supervisor.workers());
        return new ResultIterator<>(this, function, inputs, chunksize, ordered, readAhead);
    }

    /** A chunk with the pool's task timeout, scaled by its number of inputs. */
    Chunk newChunk(FunctionRef function, Object[] inputs, long firstIndex, ChunkSink sink) {
        long timeout = supervisor.config.taskTimeoutNanos();
        return new Chunk(requestIds.incrementAndGet(), function, Values.packed(inputs), firstIndex, sink,
                timeout == 0 ? 0 : timeout * inputs.length);
    }

    void submit(List<Chunk> chunks, int items) {
        supervisor.submit(chunks, items);
    }

    /** Waits for a blocking call's result; a failure comes out as TaskFailedException, cancellation as itself. */
    private <V> V await(CompletableFuture<V> future, LongSupplier failedIndex) {
        refuseOwnThreads(supervisor.name(), "a blocking call");
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

    /**
     * Callbacks of the pool's futures run on its threads; waiting there for the pool would wait for the very thread
     * that has to deliver the answer.
     */
    static void refuseOwnThreads(String pool, String what) {
        String thread = Thread.currentThread().getName();
        if (thread.startsWith(pool) && thread.length() > pool.length() && thread.charAt(pool.length()) == '-') {
            throw new IllegalStateException(what + " on " + thread
                    + ", one of the pool's own threads (in a callback?), would wait for itself: use the async calls"
                    + " and shutdown() there");
        }
    }
}

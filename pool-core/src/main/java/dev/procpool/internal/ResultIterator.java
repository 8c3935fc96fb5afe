package dev.procpool.internal;

import dev.procpool.TaskFailedException;
import dev.procpool.protocol.Values;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * imap and imapUnordered: reads the caller's inputs lazily on the consuming thread, keeps at most
 * {@code readAhead} chunks submitted and not yet consumed (so memory does not grow with the input), and yields
 * results in input order or in completion order. A failed item throws from {@code next()} and the iteration goes
 * on with the next item; an exception from the input iterable comes out unchanged at its position and ends it.
 */
final class ResultIterator<R> implements Iterator<R>, ChunkSink {
    private final Jobs jobs;
    private final FunctionRef function;
    private final InputReader source;
    private final boolean ordered;
    private final int readAhead;

    // consumer thread only
    private long nextInputIndex;
    private boolean sourceDone;
    private Throwable sourceFailure; // what the input iterable threw, or the pool's refusal; thrown after the rest
    private int outstanding; // chunks submitted and not yet taken by the consumer
    private Outcome current;
    private int position;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Map<Long, Outcome> byFirstIndex = new HashMap<>(); // lock, ordered mode
    private final ArrayDeque<Outcome> inArrivalOrder = new ArrayDeque<>(); // lock, unordered mode
    private long nextOrderedIndex; // consumer thread, ordered mode

    ResultIterator(Jobs jobs, FunctionRef function, Iterable<?> inputs, int chunksize, boolean ordered,
                   int readAhead) {
        this.jobs = jobs;
        this.function = function;
        this.source = new InputReader(inputs, chunksize);
        this.ordered = ordered;
        this.readAhead = readAhead;
        fill();
    }

    /** An iteration that can never run (its task cannot be serialized): one failure, then the end. */
    static <R> Iterator<R> failing(Throwable failure) {
        return new Iterator<>() {
            private boolean thrown;

            @Override
            public boolean hasNext() {
                return !thrown;
            }

            @Override
            public R next() {
                if (thrown) {
                    throw new NoSuchElementException();
                }
                thrown = true;
                throw new TaskFailedException(0, failure);
            }
        };
    }

    private record Outcome(long firstIndex, Values values, Throwable[] failures) {
        int size() {
            return values.size();
        }
    }

    @Override
    public boolean hasNext() {
        if (current != null && position < current.size()) {
            return true;
        }
        if (outstanding == 0) {
            fill();
        }
        return outstanding > 0 || sourceFailure != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (current == null || position == current.size()) {
            if (outstanding == 0) {
                throwSourceFailure();
            }
            current = awaitOutcome();
            position = 0;
            outstanding--;
            fill();
        }
        int i = position++;
        Throwable failure = current.failures == null ? null : current.failures[i];
        if (failure != null) {
            if (failure instanceof CancellationException cancellation) {
                throw cancellation;
            }
            throw new TaskFailedException(current.firstIndex + i, failure);
        }
        return (R) current.values.get(i);
    }

    private void throwSourceFailure() {
        Throwable failure = sourceFailure;
        sourceFailure = null;
        InputReader.rethrow(failure);
    }

    /**
     * Once half the read-ahead is consumed, reads chunks until it is full again (or the input ends) and submits
     * them together: one hand-over to the pool per batch, not per chunk.
     */
    private void fill() {
        if (sourceDone || (outstanding > 0 && outstanding > readAhead / 2)) {
            return;
        }
        List<Chunk> batch = new ArrayList<>();
        int batchItems = 0;
        long firstIndex = nextInputIndex;
        while (!sourceDone && outstanding + batch.size() < readAhead) {
            Object[] items = source.next();
            sourceDone = source.done();
            if (items.length > 0) {
                batch.add(jobs.newChunk(function, items, firstIndex + batchItems, this));
                batchItems += items.length;
            }
        }
        if (source.failure() != null) {
            sourceFailure = source.failure();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            jobs.submit(batch, batchItems);
        } catch (RejectedExecutionException e) {
            if (outstanding == 0) {
                throw e;
            }
            // the pool was shut down under this iteration: say so after the results already in flight
            sourceDone = true;
            sourceFailure = e;
            return;
        }
        nextInputIndex += batchItems;
        outstanding += batch.size();
    }

    private Outcome awaitOutcome() {
        lock.lock();
        try {
            while (true) {
                Outcome outcome = ordered ? byFirstIndex.remove(nextOrderedIndex) : inArrivalOrder.pollFirst();
                if (outcome != null) {
                    nextOrderedIndex += outcome.size();
                    return outcome;
                }
                arrived.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while waiting for a result");
            cancelled.initCause(e);
            throw cancelled;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void completed(Chunk chunk, Values values, Throwable[] failures) {
        arrive(new Outcome(chunk.firstIndex, values, failures));
    }

    @Override
    public void failed(Chunk chunk, Throwable failure) {
        Throwable[] failures = new Throwable[chunk.size()];
        Arrays.fill(failures, failure);
        arrive(new Outcome(chunk.firstIndex, Values.of(new Object[chunk.size()]), failures));
    }

    private void arrive(Outcome outcome) {
        lock.lock();
        try {
            if (ordered) {
                byFirstIndex.put(outcome.firstIndex, outcome);
            } else {
                inArrivalOrder.addLast(outcome);
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean wanted() {
        return true;
    }
}

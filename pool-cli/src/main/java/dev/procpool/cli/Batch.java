package dev.procpool.cli;

import dev.procpool.ProcessPool;
import dev.procpool.TaskFailedException;
import dev.procpool.worker.Task;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pass of a task over the input lines: results are written as the pool's lazy iterator yields them, so only a
 * bounded number of items is in memory whatever the input's size. A failed item is reported and counted, never
 * thrown; in input order its output line is left empty so that output line N stays input line N.
 */
final class Batch {
    private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProcessPool pool;
    private final LineReader input;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    Batch(ProcessPool pool, LineReader input) {
        this.pool = pool;
        this.input = input;
    }

    /**
     * Runs until the input is exhausted. Exceptions other than a failed item's come out: an input read error
     * (UncheckedIOException), the pool stopping (CancellationException, RejectedExecutionException), output errors.
     */
    void run(Task<String, ?> task, int chunksize, boolean ordered, Writer output, ErrorLog errors) throws IOException {
        Iterable<String> lines = () -> input;
        Iterator<?> results = ordered ? pool.imap(task, lines, chunksize) : pool.imapUnordered(task, lines, chunksize);
        long lastFlush = System.nanoTime();
        while (true) {
            Object result;
            try {
                if (!results.hasNext()) {
                    return;
                }
                result = results.next();
            } catch (TaskFailedException e) {
                errors.report(e.index() + 1, e.getCause());
                if (ordered) {
                    output.write('\n');
                }
                failed.incrementAndGet();
                done.incrementAndGet();
                continue;
            }
            output.write(result == null ? "" : result.toString());
            output.write('\n');
            done.incrementAndGet();
            // results of a slow stream (tail -f | procpool run) should not wait for a full buffer
            long now = System.nanoTime();
            if (now - lastFlush > FLUSH_NANOS) {
                output.flush();
                lastFlush = now;
            }
        }
    }

    long failed() {
        return failed.get();
    }

    Snapshot snapshot() {
        return new Snapshot(done.get(), failed.get(), input.estimatedLines(),
                Duration.ofNanos(System.nanoTime() - startNanos), pool.workerPids().size(), pool.stats());
    }
}

package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.WorkerCrashedException;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Values;

/** Turns what a worker sent, or how it died, into what the caller sees: values, exceptions, counters. */
final class Outcomes {
    private Outcomes() {
    }

    /** A RESULT for the chunk: each item's value or failure goes to the job. */
    static void deliver(Chunk chunk, Message.Result result, ClassLoader loader, Counters counters) {
        Values values = result.values();
        Throwable[] failures = null;
        if (values.size() != chunk.size()) {
            failures = new Throwable[chunk.size()];
            values = Values.of(new Object[chunk.size()]);
            SerializationException mismatch = new SerializationException("the worker answered " + result.values().size()
                    + " items for a chunk of " + chunk.size() + " (protocol error)", null);
            java.util.Arrays.fill(failures, mismatch);
        } else if (result.failedCount() > 0) {
            failures = new Throwable[values.size()];
            for (int i = 0; i < failures.length; i++) {
                Message.ItemFailure f = result.failures()[i];
                if (f != null) {
                    failures[i] = f.thrown() != null ? Throwables.rebuild(f.thrown(), loader)
                            : new SerializationException(chunk.itemName(i) + ": " + f.problem(), null);
                }
            }
        }
        int failed = failures == null ? 0 : countNonNull(failures);
        counters.completed.add(chunk.size() - failed);
        if (failed > 0) {
            counters.failed.add(failed);
        }
        chunk.sink.completed(chunk, values, failures);
    }

    private static int countNonNull(Object[] array) {
        int n = 0;
        for (Object o : array) {
            n += o == null ? 0 : 1;
        }
        return n;
    }

    static WorkerStartException startFailure(WorkerHandle worker, int exitCode) {
        Throwable known = worker.startFailure();
        if (known instanceof WorkerStartException start) {
            return start;
        }
        return new WorkerStartException("worker " + worker.state.slot + " (pid " + worker.pid() + ") exited with code "
                + exitCode + " before it was ready" + worker.problemText() + "; " + worker.stderrTail(), known);
    }

    static WorkerCrashedException crashFailure(WorkerHandle worker, int exitCode) {
        return new WorkerCrashedException("worker " + worker.state.slot + " (pid " + worker.pid()
                + ") died while running the task: exit code " + exitCode + worker.problemText() + "; "
                + worker.stderrTail(), worker.pid(), exitCode);
    }
}

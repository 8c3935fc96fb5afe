package dev.procpool.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An outbox's own writing thread, for writes that should not wait for the thread that decided them: a map's big
 * chunks for several workers are then encoded and written in parallel, one thread per worker, instead of one worker
 * after another. Started at its first request, ended by {@link #close()} when the worker is gone. Requests made while
 * one is pending join it.
 */
final class WriterThread {
    private final String name;
    private final Runnable write;
    private ExecutorService thread; // guarded by this
    private boolean requested; // guarded by this
    private boolean closed; // guarded by this

    WriterThread(String name, Runnable write) {
        this.name = name;
        this.write = write;
    }

    synchronized void request() {
        if (requested || closed) {
            return;
        }
        requested = true;
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(body -> {
                Thread writer = new Thread(body, name);
                writer.setDaemon(true);
                return writer;
            });
        }
        thread.execute(this::writeRequested);
    }

    private void writeRequested() {
        synchronized (this) {
            requested = false; // a request from now on runs the write again
        }
        write.run();
    }

    /** What was requested is still written (to a dead pipe, harmlessly); then the thread ends. */
    synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.shutdown();
        }
    }
}

package dev.procpool.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An outbox's own writing thread, for big writes that the thread that decided them should not wait for: a map's
 * caller reads its next chunk while this encodes and writes the last one, and several workers' chunks are written
 * at once, one thread per worker. Started at its first request, ended by {@link #close()} when the worker is gone.
 * Requests made while one is pending join it.
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

package dev.procpool.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the scheduler decided, for the supervisor to carry out: messages to queue for workers (under the lock, so
 * that each worker's messages keep the order of the decisions), then, outside the lock, writes, replacements,
 * deadlines and failures. Every submit and every result makes one, and most decide one thing or nothing: the
 * lists exist only once something is added, the one worker that most decisions start needs none, and an empty one
 * is {@code Collections.emptyList()}, whose iterator is shared (with chunksize 1 a decision is made per task).
 */
final class Plan {
    /** One message for one worker. */
    record Send(WorkerState worker, Outbox.Item item) {
    }

    /**
     * Items in a decision's RUNs from which each worker's are written by its outbox's own thread: the deciding
     * thread (a map's caller reading its next chunk, a reader) goes on, and several workers' are written at once.
     */
    static final int BIG_WRITE_ITEMS = 8192;

    private List<Send> sends;
    private int runItems;
    private List<Chunk> skipped;
    private List<WorkerState> leaving;
    private WorkerState started; // the first, and in most decisions the only one
    private List<WorkerState> alsoStarted;

    void run(WorkerState worker, Chunk chunk) {
        runItems += chunk.size();
        send(worker, new Outbox.Item(Outbox.Kind.RUN, chunk));
    }

    void revoke(WorkerState worker, Chunk chunk) {
        send(worker, new Outbox.Item(Outbox.Kind.REVOKE, chunk));
    }

    void end(WorkerState worker) {
        send(worker, new Outbox.Item(Outbox.Kind.END, null));
    }

    private void send(WorkerState worker, Outbox.Item item) {
        sends = added(sends, new Send(worker, item));
    }

    /** RUNs worth their own writing thread: see {@link #BIG_WRITE_ITEMS}. */
    boolean bigWrites() {
        return runItems >= BIG_WRITE_ITEMS;
    }

    /** A chunk taken from the queue that its job no longer wants: counted as failed, never run. */
    void skip(Chunk chunk) {
        skipped = added(skipped, chunk);
    }

    /** A worker that is leaving and may need a successor in its slot. */
    void leave(WorkerState worker) {
        leaving = added(leaving, worker);
    }

    /** A worker whose running chunk may have changed: its deadline is armed if it has one. Each worker once. */
    void started(WorkerState worker) {
        if (started == null) {
            started = worker;
        } else if (started != worker && (alsoStarted == null || !alsoStarted.contains(worker))) {
            alsoStarted = added(alsoStarted, worker);
        }
    }

    List<Send> sends() {
        return sends == null ? Collections.emptyList() : sends;
    }

    List<Chunk> skipped() {
        return skipped == null ? Collections.emptyList() : skipped;
    }

    List<WorkerState> leaving() {
        return leaving == null ? Collections.emptyList() : leaving;
    }

    int startedCount() {
        return started == null ? 0 : 1 + (alsoStarted == null ? 0 : alsoStarted.size());
    }

    WorkerState started(int i) {
        return i == 0 ? started : alsoStarted.get(i - 1);
    }

    private static <T> List<T> added(List<T> list, T element) {
        List<T> to = list == null ? new ArrayList<>(4) : list;
        to.add(element);
        return to;
    }
}

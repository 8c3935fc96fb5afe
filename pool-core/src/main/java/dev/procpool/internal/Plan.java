package dev.procpool.internal;

import java.util.ArrayList;

/**
 * What the scheduler decided, for the supervisor to carry out: messages to queue for workers (under the lock, so
 * that each worker's messages keep the order of the decisions), then, outside the lock, writes, replacements,
 * deadlines and failures. Every submit and every result makes one, and most decide one thing or nothing: the
 * lists exist only once something is added, and the one worker that most decisions start needs none (with chunksize
 * 1 a decision is made per task). They are read by count and index: one list class, no iterators, on the path that a
 * fresh JVM's JIT compiles first.
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

    private ArrayList<Send> sends;
    private int runItems;
    private ArrayList<Chunk> skipped;
    private ArrayList<WorkerState> leaving;
    private WorkerState started; // the first, and in most decisions the only one
    private ArrayList<WorkerState> alsoStarted;

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

    int sendCount() {
        return sends == null ? 0 : sends.size();
    }

    Send send(int i) {
        return sends.get(i);
    }

    int skippedCount() {
        return skipped == null ? 0 : skipped.size();
    }

    Chunk skipped(int i) {
        return skipped.get(i);
    }

    int leavingCount() {
        return leaving == null ? 0 : leaving.size();
    }

    WorkerState leaving(int i) {
        return leaving.get(i);
    }

    int startedCount() {
        return started == null ? 0 : 1 + (alsoStarted == null ? 0 : alsoStarted.size());
    }

    WorkerState started(int i) {
        return i == 0 ? started : alsoStarted.get(i - 1);
    }

    private static <T> ArrayList<T> added(ArrayList<T> list, T element) {
        ArrayList<T> to = list == null ? new ArrayList<>(4) : list;
        to.add(element);
        return to;
    }
}

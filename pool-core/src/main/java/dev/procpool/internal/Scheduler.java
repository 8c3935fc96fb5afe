package dev.procpool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Which chunk goes to which worker, and when: the queue, the workers' in-flight lists, pipelining, fair shares and
 * work stealing. Pure bookkeeping: no threads, no I/O, no clock of its own. Every decision lands in a {@link Plan}
 * that the caller carries out. Guarded by the supervisor's lock.
 *
 * <p>Rules: a worker runs its chunks in the order they were written to it, so the head of its in-flight list is the
 * one it runs; each worker holds about a fair share of the work (queued and in flight); a submit goes at once only to
 * workers that could run dry, a result refills only the worker that sent it; an idle worker takes back half the
 * chunks waiting behind another worker's running one (REVOKE); a retiring worker, and every worker of a draining pool
 * once the queue is empty, is told to end when its in-flight list is empty.
 */
final class Scheduler {
    /** A worker with fewer chunks in flight is given new ones as they are submitted. */
    private static final int NEARLY_DRY = 4;
    private final int maxTasksPerChild;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final List<WorkerState> workers = new ArrayList<>();
    private final List<WorkerState> busy = new ArrayList<>(); // the second round of a pass, kept to spare garbage
    private long queuedItems;
    private boolean draining;

    /** @param maxTasksPerChild chunks a worker runs before it retires; 0 = unlimited */
    Scheduler(int maxTasksPerChild) {
        this.maxTasksPerChild = maxTasksPerChild;
    }

    void add(WorkerState worker) {
        workers.add(worker);
    }

    List<WorkerState> workers() {
        return workers;
    }

    long queuedItems() {
        return queuedItems;
    }

    boolean queueEmpty() {
        return queue.isEmpty();
    }

    /**
     * Queues the chunks and gives them at once only to workers that could run dry (fewer than {@value #NEARLY_DRY}
     * chunks in flight): one that holds more takes these at its next result, in one write with whatever else is
     * submitted meanwhile, so that a caller submitting one task after another does not pay a write for each.
     */
    void enqueue(List<Chunk> chunks, Plan plan) {
        for (Chunk chunk : chunks) {
            queue.addLast(chunk);
            queuedItems += chunk.size();
        }
        serveHoldingFewerThan(NEARLY_DRY, plan);
    }

    void ready(WorkerState worker, Plan plan) {
        worker.ready = true;
        everyWorker(plan);
    }

    /** No more submissions: idle workers end once the queue is empty. */
    void drain(Plan plan) {
        draining = true;
        everyWorker(plan);
    }

    /**
     * The RESULT for {@code requestId} came: it answers the oldest chunk in flight, except that chunks asked back
     * may be skipped (their REVOKED can come after a later RESULT). Null when no such chunk is in flight.
     */
    Chunk completed(WorkerState worker, long requestId, long now, Plan plan) {
        Chunk found = takeAnswered(worker, requestId);
        if (found != null) {
            worker.resultAt(now, found);
            plan.started(worker);
            serve(worker, fairShare(), plan); // only this worker's room changed: the others' decisions stand
        }
        return found;
    }

    private static Chunk takeAnswered(WorkerState worker, long requestId) {
        Chunk head = worker.inFlight.peekFirst();
        if (head != null && head.requestId == requestId) { // nearly always: no iterator per result
            worker.inFlight.pollFirst();
            worker.left(head);
            return head;
        }
        for (var it = worker.inFlight.iterator(); it.hasNext(); ) {
            Chunk chunk = it.next();
            if (chunk.requestId == requestId) {
                it.remove();
                worker.left(chunk);
                return chunk;
            }
            if (!chunk.revokeRequested) {
                return null;
            }
        }
        return null;
    }

    /** The worker gave a chunk back unstarted: it goes to the front of the queue. False if it was not in flight. */
    boolean revoked(WorkerState worker, long requestId, Plan plan) {
        Chunk chunk = worker.find(requestId);
        if (chunk == null) {
            return false;
        }
        worker.inFlight.remove(chunk);
        worker.left(chunk);
        queue.addFirst(chunk);
        queuedItems += chunk.size();
        everyWorker(plan);
        return true;
    }

    /** A chunk whose inputs could not be serialized was never sent: it leaves the worker's list. */
    void notSent(WorkerState worker, Chunk chunk, Plan plan) {
        worker.inFlight.remove(chunk);
        worker.left(chunk);
        plan.started(worker);
        everyWorker(plan);
    }

    /** The worker survived an Error (or is over its memory limit) and exits after its last result. */
    void retireAnnounced(WorkerState worker, Plan plan) {
        worker.retireAnnounced = true;
        retire(worker, plan);
        everyWorker(plan);
    }

    private void retire(WorkerState worker, Plan plan) {
        if (!worker.retiring) {
            worker.retiring = true;
            plan.leave(worker);
        }
    }

    /** The chunks of a cancelled job: dropped from the queue, asked back from workers, or running. */
    record Cancelled(List<Chunk> dropped, List<WorkerState> runningOn, List<Chunk> running) {
    }

    Cancelled cancel(ChunkSink job, Plan plan) {
        List<Chunk> dropped = new ArrayList<>();
        for (var it = queue.iterator(); it.hasNext(); ) {
            Chunk chunk = it.next();
            if (chunk.sink == job) {
                it.remove();
                queuedItems -= chunk.size();
                dropped.add(chunk);
            }
        }
        List<WorkerState> runningOn = new ArrayList<>();
        List<Chunk> running = new ArrayList<>();
        for (WorkerState worker : workers) {
            for (Chunk chunk : worker.inFlight) {
                if (chunk.sink != job || worker.gone) {
                    continue;
                }
                if (chunk == worker.running()) {
                    runningOn.add(worker);
                    running.add(chunk);
                } else if (!chunk.revokeRequested) {
                    worker.askBack(chunk);
                    plan.revoke(worker, chunk);
                }
            }
        }
        return new Cancelled(dropped, runningOn, running);
    }

    /** The worker's process is gone: it leaves the pool, and what it held is returned for the exit policy. */
    List<Chunk> gone(WorkerState worker) {
        worker.gone = true;
        workers.remove(worker);
        List<Chunk> held = new ArrayList<>(worker.inFlight);
        worker.inFlight.clear();
        worker.clearAskedBack();
        return held;
    }

    void requeueFirst(List<Chunk> chunks, Plan plan) {
        for (int i = chunks.size() - 1; i >= 0; i--) {
            queue.addFirst(chunks.get(i));
            queuedItems += chunks.get(i).size();
        }
        everyWorker(plan);
    }

    List<Chunk> drainQueue() {
        List<Chunk> drained = new ArrayList<>(queue);
        queue.clear();
        queuedItems = 0;
        return drained;
    }

    /**
     * Gives each worker what it should do now: end, take chunks, or take back chunks waiting elsewhere. Idle
     * workers come first (a chunk given back goes to one of them), and each takes at most a fair share of the work
     * as it was when this pass began.
     */
    private void everyWorker(Plan plan) {
        serveHoldingFewerThan(Integer.MAX_VALUE, plan);
    }

    /**
     * {@link #everyWorker} for the workers that hold fewer than {@code limit} chunks. The loops here and below go by
     * index: they run per submit and per result, and loops without iterators are what the JIT compiles fastest.
     */
    private void serveHoldingFewerThan(int limit, Plan plan) {
        int share = fairShare();
        busy.clear();
        for (int i = 0; i < workers.size(); i++) {
            WorkerState worker = workers.get(i);
            if (worker.inFlight.isEmpty()) {
                serve(worker, share, plan);
            } else if (worker.inFlight.size() < limit) {
                busy.add(worker);
            }
        }
        for (int i = 0; i < busy.size(); i++) {
            serve(busy.get(i), share, plan);
        }
        busy.clear();
    }

    /**
     * How many chunks each serving worker should hold, in flight and queued together, rounded up: a worker that
     * already holds some takes fewer of the queue (the first chunk of a map goes out alone, the rest after it).
     */
    private int fairShare() {
        int serving = 0;
        int held = queue.size();
        for (int i = 0; i < workers.size(); i++) {
            WorkerState worker = workers.get(i);
            if (worker.serving()) {
                serving++;
                held += worker.inFlight.size();
            }
        }
        return Math.max(1, (held + serving - 1) / Math.max(1, serving));
    }

    private void serve(WorkerState worker, int fairShare, Plan plan) {
        if (!worker.ready || worker.gone || worker.endSent) {
            return;
        }
        if ((worker.retiring || (draining && queue.isEmpty())) && worker.inFlight.isEmpty()) {
            worker.endSent = true;
            plan.end(worker);
            return;
        }
        dispatch(worker, fairShare, plan);
        if (worker.inFlight.isEmpty() && worker.room() > 0) {
            stealFor(worker, plan);
        }
    }

    /**
     * Moves chunks from the queue to the worker, as many as it has room for, up to its fair share: none to a busy
     * worker that holds its share already (it is served again at its next result), at least one to an idle one.
     */
    private void dispatch(WorkerState worker, int fairShare, Plan plan) {
        int share = Math.max(worker.inFlight.isEmpty() ? 1 : 0, fairShare - worker.inFlight.size());
        int room = worker.room();
        if (room == 0 || queue.isEmpty()) {
            return;
        }
        if (worker.inFlight.size() > WorkerState.MAX_PIPELINE / 4
                && (room < WorkerState.MAX_PIPELINE / 2 || queue.size() < room / 2)) {
            // a worker with many chunks waiting behind its running one is refilled by halves: one write of many
            // chunks, not one write per submit or per result
            return;
        }
        int taken = 0;
        while (taken < room && taken < share && !queue.isEmpty()) {
            Chunk chunk = queue.pollFirst();
            queuedItems -= chunk.size();
            if (!chunk.sink.wanted()) {
                plan.skip(chunk);
                continue;
            }
            chunk.revokeRequested = false;
            worker.inFlight.addLast(chunk);
            plan.run(worker, chunk);
            taken++;
            if (++worker.dispatched == maxTasksPerChild) {
                retire(worker, plan); // its successor starts now, while it runs its last tasks
                break;
            }
        }
        plan.started(worker);
    }

    /** Asks the worker with the most chunks waiting behind its running one to give half of them back. */
    private void stealFor(WorkerState idle, Plan plan) {
        WorkerState victim = null;
        int most = 0;
        for (int i = 0; i < workers.size(); i++) {
            WorkerState other = workers.get(i);
            int waiting = other == idle || other.gone ? 0 : other.waiting();
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
            if (!chunk.revokeRequested && chunk != victim.running()) {
                victim.askBack(chunk);
                plan.revoke(victim, chunk);
                toSteal--;
            }
        }
    }
}

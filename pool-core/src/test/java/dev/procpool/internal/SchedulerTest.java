package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions with fake workers: no process, no thread, no clock. */
class SchedulerTest {
    private static final FunctionRef FUNCTION = new FunctionRef(1, new byte[0], new long[0]);
    private long ids;

    private final class Job implements ChunkSink {
        boolean wanted = true;

        @Override
        public void completed(Chunk chunk, Values values, Throwable[] failures) {
        }

        @Override
        public void failed(Chunk chunk, Throwable failure) {
        }

        @Override
        public boolean wanted() {
            return wanted;
        }
    }

    private List<Chunk> chunks(int n, ChunkSink job) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new Chunk(++ids, FUNCTION, Values.one(i), i, job, 0));
        }
        return chunks;
    }

    private static WorkerState ready(Scheduler scheduler, int slot) {
        WorkerState worker = new WorkerState(slot, null);
        scheduler.add(worker);
        scheduler.ready(worker, new Plan());
        return worker;
    }

    /** A ready worker whose tasks were measured fast. */
    private static WorkerState readyFast(Scheduler scheduler, int slot) {
        WorkerState worker = ready(scheduler, slot);
        fast(worker);
        return worker;
    }

    /** Tasks measured fast: the worker may hold a pipeline of chunks. */
    private static void fast(WorkerState worker) {
        Chunk probe = new Chunk(-1, FUNCTION, Values.of(new Object[1]), 0, null, 0);
        probe.dispatchedAt = 0;
        worker.resultAt(1_000, probe);
    }

    private static List<Long> runs(Plan plan, WorkerState worker, Outbox.Kind kind) {
        return IntStream.range(0, plan.sendCount()).mapToObj(plan::send)
                .filter(s -> s.worker() == worker && s.item().kind() == kind)
                .map(s -> s.item().chunk() == null ? -1L : s.item().chunk().requestId).toList();
    }

    @Test
    void workersOfUnknownSpeedTakeOneChunkAtATimeInQueueOrder() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = ready(scheduler, 0);
        WorkerState b = ready(scheduler, 1);
        Plan plan = new Plan();
        List<Chunk> work = chunks(5, new Job());
        scheduler.enqueue(work, plan);
        assertEquals(List.of(1L), runs(plan, a, Outbox.Kind.RUN));
        assertEquals(List.of(2L), runs(plan, b, Outbox.Kind.RUN));
        assertEquals(3, scheduler.queuedItems());

        Plan next = new Plan();
        assertSame(work.get(0), scheduler.completed(a, 1, 2_000_000, next));
        assertEquals(List.of(3L), runs(next, a, Outbox.Kind.RUN));
    }

    @Test
    void fastWorkersShareTheQueueFairlyAndPipeline() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = readyFast(scheduler, 0);
        WorkerState b = readyFast(scheduler, 1);
        Plan plan = new Plan();
        scheduler.enqueue(chunks(8, new Job()), plan);
        assertEquals(List.of(1L, 2L, 3L, 4L), runs(plan, a, Outbox.Kind.RUN));
        assertEquals(List.of(5L, 6L, 7L, 8L), runs(plan, b, Outbox.Kind.RUN));
        assertEquals(0, scheduler.queuedItems());
    }

    @Test
    void aSubmitGoesOnlyToWorkersThatCouldRunDryTheOthersTakeItAtTheirNextResult() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = readyFast(scheduler, 0);
        WorkerState b = readyFast(scheduler, 1);
        scheduler.enqueue(chunks(10, new Job()), new Plan());
        Plan submit = new Plan();
        scheduler.enqueue(chunks(1, new Job()), submit);
        assertEquals(0, submit.sendCount(), "both hold five: the submitting thread writes nothing");
        assertEquals(1, scheduler.queuedItems());

        Plan result = new Plan();
        scheduler.completed(a, 1, 10_000, result);
        assertEquals(List.of(11L), runs(result, a, Outbox.Kind.RUN), "the answering worker takes it with its result");
        assertEquals(List.of(), runs(result, b, Outbox.Kind.RUN));
    }

    @Test
    void aFairShareCountsTheChunksAWorkerAlreadyHoldsAndTheIdleChooseFirst() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = readyFast(scheduler, 0);
        WorkerState b = readyFast(scheduler, 1);
        Plan first = new Plan();
        scheduler.enqueue(chunks(1, new Job()), first); // a map's first chunk goes out alone
        assertEquals(List.of(1L), runs(first, a, Outbox.Kind.RUN));
        Plan rest = new Plan();
        scheduler.enqueue(chunks(7, new Job()), rest);
        assertEquals(List.of(2L, 3L, 4L, 5L), runs(rest, b, Outbox.Kind.RUN), "the idle worker first, its half");
        assertEquals(List.of(6L, 7L, 8L), runs(rest, a, Outbox.Kind.RUN), "four in all, with the one it holds");
    }

    @Test
    void anIdleWorkerTakesBackHalfTheChunksWaitingBehindASlowOneAndGetsThem() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = readyFast(scheduler, 0);
        WorkerState b = readyFast(scheduler, 1);
        scheduler.enqueue(chunks(8, new Job()), new Plan());
        // b finishes its four while a is stuck on chunk 1
        Plan plan = new Plan();
        for (long id = 5; id <= 8; id++) {
            plan = new Plan();
            scheduler.completed(b, id, 10_000, plan);
        }
        assertEquals(List.of(4L, 3L), runs(plan, a, Outbox.Kind.REVOKE), "half of 2, 3, 4, from the tail");
        assertEquals(0, a.room(), "a worker asked to give back takes nothing more");

        Plan back = new Plan();
        assertTrue(scheduler.revoked(a, 4, back));
        assertEquals(List.of(4L), runs(back, b, Outbox.Kind.RUN), "the chunk given back goes to the idle worker");
        assertFalse(scheduler.revoked(a, 99, new Plan()), "an unknown chunk is reported, not invented");
    }

    @Test
    void aResultMaySkipChunksAskedBackButNotOthers() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = readyFast(scheduler, 0);
        List<Chunk> work = chunks(3, new Job());
        scheduler.enqueue(work, new Plan());
        assertNull(scheduler.completed(a, 2, 0, new Plan()), "chunk 1 runs first; a result for 2 is wrong");
        work.get(0).revokeRequested = true;
        assertSame(work.get(1), scheduler.completed(a, 2, 0, new Plan()));
    }

    @Test
    void aWorkerRetiresAfterMaxTasksAndIsToldToEndOnceItsWorkIsDone() {
        Scheduler scheduler = new Scheduler(2);
        WorkerState a = readyFast(scheduler, 0);
        Plan plan = new Plan();
        scheduler.enqueue(chunks(3, new Job()), plan);
        assertEquals(List.of(1L, 2L), runs(plan, a, Outbox.Kind.RUN));
        assertEquals(1, plan.leavingCount());
        assertSame(a, plan.leaving(0));
        assertTrue(a.retiring);
        scheduler.completed(a, 1, 0, new Plan());
        Plan last = new Plan();
        scheduler.completed(a, 2, 0, last);
        assertEquals(List.of(-1L), runs(last, a, Outbox.Kind.END));
        assertEquals(1, scheduler.queuedItems(), "the third chunk waits for the successor");

        WorkerState successor = ready(scheduler, 0);
        assertFalse(successor.retiring);
    }

    @Test
    void aDrainingPoolEndsEachWorkerWhenTheQueueIsEmptyAndItIsIdle() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = ready(scheduler, 0);
        WorkerState b = ready(scheduler, 1);
        scheduler.enqueue(chunks(1, new Job()), new Plan());
        Plan drain = new Plan();
        scheduler.drain(drain);
        assertEquals(List.of(), runs(drain, a, Outbox.Kind.END), "a still runs chunk 1");
        assertEquals(List.of(-1L), runs(drain, b, Outbox.Kind.END));
        Plan done = new Plan();
        scheduler.completed(a, 1, 0, done);
        assertEquals(List.of(-1L), runs(done, a, Outbox.Kind.END));
    }

    @Test
    void cancellingAJobDropsItsQueuedChunksAsksBackWaitingOnesAndNamesTheRunningOne() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = readyFast(scheduler, 0);
        Job cancelled = new Job();
        Job other = new Job();
        List<Chunk> mine = chunks(3, cancelled);
        scheduler.enqueue(mine, new Plan());
        scheduler.enqueue(chunks(40, other), new Plan());
        List<Chunk> queuedMine = chunks(1, cancelled);
        scheduler.enqueue(queuedMine, new Plan());
        Plan plan = new Plan();
        Scheduler.Cancelled result = scheduler.cancel(cancelled, plan);
        assertEquals(queuedMine, result.dropped());
        assertEquals(List.of(mine.get(0)), result.running());
        assertEquals(List.of(2L, 3L), runs(plan, a, Outbox.Kind.REVOKE));
    }

    @Test
    void chunksNoLongerWantedAreSkippedNotSent() {
        Scheduler scheduler = new Scheduler(0);
        WorkerState a = ready(scheduler, 0);
        Job abandoned = new Job();
        abandoned.wanted = false;
        Plan plan = new Plan();
        scheduler.enqueue(chunks(2, abandoned), plan);
        assertEquals(List.of(), runs(plan, a, Outbox.Kind.RUN));
        assertEquals(2, plan.skippedCount());
    }
}

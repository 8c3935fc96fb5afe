package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.testing.Await;
import dev.procpool.testing.Blocker;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.CurrentProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The give-back rules with the holder or waiter being a pool worker: killed with SIGKILL through its pid, or ending
 * itself with Runtime.halt or System.exit inside its task. What it held comes back, its waits end, and the waiters
 * of other processes go on. A pool whose worker dies is terminated and awaited before an assertion that needs the
 * death to have been processed (its futures are settled and its objects told before awaitTermination returns).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedGiveBackFromPoolWorkersTest {
    private static final Duration END = Duration.ofSeconds(60);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** The pid a task put in {@code pids}. */
    private static long reported(SharedQueue<Long> pids) throws InterruptedException {
        Long pid = pids.poll(60, TimeUnit.SECONDS);
        assertTrue(pid != null, "the task never reported its worker's pid");
        return pid;
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static void crashed(CompletableFuture<?> task) throws InterruptedException {
        assertInstanceOf(WorkerCrashedException.class, Await.failureOf(task, "the killed worker's task"));
    }

    private static void ended(ProcessPool pool) throws InterruptedException {
        pool.terminate();
        assertTrue(pool.awaitTermination(END), "the pool ended");
    }

    @Test
    void aLockHeldByAKilledWorkerGoesToAWaitingWorkerOfTheSamePool() throws Exception {
        SharedLock lock = Shared.lock();
        SharedQueue<Long> pids = Shared.queue();
        SharedEvent waiting = Shared.event();
        try (ProcessPool pool = audit.track(ProcessPool.create(2))) {
            CompletableFuture<Integer> holder = pool.applyAsync(x -> {
                lock.lock();
                pids.put(CurrentProcess.pid());
                Blocker.blockForever();
                return x;
            }, 1);
            long holderPid = reported(pids);
            assertTrue(lock.isLocked(), "the first worker holds the lock");
            CompletableFuture<Boolean> other = pool.applyAsync(x -> {
                waiting.set();
                boolean got = lock.tryLock(60, TimeUnit.SECONDS);
                if (got) {
                    lock.unlock();
                }
                return got;
            }, 2);
            assertTrue(waiting.await(END));
            kill(holderPid);
            crashed(holder);
            assertTrue(Await.resultOf(other, "the waiting worker"), "the waiter of the other worker got the lock");
            assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "free again");
            lock.unlock();
        }
    }

    @Test
    void permitsComeBackAfterSigkillAndHaltButNotAfterSystemExit() throws Exception {
        SharedSemaphore semaphore = Shared.semaphore(3);
        SharedLock lock = Shared.lock();
        SharedQueue<Long> pids = Shared.queue();
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            CompletableFuture<Integer> killed = pool.applyAsync(x -> {
                semaphore.acquire(2);
                semaphore.release(1); // one of the two given back in its life: one is still held
                pids.put(CurrentProcess.pid());
                Blocker.blockForever();
                return x;
            }, 1);
            kill(reported(pids));
            crashed(killed);
            assertTrue(semaphore.tryAcquire(3, 60, TimeUnit.SECONDS), "the permit it held came back after SIGKILL");
            semaphore.release(3);
            CompletableFuture<Integer> halted = pool.applyAsync(x -> {
                semaphore.acquire(3);
                Runtime.getRuntime().halt(5);
                return x;
            }, 2);
            crashed(halted);
            assertTrue(semaphore.tryAcquire(3, 60, TimeUnit.SECONDS), "its permits came back after Runtime.halt");
            semaphore.release(3);
        }
        ProcessPool exiting = audit.track(ProcessPool.create(1));
        CompletableFuture<Integer> exited = exiting.applyAsync(x -> {
            lock.lock();
            semaphore.acquire(1);
            System.exit(3); // an orderly end: its permit stays spent, its lock is released
            return x;
        }, 3);
        WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class,
                Await.failureOf(exited, "the task that called System.exit"));
        assertEquals(3, crash.exitCode());
        ended(exiting);
        assertEquals(2, semaphore.availablePermits(), "System.exit gives back no permit");
        assertTrue(lock.tryLock(), "but its lock was released");
        lock.unlock();
    }

    @Test
    void aTakeOfAKilledWorkerLosesNoItemAndTheQueueServesOthers() throws Exception {
        SharedQueue<String> queue = Shared.queue();
        SharedQueue<Long> pids = Shared.queue();
        ProcessPool victim = audit.track(ProcessPool.create(1));
        CompletableFuture<String> taker = victim.applyAsync(x -> {
            pids.put(CurrentProcess.pid());
            return queue.take();
        }, 1);
        kill(reported(pids));
        crashed(taker);
        ended(victim);
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            CompletableFuture<List<String>> live = pool.applyAsync(x -> List.of(queue.take(), queue.take()), 2);
            queue.put("one");
            queue.put("two");
            assertEquals(List.of("one", "two"), Await.resultOf(live, "the live taker"), "no item went to the dead");
        }
        assertEquals(0, queue.size());
    }

    @Test
    void aKilledWorkerAtTheBarrierBreaksItForTheWorkerThatWaitsWithIt() throws Exception {
        SharedBarrier barrier = Shared.barrier(3);
        SharedQueue<Long> pids = Shared.queue();
        try (ProcessPool pool = audit.track(ProcessPool.create(2))) {
            CompletableFuture<Integer> dying = pool.applyAsync(x -> {
                pids.put(CurrentProcess.pid());
                return barrier.await();
            }, 1);
            CompletableFuture<String> other = pool.applyAsync(x -> {
                try {
                    return "passed " + barrier.await(60, TimeUnit.SECONDS);
                } catch (BrokenBarrierException e) {
                    return "broken";
                }
            }, 2);
            long deadline = System.nanoTime() + END.toNanos();
            while (barrier.getNumberWaiting() < 2) { // the root has no event for it: a bounded poll
                assertTrue(System.nanoTime() < deadline, "both parties never waited at the barrier");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            kill(reported(pids));
            crashed(dying);
            assertEquals("broken", Await.resultOf(other, "the other party"));
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(1, TimeUnit.SECONDS));
            barrier.reset();
            assertEquals(0, barrier.getNumberWaiting());
        }
    }

    @Test
    void aKilledWorkersConditionAndEventWaitsEndAndOthersAreWoken() throws Exception {
        SharedLock lock = Shared.lock();
        SharedCondition ready = lock.newCondition();
        SharedEvent event = Shared.event();
        SharedQueue<Long> pids = Shared.queue();
        try (ProcessPool pool = audit.track(ProcessPool.create(2))) {
            CompletableFuture<Integer> dying = pool.applyAsync(x -> {
                lock.lock();
                pids.put(CurrentProcess.pid());
                ready.await(); // gives the lock up
                event.await();
                return x;
            }, 1);
            long pid = reported(pids);
            lock.lock(); // only once the worker's await gave the lock up: it waits now
            kill(pid);
            crashed(dying);
            ready.signalAll(); // the dead waiter must not be handed the lock for good
            lock.unlock();
            assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "the dead waiter's wait ended, the lock is free");
            lock.unlock();
            CompletableFuture<Boolean> live = pool.applyAsync(x -> {
                lock.lock();
                try {
                    pids.put(CurrentProcess.pid());
                    boolean signalled = ready.await(60, TimeUnit.SECONDS);
                    return signalled && lock.isHeldByCurrentThread() && event.await(Duration.ofSeconds(60));
                } finally {
                    lock.unlock();
                }
            }, 2);
            reported(pids);
            lock.lock(); // the live worker waits on the condition now
            ready.signal(); // one signal: it goes to the live waiter
            lock.unlock();
            event.set();
            assertTrue(Await.resultOf(live, "the live waiter"), "signalled, the lock held again, the event seen");
            assertFalse(lock.isLocked());
        }
    }
}

package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedJoinableQueue;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.testing.Await;
import dev.procpool.testing.Faults;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Waiting;
import dev.procpool.worker.CurrentProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A thread of a child (a JvmProcess's target, a pool task) blocked in a shared object's call is interrupted while
 * its wait is parked in the root: the call throws InterruptedException (lock() waits on and keeps the flag), the
 * cancelled wait takes nothing, and the object works afterwards. A pool worker blocked in a call keeps its pool's
 * other work and its heartbeats going, and an interrupt that comes late, when the task's thread reads the worker's
 * input, does not cost the worker.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedInterruptsTest {
    private static final Duration END = Duration.ofSeconds(60);
    private static final List<String> EVERY_WAIT_INTERRUPTED = List.of("take: interrupted", "poll: interrupted",
            "put: interrupted", "offer: interrupted", "lockInterruptibly: interrupted", "tryLock: interrupted",
            "acquire: interrupted", "tryAcquire: interrupted", "event: interrupted", "barrier: interrupted",
            "condition: returned interrupted, lock held true", "join: interrupted");

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /**
     * Objects each with a call that blocks; the lock is held by the root's test thread while the child runs. A
     * record: Kryo rebuilds it in the child through its canonical constructor (a no-arg constructor would run there).
     */
    record Fixture(SharedQueue<String> empty, SharedQueue<String> full, SharedLock held, SharedSemaphore none,
                   SharedEvent unset, SharedBarrier barrier, SharedLock conditionLock, SharedCondition condition,
                   SharedJoinableQueue<String> unfinished) {
        static Fixture create() throws InterruptedException {
            SharedLock conditionLock = Shared.lock();
            Fixture fixture = new Fixture(Shared.queue(), Shared.queue(1), Shared.lock(), Shared.semaphore(0),
                    Shared.event(), Shared.barrier(2), conditionLock, conditionLock.newCondition(),
                    Shared.joinableQueue());
            fixture.full.put("a");
            fixture.unfinished.put("work");
            fixture.held.lock();
            return fixture;
        }

        /** In the child: each blocking call, interrupted while it waits. */
        List<String> interruptEach() throws InterruptedException {
            List<String> outcomes = new ArrayList<>();
            outcomes.add("take: " + Waiting.interrupted(empty::take));
            outcomes.add("poll: " + Waiting.interrupted(() -> empty.poll(60, TimeUnit.SECONDS)));
            outcomes.add("put: " + Waiting.interrupted(() -> {
                full.put("b");
                return "put";
            }));
            outcomes.add("offer: " + Waiting.interrupted(() -> full.offer("c", 60, TimeUnit.SECONDS)));
            outcomes.add("lockInterruptibly: " + Waiting.interrupted(() -> {
                held.lockInterruptibly();
                return "locked";
            }));
            outcomes.add("tryLock: " + Waiting.interrupted(() -> held.tryLock(60, TimeUnit.SECONDS)));
            outcomes.add("acquire: " + Waiting.interrupted(() -> {
                none.acquire();
                return "acquired";
            }));
            outcomes.add("tryAcquire: " + Waiting.interrupted(() -> none.tryAcquire(60, TimeUnit.SECONDS)));
            outcomes.add("event: " + Waiting.interrupted(() -> {
                unset.await();
                return "set";
            }));
            outcomes.add("barrier: " + Waiting.interrupted(barrier::await));
            outcomes.add("condition: " + Waiting.interrupted(() -> {
                conditionLock.lock();
                try {
                    condition.await();
                    return "signalled";
                } catch (InterruptedException e) {
                    return "interrupted, lock held " + conditionLock.isHeldByCurrentThread();
                } finally {
                    conditionLock.unlock();
                }
            }, "Condition", () -> { }));
            outcomes.add("join: " + Waiting.interrupted(() -> {
                unfinished.join();
                return "joined";
            }));
            return outcomes;
        }

        /** In the root, after the child: nothing was taken or stored by a cancelled wait, and all still works. */
        void checkUsable() throws Exception {
            empty.put("x");
            assertEquals("x", empty.poll(5, TimeUnit.SECONDS), "the cancelled takes took nothing");
            assertEquals(List.of("a"), new ArrayList<>(full), "the cancelled puts stored nothing");
            held.unlock();
            assertFalse(held.isLocked(), "no cancelled waiter was given the lock");
            none.release();
            assertEquals(1, none.availablePermits(), "no cancelled acquire took the permit");
            unset.set();
            assertTrue(unset.await(Duration.ofSeconds(5)));
            assertTrue(barrier.isBroken(), "an interrupted party breaks the barrier, as in CyclicBarrier");
            barrier.reset();
            assertEquals(0, barrier.getNumberWaiting());
            assertFalse(conditionLock.isLocked());
            assertEquals("work", unfinished.take());
            unfinished.taskDone();
            assertTrue(unfinished.join(Duration.ofSeconds(5)));
        }
    }

    @Test
    void everyBlockingCallOfAJvmProcessThrowsInterruptedExceptionAndTakesNothing() throws Exception {
        Fixture fixture = Fixture.create();
        SharedList<String> outcomes = Shared.list();
        JvmProcess child = JvmProcess.start(() -> outcomes.addAll(fixture.interruptEach()));
        assertTrue(child.join(END), "the child ended");
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
        assertEquals(EVERY_WAIT_INTERRUPTED, new ArrayList<>(outcomes));
        fixture.checkUsable();
    }

    @Test
    void everyBlockingCallOfAPoolTaskThrowsInterruptedExceptionAndTakesNothing() throws Exception {
        Fixture fixture = Fixture.create();
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            assertEquals(EVERY_WAIT_INTERRUPTED, pool.apply(x -> fixture.interruptEach(), 0));
            assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)), "the worker serves on");
        }
        fixture.checkUsable();
    }

    @Test
    void lockIsNotInterruptibleItWaitsOnAndKeepsTheFlag() throws Exception {
        SharedLock lock = Shared.lock();
        SharedEvent interruptSent = Shared.event();
        lock.lock();
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            CompletableFuture<String> waiter = pool.applyAsync(x -> Waiting.interrupted(() -> {
                lock.lock();
                try {
                    return "locked, interrupted " + Thread.currentThread().isInterrupted();
                } finally {
                    lock.unlock();
                }
            }, interruptSent::set), 0);
            assertTrue(interruptSent.await(END));
            assertTrue(lock.isHeldByCurrentThread(), "the interrupted lock() did not take it");
            lock.unlock();
            assertEquals("returned locked, interrupted true", Await.resultOf(waiter, "the interrupted lock()"));
            assertFalse(lock.isLocked());
        }
    }

    /**
     * A task leaves behind something that interrupts its thread later (a watchdog, an interrupt-based timeout), and
     * the interrupt comes when that thread reads the worker's input, an interruptible channel: dropped, not the
     * worker's end.
     */
    @Test
    void aLateInterruptOfATasksThreadWhileItReadsDoesNotCostTheWorker() throws Exception {
        SharedEvent interruptSent = Shared.event();
        SharedList<String> log = Shared.list();
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            List<Long> pids = pool.workerPids();
            pool.apply(x -> {
                Thread self = Thread.currentThread();
                Thread late = new Thread(() -> {
                    try {
                        Waiting.awaitReading(self);
                        self.interrupt();
                        interruptSent.set();
                    } catch (RuntimeException e) {
                        log.add("no interrupt: " + e.getMessage() + " " + java.util.Arrays.toString(
                                self.getStackTrace()));
                    }
                });
                late.setDaemon(true);
                late.start();
                return x;
            }, 0);
            // while the worker's other serving thread runs one of these, the first one reads; a thread that ends a
            // task may run the next one itself, so it takes as many rounds as it takes (each waits a little)
            long deadline = System.nanoTime() + END.toNanos();
            boolean sent = false;
            while (!sent) {
                assertTrue(System.nanoTime() < deadline, () -> "the late interrupt was never sent: " + log);
                sent = pool.<Integer, Boolean>apply(x -> interruptSent.await(Duration.ofMillis(200)), 1);
            }
            assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3), 1));
            assertEquals(pids, pool.workerPids(), "the same worker serves on");
            assertEquals(0, pool.stats().workersCrashed());
        }
    }

    @Test
    void aWorkerBlockedInTakeKeepsItsHeartbeatsAndThePoolsOtherWorkGoingOn() throws Exception {
        SharedQueue<String> queue = Shared.queue();
        SharedEvent taking = Shared.event();
        Duration heartbeat = Duration.ofMillis(800);
        try (ProcessPool pool = audit.track(ProcessPool.builder().workers(2).heartbeatTimeout(heartbeat).build())) {
            List<Long> pids = pool.workerPids();
            CompletableFuture<String> blocked = pool.applyAsync(x -> {
                taking.set();
                return queue.take() + " in " + CurrentProcess.pid();
            }, 0);
            assertTrue(taking.await(END));
            List<Integer> inputs = IntStream.range(0, 200).boxed().toList();
            assertEquals(inputs.stream().map(x -> x + 1).toList(), pool.map(x -> x + 1, inputs, 1),
                    "the other worker serves the pool while one waits");
            // time passes on purpose: several heartbeat timeouts with the task blocked in take()
            Faults.assertStillRunningFor(blocked, heartbeat.multipliedBy(4), "nothing was put yet");
            queue.put("item");
            String answer = Await.resultOf(blocked, "the blocked take");
            assertTrue(answer.startsWith("item in "), answer);
            assertEquals(pids, pool.workerPids(), "no worker was declared hung and replaced");
            assertEquals(0, pool.stats().workersKilled());
            assertEquals(0, pool.stats().workersCrashed());
        }
    }
}

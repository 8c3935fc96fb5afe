package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.testing.Await;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Waiting;
import dev.procpool.worker.CurrentProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process dies with threads parked in shared objects' calls: each of its waits is removed, so that what comes
 * later (room in a queue, an unlock, released permits, a put, a signal) goes to the living and not to the dead; and
 * how it ends decides whether its permits come back (a signal: yes; a target that threw: no; its locks: always).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedWaitsOfTheDeadTest {
    private static final Duration END = Duration.ofSeconds(60);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** One wait of each kind, all parked in the root by threads of the child; the lock is held by the root. */
    record Waits(SharedQueue<String> full, SharedLock held, SharedSemaphore none, SharedQueue<String> empty,
                 SharedLock conditionLock, SharedCondition condition, SharedBarrier barrier,
                 SharedQueue<Long> parked) {
        static Waits create() throws InterruptedException {
            SharedLock conditionLock = Shared.lock();
            Waits waits = new Waits(Shared.queue(1), Shared.lock(), Shared.semaphore(0), Shared.queue(),
                    conditionLock, conditionLock.newCondition(), Shared.barrier(2), Shared.queue());
            waits.full.put("a");
            waits.held.lock();
            return waits;
        }

        /** In the child: parks one thread in each call, reports this JVM's pid, and waits to be killed. */
        void parkAll() throws Exception {
            Map<Waiting.Call, String> calls = new LinkedHashMap<>(); // each call, and where it waits
            calls.put(() -> {
                full.put("from the dead");
                return null;
            }, "");
            calls.put(() -> {
                held.lock();
                return null;
            }, "");
            calls.put(() -> {
                none.acquire(2);
                return null;
            }, "");
            calls.put(empty::take, "");
            calls.put(() -> {
                conditionLock.lock();
                condition.await();
                return null;
            }, "Condition"); // in the await, not the lock() before it
            calls.put(barrier::await, "");
            for (Map.Entry<Waiting.Call, String> call : calls.entrySet()) {
                Thread thread = new Thread(() -> {
                    try {
                        call.getKey().call();
                    } catch (Exception e) {
                        // killed before any answer
                    }
                });
                thread.start();
                Waiting.awaitParkedIn(thread, call.getValue());
            }
            parked.put(CurrentProcess.pid());
            new CountDownLatch(1).await();
        }

        long awaitParked() throws InterruptedException {
            Long pid = parked.poll(60, TimeUnit.SECONDS);
            assertTrue(pid != null, "the child's threads never all waited");
            return pid;
        }

        /** In the root, once the death was processed: nothing went to a dead waiter. */
        void assertNothingGoesToTheDead() throws Exception {
            assertEquals("a", full.take());
            assertEquals(0, full.size(), "the dead putter's element was not stored when room appeared");
            held.unlock();
            assertFalse(held.isLocked(), "the unlocked lock was not handed to the dead waiter");
            none.release(2);
            assertEquals(2, none.availablePermits(), "the released permits were not handed to the dead waiter");
            empty.put("x");
            assertEquals("x", empty.poll(5, TimeUnit.SECONDS), "the put item was not handed to the dead taker");
            conditionLock.lock();
            condition.signal();
            conditionLock.unlock();
            assertFalse(conditionLock.isLocked(), "the signal did not hand the lock to the dead waiter");
            assertTrue(barrier.isBroken(), "its party at the barrier broke it");
        }
    }

    @Test
    void aKilledJvmProcessLeavesNoWaitBehind() throws Exception {
        Waits waits = Waits.create();
        JvmProcess child = JvmProcess.start(waits::parkAll);
        assertEquals(child.pid(), waits.awaitParked());
        child.kill();
        assertTrue(child.join(END), "join returns once its end was processed");
        waits.assertNothingGoesToTheDead();
    }

    @Test
    void aKilledPoolWorkerLeavesNoWaitBehind() throws Exception {
        Waits waits = Waits.create();
        ProcessPool pool = audit.track(ProcessPool.create(1));
        CompletableFuture<Integer> task = pool.applyAsync(x -> {
            waits.parkAll();
            return x;
        }, 0);
        ProcessHandle.of(waits.awaitParked()).ifPresent(ProcessHandle::destroyForcibly);
        assertInstanceOf(WorkerCrashedException.class, Await.failureOf(task, "the killed worker's task"));
        pool.terminate();
        assertTrue(pool.awaitTermination(END), "the pool ended: its workers' ends were processed");
        waits.assertNothingGoesToTheDead();
    }

    @Test
    void anItemOnItsWayToATakerThatDiesGoesBackToTheQueue() throws Exception {
        SharedQueue<String> queue = Shared.queue();
        SharedQueue<Long> parked = Shared.queue();
        JvmProcess taker = JvmProcess.start(() -> {
            Thread thread = new Thread(() -> {
                try {
                    queue.take();
                    queue.take();
                } catch (InterruptedException e) {
                    // killed first
                }
            });
            thread.start();
            Waiting.awaitParkedInCall(thread);
            parked.put(CurrentProcess.pid());
            thread.join();
        });
        assertEquals(taker.pid(), parked.poll(60, TimeUnit.SECONDS));
        signal("STOP", taker.pid()); // it reads nothing from now on
        queue.put("first");
        queue.put("second"); // "first" waits in the stopped taker's pipe
        taker.kill();
        assertTrue(taker.join(END), "join returns once its end was processed");
        assertEquals("first", queue.poll(5, TimeUnit.SECONDS), "the item the dead taker never received came back");
        assertEquals("second", queue.poll(5, TimeUnit.SECONDS), "in its place at the head");
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(60, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }

    @Test
    void sigtermGivesPermitsBackAThrowingTargetDoesNotAndBothReleaseLocks() throws Exception {
        SharedSemaphore semaphore = Shared.semaphore(2);
        SharedLock lock = Shared.lock();
        SharedQueue<String> holding = Shared.queue();
        JvmProcess terminated = JvmProcess.start(() -> {
            lock.lock();
            semaphore.acquire(2);
            holding.put("holding");
            new CountDownLatch(1).await();
        });
        assertEquals("holding", holding.poll(60, TimeUnit.SECONDS));
        terminated.terminate();
        assertTrue(terminated.join(END));
        assertEquals(OptionalInt.of(128 + 15), terminated.exitCode());
        assertEquals(2, semaphore.availablePermits(), "killed by a signal: its permits came back");
        assertFalse(lock.isLocked(), "and its lock was released");

        JvmProcess threw = JvmProcess.start(() -> {
            lock.lock();
            semaphore.acquire(1);
            throw new IllegalStateException("gives up");
        });
        assertTrue(threw.join(END));
        assertEquals(OptionalInt.of(1), threw.exitCode());
        assertEquals(1, semaphore.availablePermits(), "a target that threw ended in order: its permit stays spent");
        assertFalse(lock.isLocked(), "but its lock was released");
    }
}

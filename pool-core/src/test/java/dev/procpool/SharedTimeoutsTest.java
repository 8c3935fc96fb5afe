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
import dev.procpool.testing.LeakAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timed calls from children (a JvmProcess's target, a pool task) answer null/false/TimeoutException once their time
 * is up, neither much later nor before, and a wait that timed out leaves nothing behind: a later put is not
 * swallowed, a later release not taken, a timed-out offer stores nothing. Timeouts racing with puts, takes and
 * releases lose and duplicate nothing.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedTimeoutsTest {
    private static final Duration END = Duration.ofSeconds(60);
    private static final long TIMEOUT_MILLIS = 300;
    /** A loaded 2-core machine may answer late; an answer this late means the timeout was not honoured. */
    private static final long LATE_MILLIS = TIMEOUT_MILLIS + 15_000;
    private static final List<String> EVERY_CALL_TIMED_OUT = List.of("poll: null", "offer: false",
            "tryLock: false", "tryAcquire: false", "tryAcquire(2): false", "event: false",
            "condition: false, lock held true", "barrier: TimeoutException", "join: false",
            "poll(0): null at once", "offer(0): false at once", "tryAcquire(0): false at once");

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Objects on which each timed call must time out; the lock is held by the root's test thread. */
    record Fixture(SharedQueue<String> empty, SharedQueue<String> full, SharedLock held, SharedSemaphore none,
                   SharedEvent unset, SharedLock conditionLock, SharedCondition condition, SharedBarrier barrier,
                   SharedJoinableQueue<String> unfinished) {
        static Fixture create() throws InterruptedException {
            SharedLock conditionLock = Shared.lock();
            Fixture fixture = new Fixture(Shared.queue(), Shared.queue(1), Shared.lock(), Shared.semaphore(0),
                    Shared.event(), conditionLock, conditionLock.newCondition(), Shared.barrier(2),
                    Shared.joinableQueue());
            fixture.full.put("a");
            fixture.unfinished.put("work");
            fixture.held.lock();
            return fixture;
        }

        @FunctionalInterface
        interface Timed {
            Object call() throws Exception;
        }

        /** "name: answer", with how long it took when that was before the timeout or much later. */
        private static String timed(String name, long timeoutMillis, Timed call) throws Exception {
            long start = System.nanoTime();
            Object answer;
            try {
                answer = call.call();
            } catch (TimeoutException e) {
                answer = "TimeoutException";
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (timeoutMillis == 0) {
                return name + ": " + answer + (millis < LATE_MILLIS - TIMEOUT_MILLIS ? " at once" : " after "
                        + millis + " ms");
            }
            boolean inTime = millis >= timeoutMillis && millis <= LATE_MILLIS;
            return name + ": " + answer + (inTime ? "" : " after " + millis + " ms");
        }

        /** In the child: every timed call, one after the other. */
        List<String> timeEach() throws Exception {
            long t = TIMEOUT_MILLIS;
            TimeUnit ms = TimeUnit.MILLISECONDS;
            List<String> outcomes = new ArrayList<>();
            outcomes.add(timed("poll", t, () -> empty.poll(t, ms)));
            outcomes.add(timed("offer", t, () -> full.offer("b", t, ms)));
            outcomes.add(timed("tryLock", t, () -> held.tryLock(t, ms)));
            outcomes.add(timed("tryAcquire", t, () -> none.tryAcquire(t, ms)));
            outcomes.add(timed("tryAcquire(2)", t, () -> none.tryAcquire(2, t, ms)));
            outcomes.add(timed("event", t, () -> unset.await(Duration.ofMillis(t))));
            outcomes.add(timed("condition", t, () -> {
                conditionLock.lock();
                try {
                    return condition.await(t, ms) + ", lock held " + conditionLock.isHeldByCurrentThread();
                } finally {
                    conditionLock.unlock();
                }
            }));
            outcomes.add(timed("barrier", t, () -> barrier.await(t, ms)));
            outcomes.add(timed("join", t, () -> unfinished.join(Duration.ofMillis(t))));
            outcomes.add(timed("poll(0)", 0, () -> empty.poll(0, ms)));
            outcomes.add(timed("offer(0)", 0, () -> full.offer("c", 0, ms)));
            outcomes.add(timed("tryAcquire(0)", 0, () -> none.tryAcquire(0, ms)));
            return outcomes;
        }

        /** In the root, after the child: the timed-out waits left nothing behind. */
        void checkNothingLeftBehind() throws Exception {
            empty.put("x");
            assertEquals("x", empty.poll(5, TimeUnit.SECONDS), "a timed-out poll swallowed a later put");
            assertEquals(List.of("a"), new ArrayList<>(full), "a timed-out offer stored its element");
            assertEquals("a", full.take());
            assertTrue(full.offer("d"));
            assertEquals(List.of("d"), new ArrayList<>(full), "a timed-out offer took the room made later");
            held.unlock();
            assertFalse(held.isLocked(), "a timed-out tryLock was given the lock later");
            none.release(2);
            assertEquals(2, none.availablePermits(), "a timed-out tryAcquire took permits released later");
            assertFalse(conditionLock.isLocked());
            assertTrue(barrier.isBroken(), "a party that timed out breaks the barrier, as in CyclicBarrier");
            barrier.reset();
            assertEquals("work", unfinished.take());
            unfinished.taskDone();
            assertTrue(unfinished.join(Duration.ofSeconds(5)));
        }
    }

    @Test
    void timedCallsOfAJvmProcessAnswerInTimeAndLeaveNoWaiterBehind() throws Exception {
        Fixture fixture = Fixture.create();
        SharedList<String> outcomes = Shared.list();
        JvmProcess child = JvmProcess.start(() -> outcomes.addAll(fixture.timeEach()));
        assertTrue(child.join(END), "the child ended");
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
        assertEquals(EVERY_CALL_TIMED_OUT, new ArrayList<>(outcomes));
        fixture.checkNothingLeftBehind();
    }

    @Test
    void timedCallsOfAPoolTaskAnswerInTimeAndLeaveNoWaiterBehind() throws Exception {
        Fixture fixture = Fixture.create();
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            assertEquals(EVERY_CALL_TIMED_OUT, pool.apply(x -> fixture.timeEach(), 0));
        }
        fixture.checkNothingLeftBehind();
    }

    @Test
    void pollsTimingOutWhileItemsArriveLoseAndDuplicateNothing() throws Exception {
        SharedQueue<Integer> queue = Shared.queue();
        SharedList<Integer> received = Shared.list();
        JvmProcess taker = JvmProcess.start(() -> {
            List<Integer> got = new ArrayList<>();
            for (Integer item = queue.poll(1, TimeUnit.MILLISECONDS); item == null || item >= 0;
                    item = queue.poll(1, TimeUnit.MILLISECONDS)) {
                if (item != null) {
                    got.add(item);
                }
            }
            received.addAll(got);
        });
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            pool.apply(n -> {
                for (int i = 0; i < n; i++) {
                    queue.put(i);
                    LockSupport.parkNanos(100_000L * (i % 20)); // gaps of 0 to 2 ms around the taker's 1 ms polls
                }
                queue.put(-1);
                return n;
            }, 300);
        }
        assertTrue(taker.join(END), "the taker saw the end marker");
        assertEquals(OptionalInt.of(0), taker.exitCode(), () -> "failure: " + taker.failure());
        assertEquals(IntStream.range(0, 300).boxed().toList(), new ArrayList<>(received));
        assertEquals(0, queue.size());
    }

    @Test
    void offersAndTryAcquiresTimingOutWhileRoomAndPermitsAppearLoseAndDuplicateNothing() throws Exception {
        SharedQueue<Integer> queue = Shared.queue(1);
        SharedSemaphore semaphore = Shared.semaphore(0);
        try (ProcessPool pool = audit.track(ProcessPool.create(2))) {
            CompletableFuture<Integer> offerer = pool.applyAsync(n -> {
                int timedOut = 0;
                for (int i = 0; i < n; i++) {
                    while (!queue.offer(i, 1, TimeUnit.MILLISECONDS)) {
                        timedOut++;
                    }
                }
                return timedOut;
            }, 200);
            CompletableFuture<Integer> acquirer = pool.applyAsync(n -> {
                int acquired = 0;
                while (acquired < n) {
                    if (semaphore.tryAcquire(1, TimeUnit.MILLISECONDS)) {
                        acquired++;
                    }
                }
                return acquired;
            }, 100);
            List<Integer> taken = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                taken.add(queue.take());
                if (i < 100) {
                    semaphore.release();
                }
            }
            assertEquals(IntStream.range(0, 200).boxed().toList(), taken, "each offered element once, in order");
            Await.resultOf(offerer, "the offering task");
            assertEquals(100, Await.resultOf(acquirer, "the acquiring task"), "every permit released was acquired");
            assertEquals(0, queue.size());
            assertEquals(0, semaphore.availablePermits(), "no permit was left with a timed-out waiter");
        }
    }
}

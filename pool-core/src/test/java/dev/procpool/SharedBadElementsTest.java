package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedNamespace;
import dev.procpool.shared.SharedQueue;
import dev.procpool.testing.LeakAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Elements, keys and values that cannot be stored fail that call at once with IllegalArgumentException naming their
 * class, in the root, in a JvmProcess and in a pool task; nothing is stored and the object goes on working.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedBadElementsTest {
    private static final Duration END = Duration.ofSeconds(60);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Holds a thread: Kryo cannot serialize a Thread on JDK 17 (java.lang is not open to it). */
    static final class HoldsAThread {
        final Thread thread = new Thread(() -> { });
    }

    /** Its own serialization code throws. */
    static final class WriteThrows implements KryoSerializable {
        @Override
        public void write(Kryo kryo, Output output) {
            throw new IllegalStateException("this element refuses to be written");
        }

        @Override
        public void read(Kryo kryo, Input input) {
        }
    }

    /** The shared objects and, in any JVM, each storing call tried with {@code bad}: what each call threw. */
    record Targets(SharedQueue<Object> queue, SharedQueue<Object> bounded, SharedMap<Object, Object> map,
                   SharedList<Object> list, SharedNamespace namespace) {
        static Targets create() throws InterruptedException {
            Targets targets = new Targets(Shared.queue(), Shared.queue(5), Shared.map(), Shared.list(),
                    Shared.namespace());
            targets.list.add("first");
            targets.map.put("key", "value");
            return targets;
        }

        List<String> tryToStore(Object bad) {
            List<String> outcomes = new ArrayList<>();
            outcomes.add(outcome("put", () -> queue.put(bad)));
            outcomes.add(outcome("offer", () -> queue.offer(bad)));
            outcomes.add(outcome("offer(timeout)", () -> bounded.offer(bad, 1, TimeUnit.SECONDS)));
            outcomes.add(outcome("map value", () -> map.put("k", bad)));
            outcomes.add(outcome("map key", () -> map.put(bad, "v")));
            outcomes.add(outcome("putIfAbsent", () -> map.putIfAbsent("k", bad)));
            outcomes.add(outcome("replace", () -> map.replace("key", bad)));
            outcomes.add(outcome("merge", () -> map.merge("key", "v", (a, b) -> bad)));
            outcomes.add(outcome("list add", () -> list.add(bad)));
            outcomes.add(outcome("list add(i)", () -> list.add(0, bad)));
            outcomes.add(outcome("list set", () -> list.set(0, bad)));
            outcomes.add(outcome("namespace", () -> namespace.set("name", bad)));
            return outcomes;
        }

        /** Nothing was stored, and each object still stores and answers. */
        void assertUntouchedAndWorking() throws InterruptedException {
            assertEquals(0, queue.size());
            assertEquals(0, bounded.size());
            assertEquals(Map.of("key", "value"), Map.copyOf(map));
            assertEquals(List.of("first"), new ArrayList<>(list));
            assertEquals(Map.of(), namespace.snapshot());
            queue.put("fine");
            assertEquals("fine", queue.poll(5, TimeUnit.SECONDS));
            map.put("k", 1);
            assertEquals(1, map.get("k"));
            list.add("second");
            assertEquals(List.of("first", "second"), new ArrayList<>(list));
            namespace.set("name", "Bob");
            assertEquals("Bob", namespace.get("name"));
        }

        private interface Storing {
            void run() throws Exception;
        }

        private static String outcome(String call, Storing storing) {
            try {
                storing.run();
                return call + ": stored";
            } catch (Exception e) {
                return call + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
            }
        }
    }

    private static void assertEachFailedNaming(List<String> outcomes, Class<?> type) {
        assertEquals(12, outcomes.size(), outcomes::toString);
        for (String outcome : outcomes) {
            assertTrue(outcome.contains(": IllegalArgumentException ") && outcome.contains(type.getName()),
                    "expected IllegalArgumentException naming " + type.getName() + ", got " + outcome);
        }
    }

    @Test
    void inTheRootEachStoringCallFailsAtOnceNamingTheClass() throws Exception {
        Targets targets = Targets.create();
        assertEachFailedNaming(targets.tryToStore(new HoldsAThread()), HoldsAThread.class);
        List<String> throwing = targets.tryToStore(new WriteThrows());
        assertEachFailedNaming(throwing, WriteThrows.class);
        assertTrue(throwing.get(0).contains("refuses to be written"), "with the cause: " + throwing.get(0));
        targets.assertUntouchedAndWorking();
    }

    @Test
    void inAJvmProcessEachStoringCallFailsAtOnceNamingTheClass() throws Exception {
        Targets targets = Targets.create();
        SharedList<String> outcomes = Shared.list();
        JvmProcess child = JvmProcess.start(() -> {
            outcomes.addAll(targets.tryToStore(new HoldsAThread()));
            outcomes.addAll(targets.tryToStore(new WriteThrows()));
            targets.queue.put("after the failures"); // the child's channel still works
        });
        assertTrue(child.join(END));
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
        List<String> all = new ArrayList<>(outcomes);
        assertEachFailedNaming(all.subList(0, 12), HoldsAThread.class);
        assertEachFailedNaming(all.subList(12, 24), WriteThrows.class);
        assertEquals("after the failures", targets.queue.poll(5, TimeUnit.SECONDS));
        targets.assertUntouchedAndWorking();
    }

    @Test
    void inAPoolTaskTheCallFailsTheTaskOnlyAndThePoolServesOn() throws Exception {
        Targets targets = Targets.create();
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            assertEachFailedNaming(pool.apply(x -> targets.tryToStore(new HoldsAThread()), 0), HoldsAThread.class);
            TaskFailedException uncaught = assertThrows(TaskFailedException.class, () -> pool.apply(x -> {
                targets.queue.put(new HoldsAThread());
                return x;
            }, 1));
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, uncaught.getCause());
            assertTrue(cause.getMessage().contains(HoldsAThread.class.getName()), cause.getMessage());
            List<Long> pids = pool.workerPids();
            assertEquals(List.of(2, 3, 4), pool.map(x -> {
                targets.queue.put(x);
                return x + 1;
            }, List.of(1, 2, 3)));
            assertEquals(pids, pool.workerPids(), "the same worker served on");
        }
        assertEquals(List.of(1, 2, 3), List.of(targets.queue.take(), targets.queue.take(), targets.queue.take()));
        targets.assertUntouchedAndWorking();
    }

    @Test
    void aHugeElementTravelsBetweenChildrenAndTheRoot() throws Exception {
        SharedQueue<byte[]> queue = Shared.queue();
        SharedMap<String, byte[]> map = Shared.map();
        int size = 48 << 20;
        JvmProcess producer = JvmProcess.start(() -> {
            byte[] huge = new byte[size];
            for (int i = 0; i < huge.length; i += 4096) {
                huge[i] = (byte) (i >>> 12);
            }
            queue.put(huge);
            map.put("huge", huge);
        });
        byte[] taken = queue.poll(60, TimeUnit.SECONDS);
        assertTrue(producer.join(END));
        assertEquals(OptionalInt.of(0), producer.exitCode(), () -> "failure: " + producer.failure());
        assertEquals(size, taken.length);
        for (int i = 0; i < taken.length; i += 4096) {
            assertEquals((byte) (i >>> 12), taken[i]);
        }
        try (ProcessPool pool = audit.track(ProcessPool.create(1))) {
            assertEquals(Integer.valueOf(size), pool.<Integer, Integer>apply(x -> map.get("huge").length, 0), "a worker reads it back");
        }
    }
}

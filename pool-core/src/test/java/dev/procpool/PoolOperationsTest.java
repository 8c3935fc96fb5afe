package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import dev.procpool.worker.WorkerContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The multiprocessing.Pool operations against a plain loop, on one shared pool of two workers. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PoolOperationsTest {
    @RegisterExtension
    static final LeakAudit AUDIT = LeakAudit.perClass();

    private static final Task<Integer, Integer> SQUARE = x -> x * x;
    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = AUDIT.track(ProcessPool.create(2));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(x -> x * x).boxed().toList();
    }

    private static <T> List<T> drain(Iterator<T> iterator) {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }

    @Test
    void applyReturnsTheResult() throws Exception {
        assertEquals(49, pool.apply(SQUARE, 7));
        assertEquals("abcabc", pool.apply(s -> s.repeat(2), "abc"));
        assertEquals(144, pool.applyAsync(SQUARE, 12).get(30, TimeUnit.SECONDS));
    }

    @Test
    void applyPassesNullInputsAndResults() {
        assertEquals("null", pool.apply(String::valueOf, null));
        assertEquals((Object) null, pool.<String, Object>apply(x -> null, "x"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 20, 1000})
    void mapImapAndImapUnorderedMatchALoop(int chunksize) {
        List<Integer> inputs = range(100);
        assertEquals(squares(100), pool.map(SQUARE, inputs, chunksize));
        assertEquals(squares(100), drain(pool.imap(SQUARE, inputs, chunksize)));
        List<Integer> unordered = new ArrayList<>(drain(pool.imapUnordered(SQUARE, inputs, chunksize)));
        Collections.sort(unordered);
        assertEquals(squares(100), unordered);
    }

    @Test
    void mapWithDefaultChunksizeAcceptsAnyIterable() {
        Iterable<Integer> notACollection = () -> range(1000).iterator();
        assertEquals(squares(1000), pool.map(SQUARE, notACollection));
        assertEquals(squares(1000), pool.map(SQUARE, range(1000)));
    }

    /** Chunks of one boxed primitive type travel and wait as primitives: the values must come back the same. */
    @Test
    void intsLongsDoublesAndMixedChunksComeBackEqual() {
        List<Long> longs = List.of(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE);
        assertEquals(longs, pool.map(x -> x, longs, 3));
        assertEquals(longs.stream().map(x -> x + 1).toList(), pool.map(x -> x + 1, longs, 2));
        List<Double> doubles = List.of(-0.0, Double.NaN, Double.MIN_VALUE, Double.NEGATIVE_INFINITY);
        assertEquals(doubles, pool.map(x -> x, doubles, 4));
        assertEquals(doubles, drain(pool.imap(x -> x, doubles, 3)));
        List<Integer> withNull = Arrays.asList(1, null, Integer.MIN_VALUE, 4);
        assertEquals(withNull, pool.map(x -> x, withNull, 4));
        List<Object> mixed = List.of(1, 2L, 3.0, "four", 5);
        assertEquals(mixed, pool.map(x -> x, mixed, 5));
        assertEquals(List.of(1L, 4L, 9L), pool.<Integer, Long>map(x -> (long) x * x, List.of(1, 2, 3), 3), "ints in, longs out");
        assertEquals((Integer) Integer.MIN_VALUE, pool.<Integer, Integer>apply(x -> x, Integer.MIN_VALUE));
    }

    @Test
    void mapAsyncCompletesWithAllResults() throws Exception {
        CompletableFuture<List<Integer>> future = pool.mapAsync(SQUARE, range(500), 7);
        assertEquals(squares(500), future.get(30, TimeUnit.SECONDS));
    }

    @Test
    void emptyInputsGiveEmptyResults() throws Exception {
        assertEquals(List.of(), pool.map(SQUARE, List.of()));
        assertEquals(List.of(), pool.map(SQUARE, List.of(), 5));
        assertEquals(List.of(), pool.mapAsync(SQUARE, List.of(), 5).get(30, TimeUnit.SECONDS));
        assertFalse(pool.imap(SQUARE, List.of(), 1).hasNext());
        assertFalse(pool.imapUnordered(SQUARE, List.of(), 1).hasNext());
    }

    @Test
    void imapUnorderedYieldsInCompletionOrder() throws Exception {
        // input 0 is held at a checkpoint, released only after every other result has arrived
        try (Checkpoint gate = new Checkpoint()) {
            int port = gate.port();
            Task<Integer, Integer> heldFirst = x -> {
                if (x == 0) {
                    Checkpoint.hold(port, "input 0");
                }
                return x;
            };
            Iterator<Integer> results = pool.imapUnordered(heldFirst, range(6), 1);
            Set<Integer> others = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                others.add(results.next());
            }
            assertEquals(Set.of(1, 2, 3, 4, 5), others);
            gate.awaitArrival().release();
            assertEquals(0, results.next());
            assertFalse(results.hasNext());
        }
    }

    @Test
    void concurrentSubmittersEachGetTheirOwnResults() throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Integer>>> perThread = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t * 1000;
                perThread.add(submitters.submit(() -> {
                    List<CompletableFuture<Integer>> futures = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        futures.add(pool.applyAsync(x -> x + 1, offset + i));
                    }
                    return futures.stream().map(CompletableFuture::join).toList();
                }));
            }
            for (int t = 0; t < 8; t++) {
                int offset = t * 1000;
                assertEquals(IntStream.range(0, 500).map(i -> offset + i + 1).boxed().toList(),
                        perThread.get(t).get(60, TimeUnit.SECONDS));
            }
        } finally {
            submitters.shutdownNow();
        }
    }

    @Test
    void imapReadsAnEndlessInputLazilyWithBoundedReadAhead() {
        AtomicLong produced = new AtomicLong();
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) produced.getAndIncrement();
            }
        };
        Iterator<Integer> results = pool.imap(SQUARE, endless, 4);
        for (int i = 0; i < 2000; i++) {
            assertEquals(i * i, results.next());
        }
        // read-ahead is 16 chunks per worker: 2 x 16 x 4 = 128 inputs beyond what was consumed, at most
        assertTrue(produced.get() <= 2000 + 128 + 4, "read " + produced.get() + " inputs for 2000 results");
    }

    @Test
    void anExceptionFromTheInputComesOutOfMapUnchangedAndThePoolStaysUsable() {
        IllegalStateException boom = new IllegalStateException("input 5 is broken");
        Iterable<Integer> failing = () -> IntStream.range(0, 10).mapToObj(i -> {
            if (i == 5) {
                throw boom;
            }
            return i;
        }).iterator();
        assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.map(SQUARE, failing, 2)));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.mapAsync(SQUARE, failing, 2)));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.map(SQUARE, failing)));
        assertEquals(squares(10), pool.map(SQUARE, range(10), 3));
    }

    @Test
    void anExceptionFromTheInputComesOutOfNextAtItsPosition() {
        IllegalStateException boom = new IllegalStateException("input 5 is broken");
        for (boolean ordered : new boolean[] {true, false}) {
            Iterable<Integer> failing = () -> IntStream.range(0, 10).mapToObj(i -> {
                if (i == 5) {
                    throw boom;
                }
                return i;
            }).iterator();
            Iterator<Integer> results = ordered ? pool.imap(SQUARE, failing, 2) : pool.imapUnordered(SQUARE, failing, 2);
            Set<Integer> before = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                before.add(results.next());
            }
            assertEquals(Set.of(0, 1, 4, 9, 16), before);
            assertTrue(results.hasNext());
            assertSame(boom, assertThrows(IllegalStateException.class, results::next));
            assertFalse(results.hasNext());
        }
        assertEquals(squares(10), drain(pool.imap(SQUARE, range(10), 3)));
    }

    @Test
    void objectGraphsWithCyclesAndSharedReferencesRoundTrip() {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        a.shared = b.shared = new ArrayList<>(List.of("x"));
        Node back = pool.apply(node -> node, a);
        assertEquals("a", back.name);
        assertEquals("b", back.next.name);
        assertSame(back, back.next.next);
        assertSame(back.shared, back.next.shared);
    }

    static final class Node implements Serializable {
        final String name;
        Node next;
        List<String> shared;

        Node(String name) {
            this.name = name;
        }
    }

    @Test
    void capturedStateTravelsWithTheTask() {
        int offset = 1000;
        List<String> words = List.of("a", "bb");
        assertEquals(List.of(1000, 1001, 1002), pool.map(x -> x + offset, range(3), 1));
        assertEquals(1002, (int) pool.<Integer, Integer>apply(i -> words.get(i).length() + offset, 1));
    }

    /** The worker writes a lambda whose class only its user class loader has (Kryo's own lookup cannot see it). */
    @Test
    void aTaskMayReturnALambda() {
        Task<Integer, Task<Integer, Integer>> adder = x -> y -> x + y;
        Task<Integer, Integer> addSeven = pool.apply(adder, 7);
        assertEquals(10, (int) pool.apply(addSeven, 3), "made in a worker, run in another one");
    }

    @Test
    void recordsAndImmutableCollectionsRoundTrip() {
        record Point(int x, String label) implements Serializable {
        }
        assertEquals(new Point(2, "p!"), pool.apply(p -> new Point(p.x() * 2, p.label() + "!"), new Point(1, "p")));
        assertEquals(List.of(1, 2, 3), pool.apply(l -> List.copyOf(l), List.of(1, 2, 3)));
        assertEquals(java.util.Map.of("k", 1), pool.apply(m -> m, java.util.Map.of("k", 1)));
    }

    @Test
    void workerContextKnowsTheSlotAndCountsTasks() {
        List<String> seen = pool.map(x -> {
            WorkerContext context = WorkerContext.current();
            return context.workerId() + ":" + (context.tasksCompleted() >= 0);
        }, range(20), 1);
        Set<String> slots = seen.stream().map(s -> s.split(":")[0]).collect(Collectors.toSet());
        assertTrue(Set.of("0", "1").containsAll(slots), "slots " + slots);
        assertTrue(seen.stream().allMatch(s -> s.endsWith(":true")));
        assertThrows(IllegalStateException.class, WorkerContext::current);
    }

    @Test
    void badArgumentsFailAtOnce() {
        assertThrows(NullPointerException.class, () -> pool.apply(null, 1));
        assertThrows(NullPointerException.class, () -> pool.applyAsync(null, 1));
        assertThrows(NullPointerException.class, () -> pool.map(SQUARE, null));
        assertThrows(IllegalArgumentException.class, () -> pool.map(SQUARE, range(3), 0));
        assertThrows(IllegalArgumentException.class, () -> pool.mapAsync(SQUARE, range(3), -1));
        assertThrows(IllegalArgumentException.class, () -> pool.imap(SQUARE, range(3), 0));
        assertThrows(IllegalArgumentException.class, () -> pool.imapUnordered(SQUARE, range(3), 0));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().workers(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().maxTasksPerChild(0));
        assertThrows(NullPointerException.class, () -> ProcessPool.builder().initializer(null));
        assertThrows(IllegalStateException.class, () -> pool.join(), "join() on a running pool");
    }

    @Test
    void statsCountItemsAndWorkers() {
        PoolStats before = pool.stats();
        pool.map(SQUARE, range(30), 4);
        PoolStats after = pool.stats();
        assertEquals(30, after.submitted() - before.submitted());
        assertEquals(30, after.completed() - before.completed());
        assertEquals(0, after.queued());
        assertEquals(2, after.workersStarted());
        assertEquals(2, pool.workerPids().size());
        assertInstanceOf(Long.class, pool.workerPids().get(0));
    }
}

package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Await;
import dev.procpool.testing.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, defect 6: the caller's input iterator says hasNext() and then throws from next() at position 3. The
 * results of inputs 0, 1, 2 come out, then the iterator's own exception, the same instance, at the fourth next() (or
 * out of map / mapAsync), and nothing else: today a null input the iterator never produced reaches the task, whose
 * NullPointerException comes out first as a TaskFailedException. Chunksizes 1, 3 (the failure at a chunk boundary)
 * and 4 (inside a chunk); other tasks are in flight meanwhile, and the pool stays usable.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InputIteratorFailureTest {
    /** x -> 10x; a null input (never produced by the iterator) would throw NullPointerException. */
    private static final Task<Integer, Integer> TIMES_TEN = x -> x * 10;

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();
    private ProcessPool pool;
    private InFlight others;

    static final class BrokenInput extends RuntimeException {
        BrokenInput(String message) {
            super(message);
        }
    }

    /** Inputs 0..9, except that the fourth next() throws {@link #failure} although hasNext() said true. */
    static final class BrokenAtThree implements Iterable<Integer> {
        final BrokenInput failure = new BrokenInput("input 3 cannot be read");

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < 10;
                }

                @Override
                public Integer next() {
                    int i = next++;
                    if (i == 3) {
                        throw failure;
                    }
                    return i;
                }
            };
        }
    }

    @BeforeEach
    void startPoolWithTasksInFlight() {
        pool = audit.track(ProcessPool.create(2));
        others = new InFlight(pool, 0, 10, 5);
    }

    /** The tasks in flight are correct, the pool serves on, and closes. */
    private void assertPoolUnharmed() throws Exception {
        others.assertAllCorrect();
        assertEquals(List.of(0, 10, 20, 30, 40), assertTimeoutPreemptively(Await.ANSWER,
                () -> pool.map(TIMES_TEN, List.of(0, 1, 2, 3, 4), 2)));
        InFlight.assertServes(pool, 20);
        Await.closeWithin(pool, Await.ANSWER);
    }

    /** One next(): a result, or an AssertionError saying what came instead. */
    private static Integer nextResult(Iterator<Integer> results, int position) {
        try {
            return results.next();
        } catch (RuntimeException e) {
            throw new AssertionError("next() number " + (position + 1) + " threw " + e, e);
        }
    }

    @ParameterizedTest(name = "chunksize {0}")
    @ValueSource(ints = {1, 3, 4})
    void imapGivesTheFirstThreeResultsThenTheIteratorsOwnException(int chunksize) throws Exception {
        BrokenAtThree input = new BrokenAtThree();
        Iterator<Integer> results = pool.imap(TIMES_TEN, input, chunksize);
        assertTimeoutPreemptively(Await.ANSWER, () -> {
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(nextResult(results, i));
            }
            assertEquals(List.of(0, 10, 20), seen);
            assertTrue(results.hasNext(), "the input's exception is still to come");
            Throwable thrown = assertThrows(Throwable.class, results::next, "the fourth next()");
            assertSame(input.failure, thrown, "what the fourth next() threw");
            assertFalse(results.hasNext(), "the iteration ends at the input's exception");
        }, "the iteration hangs");
        assertPoolUnharmed();
    }

    @ParameterizedTest(name = "chunksize {0}")
    @ValueSource(ints = {1, 3, 4})
    void imapUnorderedGivesTheFirstThreeResultsInAnyOrderThenTheIteratorsOwnException(int chunksize)
            throws Exception {
        BrokenAtThree input = new BrokenAtThree();
        Iterator<Integer> results = pool.imapUnordered(TIMES_TEN, input, chunksize);
        assertTimeoutPreemptively(Await.ANSWER, () -> {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                seen.add(nextResult(results, i));
            }
            assertEquals(Set.of(0, 10, 20), seen);
            assertTrue(results.hasNext(), "the input's exception is still to come");
            Throwable thrown = assertThrows(Throwable.class, results::next, "the fourth next()");
            assertSame(input.failure, thrown, "what the fourth next() threw");
            assertFalse(results.hasNext(), "the iteration ends at the input's exception");
        }, "the iteration hangs");
        assertPoolUnharmed();
    }

    @ParameterizedTest(name = "chunksize {0}")
    @ValueSource(ints = {1, 3, 4})
    void mapThrowsTheIteratorsOwnException(int chunksize) throws Exception {
        BrokenAtThree input = new BrokenAtThree();
        BrokenInput thrown = assertThrows(BrokenInput.class,
                () -> assertTimeoutPreemptively(Await.ANSWER, () -> pool.map(TIMES_TEN, input, chunksize)));
        assertSame(input.failure, thrown);
        assertPoolUnharmed();
    }

    @Test
    void mapWithTheDefaultChunksizeThrowsTheIteratorsOwnException() throws Exception {
        BrokenAtThree input = new BrokenAtThree();
        BrokenInput thrown = assertThrows(BrokenInput.class,
                () -> assertTimeoutPreemptively(Await.ANSWER, () -> pool.map(TIMES_TEN, input)));
        assertSame(input.failure, thrown);
        assertPoolUnharmed();
    }

    /** As PoolOperationsTest has it: mapAsync reads the inputs on the calling thread and throws from the call. */
    @ParameterizedTest(name = "chunksize {0}")
    @ValueSource(ints = {1, 3, 4})
    void mapAsyncThrowsTheIteratorsOwnException(int chunksize) throws Exception {
        BrokenAtThree input = new BrokenAtThree();
        List<CompletableFuture<List<Integer>>> returned = new ArrayList<>();
        BrokenInput thrown = assertThrows(BrokenInput.class, () -> assertTimeoutPreemptively(Await.ANSWER,
                () -> returned.add(pool.mapAsync(TIMES_TEN, input, chunksize))),
                () -> "mapAsync returned " + returned);
        assertSame(input.failure, thrown);
        assertPoolUnharmed();
    }
}

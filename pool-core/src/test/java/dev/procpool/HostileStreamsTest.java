package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.testing.Await;
import dev.procpool.testing.InFlight;
import dev.procpool.testing.LeakAudit;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9, defect 3: a task's standard streams must not be the protocol's. A task reading stdin (System.in, fd 0
 * directly, /dev/stdin) gets end-of-input at once, as Python gives pool children an empty stdin, while tasks queued
 * behind it on the same worker all complete; today it reads the protocol pipe beside the frame reader and everything
 * behind it hangs. Writing bytes that are not frames to fd 1, or closing fds 0 and 1, must not cost the worker:
 * such output is only text in the worker's log. Each fault is injected with other tasks in flight and queued.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileStreamsTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Nothing ended a worker: no crash, no kill, no retirement. */
    private static void assertNoWorkerEnded(ProcessPool pool) {
        PoolStats stats = pool.stats();
        assertEquals(0, stats.workersCrashed() + stats.workersKilled() + stats.workersRecycled(), stats.toString());
    }

    enum Stdin { SYSTEM_IN, FILE_DESCRIPTOR_IN, DEV_STDIN }

    /** "first-byte bulk-read line" as a task reading stdin sees them: "-1 -1 null" at end of input. */
    static String readStdin(int how) throws IOException {
        InputStream in = switch (how) {
            case 0 -> System.in;
            case 1 -> new FileInputStream(FileDescriptor.in); // not closed: that would close fd 0
            default -> new FileInputStream("/dev/stdin");
        };
        int first = in.read();
        int bulk = in.read(new byte[64]);
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return first + " " + bulk + " " + line;
    }

    @ParameterizedTest
    @EnumSource(Stdin.class)
    void aTaskReadingStdinGetsEndOfInputAtOnceAndTheTasksQueuedBehindItComplete(Stdin stdin) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(1)); // one worker: everything queues behind the reader
        List<Long> original = pool.workerPids();
        InFlight before = new InFlight(pool, 0, 5, 5);
        CompletableFuture<String> reader = pool.applyAsync(HostileStreamsTest::readStdin, stdin.ordinal());
        InFlight after = new InFlight(pool, 100, 10, 1);

        assertEquals("-1 -1 null", Await.resultOf(reader, "the task reading " + stdin));
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertEquals("-1 -1 null", Await.resultOf(pool.applyAsync(HostileStreamsTest::readStdin, stdin.ordinal()),
                "a second read of " + stdin + " on the same worker"));
        InFlight.assertServes(pool, 40);
        assertEquals(original, pool.workerPids(), "the same worker serves on");
        Await.closeWithin(pool, Await.ANSWER);
        assertNoWorkerEnded(pool);
    }

    @Test
    void aTaskClosingFdZeroAndFdOneCostsNothing() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(1));
        List<Long> original = pool.workerPids();
        InFlight before = new InFlight(pool, 0, 5, 5);
        CompletableFuture<Integer> closer = pool.applyAsync(x -> {
            System.in.close();
            new FileInputStream(FileDescriptor.in).close(); // close(2) on fd 0
            new FileOutputStream(FileDescriptor.out).close(); // close(2) on fd 1
            return x + 1;
        }, 41);
        InFlight after = new InFlight(pool, 100, 10, 1);

        assertEquals(42, Await.resultOf(closer, "the task closing fds 0 and 1"));
        before.assertAllCorrect();
        after.assertAllCorrect();
        InFlight.assertServes(pool, 40);
        assertEquals(original, pool.workerPids(), "the same worker serves on");
        Await.closeWithin(pool, Await.ANSWER);
        assertNoWorkerEnded(pool);
    }

    enum Garbage {
        SMALL(16), LARGE(100 * 1024);

        final int bytes;

        Garbage(int bytes) {
            this.bytes = bytes;
        }
    }

    /**
     * The opposite of FaultInjectionTest#aTaskWritingNonFramesToFdOneCostsItsWorkerAndTheMessageShowsTheBytes, which
     * describes today's behaviour: once the protocol no longer runs on fd 1, such a write is harmless.
     */
    @ParameterizedTest
    @EnumSource(Garbage.class)
    void aTaskWritingNonFramesToFdOneSucceedsAndThePoolIsUnharmed(Garbage garbage) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        Set<Long> original = Set.copyOf(pool.workerPids());
        int size = garbage.bytes;
        InFlight before = new InFlight(pool, 0, 20, 10);
        CompletableFuture<Integer> writer = pool.applyAsync(x -> {
            byte[] bytes = new byte[size];
            Arrays.fill(bytes, (byte) 'Z');
            byte[] start = "NOT-A-FRAME:".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(start, 0, bytes, 0, start.length);
            FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out); // never closed: fd 1 stays open
            fd1.write(bytes);
            fd1.flush();
            return x;
        }, 7);
        InFlight after = new InFlight(pool, 100, 20, 10);

        assertEquals(7, Await.resultOf(writer, "the task writing " + size + " bytes to fd 1"));
        before.assertAllCorrect();
        after.assertAllCorrect();
        InFlight.assertServes(pool, 100);
        assertEquals(original, Set.copyOf(pool.workerPids()), "the same workers serve on");
        Await.closeWithin(pool, Await.ANSWER);
        assertNoWorkerEnded(pool);
    }
}

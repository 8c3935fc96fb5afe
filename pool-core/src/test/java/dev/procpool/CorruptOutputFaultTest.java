package dev.procpool;

import static dev.procpool.testing.Faults.EXIT_WAIT;
import static dev.procpool.testing.Faults.MIB;
import static dev.procpool.testing.Faults.assertServesHundredMore;
import static dev.procpool.testing.Faults.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Faults.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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
 * Faults (see {@link dev.procpool.testing.Faults}): what a worker sends is not a frame (a task writes to fd 1), or
 * is a frame over the size limit.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CorruptOutputFaultTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    enum Garbage {
        SMALL(16), LARGE(100 * 1024);

        final int bytes;

        Garbage(int bytes) {
            this.bytes = bytes;
        }
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void aTaskWritingNonFramesIntoTheProtocolCostsItsWorkerAndTheMessageShowsTheBytes(Garbage garbage) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        List<Long> original = pool.workerPids();
        int size = garbage.bytes;
        InFlight before = new InFlight(pool, 0, 20, 10);
        CompletableFuture<Integer> corrupting = pool.applyAsync(x -> {
            byte[] bytes = new byte[size];
            Arrays.fill(bytes, (byte) 'Z');
            byte[] start = "NOT-A-FRAME:".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(start, 0, bytes, 0, start.length);
            // the protocol is on fd 4 (fd 1 is stderr): only a task that goes out of its way reaches it
            FileOutputStream protocol = new FileOutputStream("/proc/self/fd/4"); // never closed: fd 4 stays open
            protocol.write(bytes);
            protocol.flush();
            return x; // a result after the garbage: must not be taken for this task's result
        }, 7);
        InFlight after = new InFlight(pool, 100, 20, 10);

        WorkerCrashedException crash = failureOf(corrupting, WorkerCrashedException.class);
        assertTrue(crash.getMessage().contains("NOT-A-FRAME:ZZZ"), "the message shows the first bytes: "
                + crash.getMessage());
        assertTrue(original.contains(crash.pid()));
        Processes.awaitExit(crash.pid(), EXIT_WAIT);
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertEquals(1, pool.stats().workersCrashed(), pool.stats().toString());
        assertServesHundredMore(pool);
        assertFalse(pool.workerPids().contains(crash.pid()));
        pool.close();
    }

    /** An object of any size whose class name the error messages must show. */
    static final class Blob {
        final byte[] data;

        Blob(int size) {
            data = new byte[size];
        }
    }

    @Test
    void inputsAndResultsOverMaxFrameBytesFailWithSerializationExceptionAndTheWorkerServesOn() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).maxFrameBytes(64 * 1024).build());
        Set<Long> original = Set.copyOf(pool.workerPids());
        InFlight before = new InFlight(pool, 0, 20, 10);
        CompletableFuture<Integer> bigInput = pool.applyAsync(blob -> blob.data.length, new Blob(MIB));
        CompletableFuture<Blob> bigResult = pool.applyAsync(Blob::new, MIB);
        CompletableFuture<Integer> fits = pool.applyAsync(blob -> blob.data.length, new Blob(60 * 1024));
        InFlight after = new InFlight(pool, 100, 20, 10);

        for (CompletableFuture<?> tooBig : List.of(bigInput, bigResult)) {
            SerializationException failure = failureOf(tooBig, SerializationException.class);
            assertTrue(failure.getMessage().contains(Blob.class.getName()), "names the class: " + failure.getMessage());
            assertTrue(failure.getMessage().contains("65536"), "names the limit: " + failure.getMessage());
        }
        assertEquals(60 * 1024, fits.get(60, TimeUnit.SECONDS), "a message under the limit goes through");
        TaskFailedException inMap = assertThrows(TaskFailedException.class, () -> pool.map(blob -> blob.data.length,
                List.of(new Blob(10), new Blob(MIB), new Blob(10)), 1));
        assertEquals(1, inMap.index());
        assertInstanceOf(SerializationException.class, inMap.getCause());
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertServesHundredMore(pool);
        assertEquals(original, Set.copyOf(pool.workerPids()), "the same workers serve on");
        PoolStats stats = pool.stats();
        assertEquals(0, stats.workersCrashed() + stats.workersKilled() + stats.workersRecycled(), stats.toString());
        pool.close();
    }
}

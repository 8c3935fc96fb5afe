package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.Services;
import dev.procpool.protocol.Uplink;
import dev.procpool.worker.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls from a running task to the supervisor (CALL/REPLY), while the worker's other frames keep flowing. */
class CallPathTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);
    private static ProcessPool pool;

    @BeforeAll
    static void start() {
        pool = ProcessPool.builder().workers(2).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Object echo(Object value) throws Exception {
        return Uplink.current().call(Services.ECHO, value, TIMEOUT);
    }

    @Test
    void everyTaskOfAPipelinedMapGetsItsOwnReply() {
        List<Integer> inputs = IntStream.range(0, 3000).boxed().toList();
        List<Object> echoed = pool.map(x -> echo("call " + x), inputs, 1);
        assertEquals(inputs.stream().map(x -> "call " + x).toList(), echoed);
    }

    @Test
    void threadsOfOneTaskCallAtOnceAndEachGetsItsReply() throws Exception {
        Task<Integer, List<Object>> concurrent = n -> {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<Object>> replies = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int value = i;
                    replies.add(threads.submit(() -> echo(List.of(value, "x".repeat(value % 3000)))));
                }
                List<Object> values = new ArrayList<>();
                for (Future<Object> reply : replies) {
                    values.add(((List<?>) reply.get()).get(0));
                }
                return values;
            } finally {
                threads.shutdownNow();
            }
        };
        List<Object> values = pool.apply(concurrent, 400);
        assertEquals(IntStream.range(0, 400).boxed().toList(), values);
        assertEquals(List.of(1, 2, 3), pool.map(x -> x, List.of(1, 2, 3), 1), "the worker serves on");
    }

    @Test
    void anArgumentThatCannotBeSerializedFailsThatCallAtOnceAndNothingElse() {
        TaskFailedException failed = assertThrows(TaskFailedException.class,
                () -> pool.apply(x -> echo(new Object[] {new Thread()}), 1));
        assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("Thread") || failed.getCause().getMessage()
                .contains("serialize"), failed.getCause().getMessage());
        assertEquals("ok", pool.apply(x -> echo(x), "ok"));
    }
}

package dev.procpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs every example's main (real worker JVMs) and checks what it printed. */
class ExamplesTest {
    /** An example's main, which may throw checked exceptions. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** What main printed to System.out; the pool is closed when main returns, so every line is there. */
    static List<String> output(Main main, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text.lines().toList();
    }

    @Test
    void map() throws Exception {
        List<String> out = output(MapExample::main);
        assertEquals("map: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", out.get(0));
        assertEquals(List.of("imap: 4", "imap: 25",
                "imap: input 2 failed: java.lang.NumberFormatException: For input string: \"ten\"", "imap: 168"),
                out.subList(1, 5));
        assertTrue(out.get(5).startsWith("imapUnordered, in completion order: "), out.get(5));
        for (String count : List.of("148933", "168", "25", "4")) {
            assertTrue(out.get(5).contains(count), out.get(5));
        }
    }

    @Test
    void applyAsync() throws Exception {
        List<String> out = output(ApplyAsyncExample::main);
        assertTrue(out.contains("primes in [1 100000]: 9592"), out::toString);
        assertTrue(out.contains("primes in [100001 200000]: 8392"), out::toString);
        assertTrue(out.contains("primes in [200001 300000]: 8013"), out::toString);
        assertTrue(out.contains("[oops] failed: java.lang.NumberFormatException: For input string: \"oops\""),
                out::toString);
        assertEquals("3*3 + 4*4 = 25", out.get(out.size() - 1));
    }

    @Test
    void initializerResourceLivesAsLongAsItsWorker() throws Exception {
        List<String> out = output(InitializerExample::main);
        Pattern answer = Pattern.compile("[A-Z]+ \\(worker (\\d), pid (\\d+), use (\\d+)\\)");
        Map<String, Integer> usesByPid = new HashMap<>();
        for (String line : out.subList(0, 8)) {
            Matcher m = answer.matcher(line);
            assertTrue(m.matches(), line);
            // one connection per worker, opened once: its use count goes 1, 2, 3... in the order of the tasks
            int expected = usesByPid.merge(m.group(2), 1, Integer::sum);
            assertEquals(expected, Integer.parseInt(m.group(3)), line);
        }
        assertTrue(usesByPid.size() <= 2, usesByPid::toString);
        assertEquals("connection in this JVM: null", out.get(8));
    }

    @Test
    void maxTasksPerChildRecyclesWorkers() throws Exception {
        List<String> out = output(MaxTasksPerChildExample::main);
        long distinct = Long.parseLong(value(out, "distinct pids: "));
        assertTrue(distinct >= 4, "12 tasks, at most 3 per process: " + out);
        assertTrue(Long.parseLong(value(out, "workers recycled: ")) >= 2, out::toString);
    }

    @Test
    void crashCostsOneWorker() throws Exception {
        List<String> out = output(CrashExample::main);
        for (int i : new int[] {0, 1, 2, 4, 5, 6, 8, 9}) {
            assertTrue(out.contains("input " + i + ": " + i * i), out::toString);
        }
        assertTrue(out.contains("input 3: WorkerCrashedException, exit code 3"), out::toString);
        assertTrue(out.stream().anyMatch(line -> line.strip().equals("task 3: calling System.exit(3)")),
                "the stderr tail is in the message: " + out);
        assertTrue(out.contains("input 7: WorkerCrashedException, exit code 42"), out::toString);
        assertTrue(out.contains("after the crashes: [1, 2, 3, 4, 5]"), out::toString);
        assertTrue(out.get(out.size() - 1).endsWith(", crashed: 2"), out::toString);
    }

    @Test
    void poolWithInitializerAndMaxTasksPerChild() throws Exception {
        List<String> out = output(PoolInitializerExample::main);
        int poolSize = PoolInitializerExample.poolSize();
        assertEquals("Built-in: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]", out.get(1));
        assertEquals("Pool    : [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]", out.get(2));
        assertEquals("Workers started: " + poolSize + ", recycled: 0", out.get(3));
        assertEquals("Pool    : [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]", out.get(4));
        // 10 tasks (chunks of 1), at most 2 per process: the processes that never retire, one per slot at most,
        // ran at most one each, so at least (10 - poolSize) / 2 retired
        Matcher m = Pattern.compile("Workers started: (\\d+), recycled: (\\d+)").matcher(out.get(5));
        assertTrue(m.matches(), out.get(5));
        int recycled = Integer.parseInt(m.group(2));
        assertTrue(recycled >= (10 - poolSize + 1) / 2, out.get(5));
        assertTrue(Integer.parseInt(m.group(1)) >= poolSize + recycled, "each retirement starts a replacement");
    }

    @Test
    void workersAreChildrenOfThisJvm() throws Exception {
        List<String> out = output(WorkerPidsExample::main);
        assertEquals("supervisor pid: " + ProcessHandle.current().pid(), out.get(0));
        assertTrue(out.contains("every task ran in a worker of this pool: true"), out::toString);
        assertTrue(out.contains("every worker is a child of this JVM: true"), out::toString);
    }

    @Test
    void cpuSpeedupComputesTheSameResults() throws Exception {
        // timings are printed, never asserted: they depend on the machine and its load
        List<String> out = output(CpuSpeedupExample::main);
        assertTrue(out.contains("same results: true"), out::toString);
    }

    @Test
    void readme() throws Exception {
        List<String> out = output(ReadmeExample::main);
        assertEquals(List.of(
                "[1, 4, 9, 16] 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                "failed: java.lang.ArithmeticException: / by zero"), out);
    }

    static String value(List<String> out, String prefix) {
        return out.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length())).orElseThrow(() -> new AssertionError(prefix + out));
    }
}

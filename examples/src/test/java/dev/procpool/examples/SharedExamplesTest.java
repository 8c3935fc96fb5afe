package dev.procpool.examples;

import static dev.procpool.examples.ExamplesTest.output;
import static dev.procpool.examples.ExamplesTest.value;
import static dev.procpool.examples.ProcessExamplesTest.at;
import static dev.procpool.examples.ProcessExamplesTest.count;
import static dev.procpool.examples.ProcessExamplesTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the ports of the tutorials' queue, lock, event, condition, semaphore and manager programs. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SharedExamplesTest {

    /** What "who ate what" lines say was eaten, one entry per line. */
    private static List<String> eaten(List<String> out) {
        Pattern ate = Pattern.compile(".*: \\w+ ate (.*)");
        return out.stream().map(ate::matcher).filter(Matcher::matches).map(m -> m.group(1)).sorted().toList();
    }

    private static List<String> made(List<String> out) {
        Pattern produced = Pattern.compile(".*: \\w+ produced (.*)");
        return out.stream().map(produced::matcher).filter(Matcher::matches).map(m -> m.group(1)).sorted().toList();
    }

    @Test
    void objectsTravelThroughQueuesAndTheApiReportsFullAndEmpty() throws Exception {
        List<String> out = output(QueueOfObjectsExample::main);
        assertTrue(out.get(0).matches("Doing something fancy in JvmProcess-\\d+ for Fancy Dan!"), out.get(0));
        assertEquals(List.of(
                "the child procedure got from the queue: the child consumer put data into the queue",
                "size: 3, full: true",
                "put(4, block=True, timeout=0.3): false",
                "put_nowait(4): false",
                "get: first", "get: {k=second}", "get: [third]",
                "get(block=True, timeout=0.3): null",
                "get_nowait(): null"), out.subList(1, out.size()));
    }

    @Test
    void aSentinelPerConsumerEndsThemAfterEveryItemWasEatenOnce() throws Exception {
        List<String> out = output(ProducerConsumerSentinelExample::main);
        List<String> expected = IntStream.range(0, 3).boxed()
                .flatMap(i -> List.of("bun " + i, "dumpling " + i, "wonton " + i).stream()).sorted().toList();
        assertEquals(expected, made(out));
        assertEquals(expected, eaten(out), "every item eaten exactly once");
        at(out, "consumers' exit codes: [0, 0]");
        at(out, "left in the queue: 0");
    }

    @Test
    void joinableQueueJoinReturnsOnceEveryItemWasDone() throws Exception {
        List<String> out = output(JoinableQueueExample::main);
        List<String> expected = IntStream.range(0, 3).boxed()
                .flatMap(i -> List.of("bun " + i, "swill " + i, "banana " + i).stream()).sorted().toList();
        assertEquals(expected, made(out));
        assertEquals(expected, eaten(out), "every item eaten exactly once");
        at(out, "eaten when join() returned: 9");
        at(out, "daemon consumers still waiting for food: true");
        assertEquals("end", out.get(out.size() - 1));
    }

    @Test
    void consumersDoEachTaskOnceAndStopAtTheirPoisonPill() throws Exception {
        List<String> out = output(ConsumerTasksExample::main);
        int consumers = Runtime.getRuntime().availableProcessors() * 2;
        assertEquals("Creating " + consumers + " consumers", out.get(0));
        for (int c = 1; c <= consumers; c++) {
            assertEquals(1, count(out, "Consumer-" + c + ": Exiting"), out::toString);
        }
        for (int i = 0; i < 10; i++) {
            only(out, "Consumer-\\d+: " + i + " \\* " + i);
        }
        List<String> results = out.stream().filter(l -> l.startsWith("Result: ")).sorted().toList();
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "Result: " + i + " * " + i + " = " + i * i).sorted()
                .toList(), results);
    }

    @Test
    void aTimedWaitOnAnEventGivesUpAndAnUntimedOneSeesItSet() throws Exception {
        List<String> out = output(EventExample::main);
        int set = at(out, "MainProcess: main: event is set");
        assertTrue(at(out, "nonblock: wait_for_event_timeout: e.is_set()-> false") < set, out::toString);
        at(out, "block: wait_for_event: e.is_set()-> true");
        assertTrue(at(out, "block: wait_for_event: starting") < set);
    }

    @Test
    void stageTwoRunsOnlyAfterStageOne() throws Exception {
        List<String> out = output(ConditionStagesExample::main);
        int done = at(out, "s1: s1 done and ready for stage 2");
        assertTrue(at(out, "s1: Starting s1") < done);
        for (String client : List.of("stage_2[1]", "stage_2[2]")) {
            at(out, client + ": Starting " + client);
            assertTrue(done < at(out, client + ": " + client + " running"), out::toString);
        }
    }

    @Test
    void neverMoreThanTwoInsideTheSemaphore() throws Exception {
        List<String> out = output(SemaphoreExample::main);
        long most = Long.parseLong(value(out, "most processes inside at once: "));
        assertTrue(most >= 1 && most <= 2, "Semaphore(2): " + most);
        at(out, "permits available at the end: 2");
        // a process says acquire after acquiring and release before releasing: replaying the story never
        // finds more inside than there really were
        Map<String, Integer> acquired = new HashMap<>();
        int inside = 0;
        for (String line : out) {
            if (line.endsWith(": acquire")) {
                acquired.merge(line, 1, Integer::sum);
                inside++;
                assertTrue(inside <= 2, "more than 2 inside at " + line + " in " + out);
            } else if (line.endsWith(": release")) {
                inside--;
            }
        }
        assertEquals(0, inside);
        List<String> everyone = IntStream.rangeClosed(1, 5).mapToObj(i -> "Process-" + i + ": acquire").toList();
        assertEquals(new ArrayList<>(everyone), acquired.keySet().stream().sorted().toList());
        assertTrue(acquired.values().stream().allMatch(n -> n == 1));
    }

    @Test
    void tenProcessesFillTheMapAndTheLockKeepsEveryDecrement() throws Exception {
        assertEquals(List.of("Results: {0=0, 1=2, 2=4, 3=6, 4=8, 5=10, 6=12, 7=14, 8=16, 9=18}", "num: 90"),
                output(ManagerDictExample::main));
    }

    @Test
    void aNamespaceValueIsSharedButAMutableValueOnlyOnceSetAgain() throws Exception {
        List<String> out = output(NamespaceExample::main);
        assertEquals(6, out.size(), out::toString);
        assertTrue(out.get(0).matches("JvmProcess-\\d+: Before event, error: .*'value'.*"), out.get(0));
        assertTrue(out.get(1).matches("JvmProcess-\\d+: After event: This is the value"), out.get(1));
        assertTrue(out.get(2).matches("JvmProcess-\\d+: Before event: \\[]"), out.get(2));
        assertTrue(out.get(3).matches("JvmProcess-\\d+: After event : \\[]"), "a copy was changed: " + out.get(3));
        assertEquals("After set again: [This is the value]", out.get(4));
        assertTrue(out.get(5).startsWith("Namespace(my_list="), out.get(5));
    }

    @Test
    void twoProcessesTakeTheLockInTurn() throws Exception {
        List<String> out = output(LockExample::main);
        only(out, "JvmProcess-\\d+: Lock acquired via lock\\(\\)");
        only(out, "JvmProcess-\\d+: Lock acquired via tryLock\\(timeout\\)");
        assertEquals("locked at the end: false", out.get(out.size() - 1));
    }
}

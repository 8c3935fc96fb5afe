package dev.procpool.examples;

import static dev.procpool.examples.ExamplesTest.output;
import static dev.procpool.examples.ExamplesTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the ports of the tutorials' Process programs (real child JVMs) and checks what they printed. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProcessExamplesTest {
    private static final long ME = ProcessHandle.current().pid();

    /** Index of the line, which must be there. */
    static int at(List<String> out, String line) {
        int i = out.indexOf(line);
        assertTrue(i >= 0, () -> "no line \"" + line + "\" in " + out);
        return i;
    }

    /** The one line matching regex; its groups. */
    static Matcher only(List<String> out, String regex) {
        Pattern pattern = Pattern.compile(regex);
        List<Matcher> found = out.stream().map(pattern::matcher).filter(Matcher::matches).toList();
        assertEquals(1, found.size(), () -> regex + " in " + out);
        return found.get(0);
    }

    static long count(List<String> out, String line) {
        return out.stream().filter(line::equals).count();
    }

    @Test
    void processFromFunctionRunsAtTheSameTimeAsTheMainProcess() throws Exception {
        List<String> out = output(ProcessFromFunctionExample::main);
        assertTrue(at(out, "MainProcess: hahaha is having a meal") < at(out, "MainProcess: hahaha is full!!!"));
        assertTrue(at(out, "MainProcess: hahaha is full!!!") < at(out, "MainProcess: I am the main process"),
                "a function call is synchronous");
        String child = only(out, "(JvmProcess-\\d+): summer is having a meal").group(1);
        assertTrue(at(out, child + ": summer is having a meal") < at(out, child + ": summer is full!!!"));
        assertEquals(child + " exit code: 0", out.get(out.size() - 1));
    }

    @Test
    void processSubclassCarriesItsFieldsAndJoinDecidesWhoPrintsFirst() throws Exception {
        List<String> out = output(ProcessSubclassExample::main);
        at(out, "MainProcess: the main process prints first");
        assertEquals(2, count(out, "summer: summer, be happy today too"), "the name field travelled: " + out);
        int last = out.size() - 1;
        assertEquals("MainProcess: the main process prints after", out.get(last));
        assertEquals(2, count(out.subList(0, last), "summer: hello!"), "both children ended before: " + out);
    }

    @Test
    void joinWaitsForEveryChild() throws Exception {
        List<String> out = output(JoinTimingExample::main);
        for (String name : List.of("summer", "sun", "sum")) {
            String child = only(out, "(.*): " + name + " is having a meal").group(1);
            assertTrue(at(out, child + ": " + name + " is having a meal") < at(out, child + ": " + name
                    + " is full!!!"));
        }
        assertEquals("3", value(out, "full when the joins returned: "));
        double total = Double.parseDouble(value(out, "total time: ").replace(" s", ""));
        assertTrue(total >= 3.0, "the longest child sleeps 3 s: " + total); // the upper bound depends on the load
        assertEquals("main process", out.get(out.size() - 1));
    }

    @Test
    void aChildChangesOnlyItsOwnCopy() throws Exception {
        assertEquals(List.of("child process: 6666", "main process: 9999"), output(MemoryIsolationExample::main));
        assertEquals(9999, MemoryIsolationExample.money);
    }

    @Test
    void childrenKnowTheirNamePidAndParent() throws Exception {
        List<String> out = output(PidPpidNameExample::main);
        at(out, "p1 name: Hong Qi");
        String p2 = only(out, "p2 name: (JvmProcess-\\d+)").group(1);
        long p1Pid = Long.parseLong(value(out, "child pid: "));
        at(out, "parent pid: " + ME + " (MainProcess)");
        at(out, "Hong Qi says: pid " + p1Pid + " (os " + p1Pid + "), parent pid " + ME);
        Matcher second = only(out, p2 + " says: pid (\\d+) \\(os (\\d+)\\), parent pid " + ME);
        assertEquals(second.group(1), second.group(2));
        assertTrue(Long.parseLong(second.group(1)) != p1Pid);
        at(out, "p1 pid after join: " + p1Pid + " (reaped: the OS may reuse the number)");
    }

    @Test
    void terminateEndsTheChildBeforeItsWork() throws Exception {
        List<String> out = output(IsAliveTerminateExample::main);
        at(out, "alive after start: true");
        at(out, "alive after join: false");
        at(out, "exit code: " + (128 + 15));
        at(out, "the child printed \"child process 2\": false");
    }

    @Test
    void aDaemonEndsWithItsParentJvmAndMayNotHaveChildren() throws Exception {
        List<String> out = output(DaemonExample::main);
        assertTrue(at(out, "summer: child summer alive") < at(out, "main program: main process! (daemon true)"));
        assertFalse(out.stream().anyMatch(line -> line.contains("over")), "the daemon never finished: " + out);
        at(out, "daemon alive after the main program ended: false");
        at(out, "a daemon that starts a child: exit code 1, IllegalStateException");
    }

    @Test
    void procpoolLeavesNeitherZombiesNorOrphans() throws Exception {
        List<String> out = output(ZombieOrphanExample::main);
        only(out, "joined child \\d+ in /proc: gone");
        at(out, "child never joined, after it ended, in /proc: gone");
        assertEquals(2, count(out, "zombie children of this JVM: 0"), out::toString);
        only(out, "father \\d+ started child \\d+, in /proc: [RSD]"); // running while its father lives
        at(out, "father died, exit code " + (128 + 9));
        at(out, "its child in /proc after the father died: gone");
    }

    @Test
    void theLockSellsExactlyTheTicketsThereWere(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("db.json");
        List<String> out = output(TicketSaleExample::main, db.toString(), "3");
        assertEquals("tickets sold: 3 of 3, left in the database: 0", out.get(out.size() - 1));
        assertEquals(0, new ObjectMapper().readTree(db.toFile()).get("count").asInt());
        for (int i = 0; i < 10; i++) {
            String buyer = "buyer " + i;
            assertEquals(1, count(out, buyer + ": bought a ticket") + count(out, buyer + ": no more tickets"),
                    buyer + " got one answer: " + out);
            only(out, buyer + ": checks: tickets left \\[[0-3]\\]");
        }
        assertEquals(3, out.stream().filter(line -> line.endsWith(": bought a ticket")).count(), out::toString);
    }
}

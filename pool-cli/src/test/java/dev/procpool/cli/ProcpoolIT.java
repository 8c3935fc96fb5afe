package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procpool.examples.PrimeCountTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built procpool.jar as a user would: a child JVM, real workers, files and exit codes. */
class ProcpoolIT {
    private static final String JAR = System.getProperty("procpool.jar");
    private static final String TEST_CLASSES = System.getProperty("procpool.testClasses");
    private static final Path DATA = Path.of(System.getProperty("procpool.exampleData"));
    private static final String PRIMES = PrimeCountTask.class.getName();
    private static final String MISBEHAVING = MisbehavingTask.class.getName();

    @TempDir
    Path tmp;

    private record Run(int exitCode, List<String> stdout, List<String> stderr) {
        String lastStderrLine() {
            return stderr.isEmpty() ? "" : stderr.get(stderr.size() - 1);
        }
    }

    private Run procpool(String stdin, String... args) throws Exception {
        Path in = Files.writeString(tmp.resolve("stdin.txt"), stdin);
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            fail("procpool " + String.join(" ", args) + " did not finish: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    @Test
    void theDemoJobRunsOnTheBundledData() throws Exception {
        Run run = procpool("", "run");
        assertEquals(0, run.exitCode(), run.stderr()::toString);
        assertEquals(400, run.stdout().size());
        assertEquals(new PrimeCountTask().apply("1000000 1024999"), run.stdout().get(0));
        assertEquals(new PrimeCountTask().apply("10975000 10999999"), run.stdout().get(399));
        assertTrue(run.lastStderrLine().startsWith("procpool: 400 items, 0 failed, "), run.lastStderrLine());
    }

    @Test
    void failedItemsAreReportedAsJsonLinesAndTheRunGoesOn() throws Exception {
        Path errors = tmp.resolve("errors.jsonl");
        Path input = DATA.resolve("ranges-bad.txt");
        Run run = procpool("", "run", "--task", PRIMES, "--input", input.toString(), "--errors", errors.toString(),
                "--chunksize", "3", "--no-progress");

        assertEquals(1, run.exitCode(), run.stderr()::toString);
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(input)) {
            try {
                expected.add(new PrimeCountTask().apply(line));
            } catch (RuntimeException e) {
                expected.add(""); // a failed item keeps its line, empty
            }
        }
        assertEquals(expected, run.stdout());
        assertEquals(List.of(
                "{\"line\":4,\"exception\":\"java.lang.NumberFormatException\",\"message\":\"For input string: "
                        + "\\\"ten\\\"\"}",
                "{\"line\":8,\"exception\":\"java.lang.IllegalArgumentException\",\"message\":\"expected 0 <= from "
                        + "<= to, got \\\"900 100\\\"\"}"),
                Files.readAllLines(errors));
        assertTrue(run.lastStderrLine().startsWith("procpool: 10 items, 2 failed, "), run.lastStderrLine());
    }

    @Test
    void aWorkerThatExitsFailsOneItemAndTheOthersGoOn() throws Exception {
        Run run = procpool("a\nexit\nb\nprint\nc\n", "run", "--task", MISBEHAVING, "--classpath", TEST_CLASSES,
                "--unordered", "--workers", "2");

        assertEquals(1, run.exitCode(), run.stderr()::toString);
        assertEquals(List.of("A", "B", "C", "PRINT"), run.stdout().stream().sorted().toList());
        String error = run.stderr().stream().filter(line -> line.startsWith("{\"line\":2,")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON line for line 2: " + run.stderr()));
        assertTrue(error.contains("\"exception\":\"dev.procpool.WorkerCrashedException\""), error);
        assertTrue(error.contains("exit code 7"), error);
        assertTrue(error.contains("MisbehavingTask: exiting with 7"), "stderr tail in the message: " + error);
        // what a task prints reaches stderr, tagged with its worker, never the output
        assertTrue(run.stderr().stream()
                .anyMatch(line -> line.matches("INFO \\[worker \\d pid \\d+] printed by a task")),
                run.stderr()::toString);
        assertTrue(run.lastStderrLine().matches("procpool: 5 items, 1 failed, .* 1 crashed, 0 killed"),
                run.lastStderrLine());
    }

    @Test
    void anItemPastTheTaskTimeoutFailsAndTheRunGoesOn() throws Exception {
        Run run = procpool("a\nhang\nb\n", "run", "--task", MISBEHAVING, "--classpath", TEST_CLASSES,
                "--task-timeout", "1s", "--workers", "2", "--no-progress");

        assertEquals(1, run.exitCode(), run.stderr()::toString);
        assertEquals(List.of("A", "", "B"), run.stdout());
        assertTrue(run.stderr().stream().anyMatch(line -> line.startsWith(
                "{\"line\":2,\"exception\":\"dev.procpool.TaskTimeoutException\"")), run.stderr()::toString);
        assertTrue(run.lastStderrLine().endsWith(" 1 killed"), run.lastStderrLine());
    }

    @Test
    void theTimeoutEndsARunThatHangs() throws Exception {
        Run run = procpool("a\nhang\nb\n", "run", "--task", MISBEHAVING, "--classpath", TEST_CLASSES,
                "--timeout", "1s", "--workers", "2", "--no-progress");

        assertEquals(3, run.exitCode(), run.stderr()::toString);
        assertEquals(List.of("A"), run.stdout(), "in input order, B waits behind the hanging item");
        assertTrue(run.stderr().contains("procpool: --timeout 1s passed; stopped"), run.stderr()::toString);
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2() throws Exception {
        assertUsageError(procpool("", "run", "--task", "com.example.NoSuchTask"), "com.example.NoSuchTask");
        assertUsageError(procpool("", "run", "--task", "java.lang.String"), "does not implement");
        Path missing = tmp.resolve("missing.txt");
        assertUsageError(procpool("", "run", "--task", PRIMES, "--input", missing.toString()), missing.toString());
    }

    private static void assertUsageError(Run run, String expected) {
        assertEquals(2, run.exitCode(), run.stderr()::toString);
        assertEquals(1, run.stderr().size(), () -> "one line, no stack trace: " + run.stderr());
        assertTrue(run.stderr().get(0).startsWith("procpool: ") && run.stderr().get(0).contains(expected),
                run.stderr().get(0));
        assertTrue(run.stdout().isEmpty(), run.stdout()::toString);
    }

    @Test
    void helpDescribesTheCommand() throws Exception {
        Run top = procpool("", "--help");
        assertEquals(0, top.exitCode());
        assertTrue(String.join("\n", top.stdout()).contains("run  Runs a task on every line"), top.stdout()::toString);

        Run run = procpool("", "run", "--help");
        assertEquals(0, run.exitCode());
        String help = String.join("\n", run.stdout());
        for (String expected : List.of("--task=CLASS", "--classpath=PATH", "--workers=N", "--max-tasks-per-child=N",
                "--chunksize=N", "--timeout=DURATION", "--task-timeout=DURATION", "--jvm-arg=ARG", "--input=FILE",
                "--output=FILE",
                "--unordered", "--errors=FILE", "--no-progress", "Exit codes:", "JSON line")) {
            assertTrue(help.contains(expected), expected);
        }
        assertFalse(help.contains("%n"), help);
    }
}

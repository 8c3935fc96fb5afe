package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.testing.SupervisorMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor itself in a child JVM: its death, its exit with an open pool, its logging of worker stderr. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SupervisorProcessTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static Process startSupervisor(String mode, Path stderr) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.log.dev.procpool.worker.stderr=info",
                SupervisorMain.class.getName(), mode)
                .redirectError(stderr.toFile())
                .start();
    }

    private static List<Long> readPids(Process supervisor) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(supervisor.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("PIDS "), "supervisor said: " + line);
        return Arrays.stream(line.substring(5).split(" ")).map(Long::valueOf).toList();
    }

    @Test
    void workersExitOnTheirOwnWhenTheSupervisorIsKilled(@TempDir Path dir) throws Exception {
        Process supervisor = startSupervisor("kill-me", dir.resolve("stderr"));
        try {
            List<Long> workers = readPids(supervisor);
            assertEquals(2, workers.size());
            workers.forEach(pid -> assertTrue(Processes.isAlive(pid)));
            supervisor.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(supervisor.waitFor(30, TimeUnit.SECONDS));
            for (long pid : workers) {
                Processes.awaitExit(pid, Duration.ofSeconds(10));
            }
        } finally {
            supervisor.destroyForcibly();
        }
    }

    @Test
    void aPoolThatIsNeverClosedDoesNotKeepTheJvmAliveNorLeaveWorkers(@TempDir Path dir) throws Exception {
        Process supervisor = startSupervisor("forget-to-close", dir.resolve("stderr"));
        try {
            List<Long> workers = readPids(supervisor);
            assertTrue(supervisor.waitFor(30, TimeUnit.SECONDS), "the supervisor JVM exits when main returns");
            assertEquals(0, supervisor.exitValue());
            for (long pid : workers) {
                Processes.awaitExit(pid, Duration.ofSeconds(10));
            }
        } finally {
            supervisor.destroyForcibly();
        }
    }

    @Test
    void workerStderrIsLoggedLineByLineWithSlotAndPid(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr");
        Process supervisor = startSupervisor("stderr", stderr);
        try {
            assertTrue(supervisor.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, supervisor.exitValue(), Files.readString(stderr));
            Pattern intact = Pattern.compile(".*\\[worker [01] pid \\d+\\] (line|out)-[0-3]-\\d+-x{200}$");
            List<String> workerLines = new ArrayList<>();
            for (String line : Files.readAllLines(stderr)) {
                if (line.contains("line-") || line.contains("out-")) {
                    assertTrue(intact.matcher(line).matches(), "mangled line: " + line);
                    workerLines.add(line);
                }
            }
            assertEquals(4 * 300 * 2, workerLines.size(), "every line of System.err and System.out arrives");
        } finally {
            supervisor.destroyForcibly();
        }
    }
}

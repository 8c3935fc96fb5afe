package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Processes;
import dev.procpool.testing.SlurmCluster;
import dev.procpool.testing.SupervisorMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor with Slurm workers, killed with SIGKILL (no shutdown hook runs): its watchdog cancels what the pool
 * started (its own allocation, or its steps in the user's), and the workers end with their connection.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlurmSupervisorDeathTest {
    private static String job;

    @BeforeAll
    static void allocate() throws Exception {
        SlurmCluster.ensureUp();
        job = SlurmCluster.allocate("procpool-death-test-" + ProcessHandle.current().pid());
    }

    @AfterAll
    static void release() throws Exception {
        if (job != null) {
            SlurmCluster.cancel(job);
        }
        SlurmCluster.stopIfStartedHere();
    }

    @Test
    void itsOwnAllocationIsReleased(@TempDir Path dir) throws Exception {
        killSupervisorAndCheck("new", dir);
    }

    @Test
    void itsStepsInTheUsersAllocationAreCancelledAndTheJobStays(@TempDir Path dir) throws Exception {
        killSupervisorAndCheck(job, dir);
        assertTrue(SlurmCluster.jobs().stream().anyMatch(line -> line.startsWith(job + " ")), "the user's job");
    }

    private static void killSupervisorAndCheck(String allocation, Path dir) throws Exception {
        List<String> jobsBefore = SlurmCluster.jobs();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process supervisor = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SupervisorMain.class.getName(), "slurm-kill-me", allocation)
                .redirectError(dir.resolve("stderr").toFile()).start();
        try {
            String line = new BufferedReader(new InputStreamReader(supervisor.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.startsWith("PIDS "), "supervisor said: " + line);
            List<Long> workers = Arrays.stream(line.substring(5).split(" ")).map(Long::valueOf).toList();
            assertEquals(2, workers.size());
            assertEquals(2, SlurmCluster.steps().size(), "its steps: " + SlurmCluster.steps());
            List<ProcessHandle> watchdogs = supervisor.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("procpool-slurm-watchdog")).toList();
            assertEquals(1, watchdogs.size(), "the pool's watchdog");

            supervisor.destroyForcibly();
            assertTrue(supervisor.waitFor(30, TimeUnit.SECONDS));
            Processes.awaitExit(watchdogs.get(0).pid(), Duration.ofSeconds(60));
            for (long pid : workers) {
                Processes.awaitExit(pid, Duration.ofSeconds(30));
            }
            assertEquals(List.of(), SlurmCluster.steps(), "job steps after the supervisor's death");
            assertEquals(jobsBefore, SlurmCluster.jobs(), "jobs after the supervisor's death");
        } finally {
            supervisor.destroyForcibly();
        }
    }
}
